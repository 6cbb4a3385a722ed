"""The lab's .npz (a zip of .npy arrays), read without trusting it: every array's header is
compared with the bytes it holds before numpy allocates anything, object arrays are refused,
and numpy's own errors come back naming the file."""
import json
import math
import zipfile

import numpy as np

from . import TrainError

REQUIRED = ("X", "y", "clip_index", "clip_names", "genre_names", "settings")


def _declared(f, name, path):
    """(shape, dtype, header bytes) of the .npy at f's position."""
    try:
        version = np.lib.format.read_magic(f)
        reader = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, _, dtype = reader(f)
    except (ValueError, OSError, SyntaxError) as e:
        raise TrainError(f"{path}: {name} is not a NumPy array ({e})")
    return shape, dtype, f.tell()


def check_npz(path):
    """The .npy names in the .npz at path, each one's declared size checked against its bytes."""
    if not zipfile.is_zipfile(path):
        raise TrainError(
            f"{path} is not an .npz (a zip of NumPy arrays): export one from the page or write it with npm run extract"
        )
    names = set()
    try:
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                if not info.filename.endswith(".npy"):
                    continue
                name = info.filename[:-4]
                with z.open(info) as f:
                    shape, dtype, header = _declared(f, info.filename, path)
                if dtype.hasobject:
                    raise TrainError(
                        f"{path}: {info.filename} holds Python objects, which train.py does not load (the lab writes numbers and strings only)"
                    )
                need = math.prod(shape) * dtype.itemsize
                if need > info.file_size - header:
                    raise TrainError(
                        f'{path}: {info.filename} declares {" × ".join(map(str, shape)) or "1"} values of {dtype.itemsize} bytes '
                        f"({need / 2 ** 30:.1f} GiB) but holds {max(0, info.file_size - header):,} bytes"
                    )
                names.add(name)
    except zipfile.BadZipFile as e:
        raise TrainError(f"{path} is not a readable .npz ({e})")
    missing = [n for n in REQUIRED if n not in names]
    if missing:
        raise TrainError(f'{path} has no {", ".join(n + ".npy" for n in missing)}: the lab\'s .npz holds {", ".join(REQUIRED)}')
    return names


def load(path, names):
    """These arrays of the .npz at path (already checked by check_npz), numpy's errors named."""
    try:
        with np.load(path, allow_pickle=False) as z:
            return {n: z[n] for n in names}
    except (ValueError, OSError, KeyError, zipfile.BadZipFile, EOFError) as e:
        raise TrainError(f"{path}: cannot read its arrays ({e})")


def strings(a, name, path):
    if a.dtype.kind not in "US":
        raise TrainError(f"{path}: {name} must hold strings, not {a.dtype}")
    return [str(v) for v in a.reshape(-1)]


def settings_of(a, path):
    try:
        s = json.loads(strings(a, "settings", path)[0], parse_constant=lambda w: (_ for _ in ()).throw(ValueError(w)))
    except (ValueError, IndexError):
        raise TrainError(f"{path}: settings is not the feature settings as JSON")
    if not isinstance(s, dict):
        raise TrainError(f"{path}: settings is not the feature settings as JSON")
    return s
