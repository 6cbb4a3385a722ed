"""The lab's features for training: one .npz, or a folder of .npz shards described by its
manifest.json (npm run extract -- DIR --out FOLDER --shard-size N). Every file is checked before
any training: its arrays against their headers, its settings against the lab's limits, its labels
and clip numbers against its names, its values finite; a shard folder's files against the
manifest (listed, same size and sha256, same settings, shape, genres and clips), no clip twice."""
import hashlib
import json
import os
import re

import numpy as np

from . import TrainError
from .lab_split import lab_split
from .limits import LIMITS, frames_per_segment, settings_problem
from .npz import check_npz, load, settings_of, strings

MANIFEST = "manifest.json"
MANIFEST_FORMAT = "gtzan-lab-shards"
_SHARD_NAME = re.compile(r"^[A-Za-z0-9._-]+\.npz$")


def _refuse_nan(word):
    raise ValueError(f"{word} is not JSON")


def read_manifest(folder):
    """manifest.json of a shard folder, its fields checked, and every .npz in the folder listed in it."""
    path = os.path.join(folder, MANIFEST)
    if not os.path.isfile(path):
        raise TrainError(
            f"{folder} has no {MANIFEST}: train.py reads a folder of shards only as npm run extract -- DIR "
            f"--out FOLDER --shard-size N writes it, with the manifest that lists every shard"
        )
    if os.path.getsize(path) > LIMITS["fileBytes"]["metadata.json"]:
        raise TrainError(f"{path} is larger than the lab writes")
    try:
        with open(path, "rb") as f:
            m = json.loads(f.read(), parse_constant=_refuse_nan)
    except ValueError:
        raise TrainError(f"{path} is not valid JSON")
    ok = (
        isinstance(m, dict)
        and m.get("format") == MANIFEST_FORMAT
        and m.get("version") == 1
        and isinstance(m.get("settings"), dict)
        and all(isinstance(m.get(k), int) and m[k] > 0 for k in ("frames", "coefficients"))
        and isinstance(m.get("genres"), list)
        and all(isinstance(g, str) for g in m["genres"])
        and isinstance(m.get("shards"), list)
        and m["shards"]
    )
    if ok:
        for s in m["shards"]:
            ok = ok and (
                isinstance(s, dict)
                and isinstance(s.get("file"), str)
                and bool(_SHARD_NAME.match(s["file"]))
                and isinstance(s.get("bytes"), int)
                and isinstance(s.get("sha256"), str)
                and isinstance(s.get("segments"), int)
                and isinstance(s.get("clips"), list)
                and all(isinstance(c, str) for c in s["clips"])
            )
    if not ok:
        raise TrainError(
            f'{path} is not a shard manifest of the lab (format "{MANIFEST_FORMAT}", version 1, settings, frames, '
            "coefficients, genres and a list of shards with file, bytes, sha256, segments and clips)"
        )
    listed = [s["file"] for s in m["shards"]]
    if len(set(listed)) != len(listed):
        raise TrainError(f"{path} lists a shard twice")
    for name in sorted(os.listdir(folder)):
        if name.lower().endswith(".npz") and name not in listed:
            raise TrainError(
                f"{os.path.join(folder, name)} is not listed in {MANIFEST} (a copy, or a shard of another extraction?): "
                "remove it, or extract again into an empty folder"
            )
    for s in m["shards"]:
        _check_listed(os.path.join(folder, s["file"]), s)
    return m


def _check_listed(p, s):
    if os.path.islink(p):
        raise TrainError(f"{p} is a link: a shard folder holds its shards themselves")
    if not os.path.isfile(p):
        raise TrainError(f"{p} is listed in {MANIFEST} but missing")
    size = os.path.getsize(p)
    if size != s["bytes"]:
        raise TrainError(
            f'{p} is {size:,} bytes but {MANIFEST} says {s["bytes"]:,}: it changed or was cut short since extraction'
        )
    digest = hashlib.sha256()
    with open(p, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != s["sha256"].lower():
        raise TrainError(f"{p} does not match its sha256 in {MANIFEST}: it changed since extraction")


def _with_coefficients(s, n):
    """The settings with n values per frame, as the page reads an .npz (X says how many it holds)."""
    return dict(s, **({"nMels": n} if s.get("featureType") == "logmel" else {"nMfcc": n}))


def _first(mask):
    return int(np.flatnonzero(mask)[0])


class Features:
    """The lab's .npz, or a folder of .npz shards read one at a time. Only labels, clip numbers and
    names are held for the whole set; a shard's X is loaded when its turn comes, so memory is
    bounded by the largest shard."""

    def __init__(self, path):
        manifest = read_manifest(path) if os.path.isdir(path) else None
        self.files = [os.path.join(path, s["file"]) for s in manifest["shards"]] if manifest else [path]
        ys, clips, self.clip_names, split, self.rows = [], [], [], [], []
        self.genres = self.settings = self.raw_settings = None
        owner = {}
        for k, f in enumerate(self.files):
            names = check_npz(f)
            a = load(
                f,
                [
                    n
                    for n in ("X", "y", "clip_index", "clip_names", "genre_names", "settings", "split", "split_info")
                    if n in names
                ],
            )
            x, y, clip = a["X"], a["y"], a["clip_index"]
            if (
                x.ndim != 3
                or x.dtype.kind != "f"
                or y.shape != (len(x),)
                or clip.shape != (len(x),)
                or y.dtype.kind not in "iu"
                or clip.dtype.kind not in "iu"
            ):
                raise TrainError(
                    f"{f}: X must be segments × frames × coefficients of numbers, with one whole-number y and clip_index per segment"
                )
            genres, clip_names = strings(a["genre_names"], "genre_names", f), strings(a["clip_names"], "clip_names", f)
            raw = settings_of(a["settings"], f)
            frames, coefficients = x.shape[1:]
            settings = _with_coefficients(raw, coefficients)
            problem = settings_problem(settings)
            if problem:
                raise TrainError(f"{f}: settings: {problem}")
            if frames_per_segment(settings) != frames:
                raise TrainError(
                    f"{f}: settings give segments of {frames_per_segment(settings)} frames, but X's segments have {frames}"
                )
            if len(genres) < 2 or len(set(genres)) != len(genres) or len(genres) > LIMITS["genres"]:
                raise TrainError(f'{f}: genre_names must name 2 to {LIMITS["genres"]} genres, each once')
            if manifest:
                s = manifest["shards"][k]
                for what, theirs, ours in (
                    ("settings", manifest["settings"], raw),
                    ("genres", manifest["genres"], genres),
                    ("segment shape", [manifest["frames"], manifest["coefficients"]], [frames, coefficients]),
                    ("clips", s["clips"], clip_names),
                    ("segment count", s["segments"], len(x)),
                ):
                    if theirs != ours:
                        raise TrainError(f"{f}: its {what} differ from those {MANIFEST} lists for it")
            elif self.genres is not None and genres != self.genres:
                raise TrainError(f"{f}: its genres differ from the first shard's")
            if self.settings is not None and (
                raw != self.raw_settings or [frames, coefficients] != [self.frames, self.coefficients]
            ):
                raise TrainError(f"{f}: its settings or segment shape differ from {self.files[0]}'s")
            bad = (y < 0) | (y >= len(genres))
            if bad.any():
                i = _first(bad)
                raise TrainError(f"{f}: segment {i}: y {int(y[i])} is not an index into genre_names ({len(genres)} genres)")
            bad = (clip < 0) | (clip >= len(clip_names))
            if bad.any():
                i = _first(bad)
                raise TrainError(
                    f"{f}: segment {i}: clip_index {int(clip[i])} is not an index into clip_names ({len(clip_names)} clips)"
                )
            finite = np.isfinite(x).reshape(len(x), frames * coefficients).all(axis=1)
            if not finite.all():
                i = _first(~finite)
                raise TrainError(
                    f"{f}: X holds {x[i][~np.isfinite(x[i])].flat[0]} in segment {i}: the lab trains on finite values only"
                )
            label = np.full(len(clip_names), -1)
            for i in range(len(y)):
                if label[clip[i]] not in (-1, y[i]):
                    raise TrainError(
                        f"{f}: {clip_names[clip[i]]}: its segments carry two labels ({genres[label[clip[i]]]}, {genres[y[i]]})"
                    )
                label[clip[i]] = y[i]
            for name in clip_names:
                if name in owner:
                    where = "twice in it" if owner[name] == f else f"also in {owner[name]}"
                    raise TrainError(
                        f"{f}: clip {name} is {where}: a clip may be in the set once, or it could train and test at once"
                    )
                owner[name] = f
            self.genres, self.raw_settings, self.settings = genres, raw, settings
            self.frames, self.coefficients = frames, coefficients
            self.rows.append((sum(len(v) for v in ys), len(y)))
            ys.append(y.astype(np.int64))
            clips.append(clip.astype(np.int64) + len(self.clip_names))
            self.clip_names.extend(clip_names)
            sp = a.get("split")
            if sp is not None and (sp.shape != (len(clip_names),) or sp.dtype.kind not in "iu" or ((sp < -1) | (sp > 2)).any()):
                raise TrainError(f"{f}: split must give every clip -1, 0, 1 or 2")
            split.append(sp.astype(np.int64) if sp is not None else None)
            if "split_info" in a and not hasattr(self, "split_info"):
                self.split_info = settings_of(a["split_info"], f)
        self.y, self.clip = np.concatenate(ys), np.concatenate(clips)
        self.lab_split = None if any(v is None for v in split) else np.concatenate(split)
        self.mean = self.std = None

    def shard(self, k):
        """Shard k's X (standardised when fitted) and the global numbers of its rows."""
        x = load(self.files[k], ["X"])["X"].astype(np.float32)
        if self.mean is not None:
            x = ((x - self.mean) / self.std).astype(np.float32)
        start, n = self.rows[k]
        return x, np.arange(start, start + n)

    def fit_standardization(self, rows):
        """Each coefficient's mean and deviation over these rows (the training side), shard by shard,
        in float64. A deviation below the lab's floor (a coefficient that hardly varies) becomes 1, as
        the page's fit does: every reader refuses a smaller one."""
        total, sq, n = np.zeros(self.coefficients), np.zeros(self.coefficients), 0
        keep = np.zeros(len(self.y), dtype=bool)
        keep[rows] = True
        for k in range(len(self.files)):
            x, idx = self.shard(k)
            x = x[keep[idx]].reshape(-1, self.coefficients).astype(np.float64)
            total += x.sum(0)
            sq += (x * x).sum(0)
            n += len(x)
        mean = total / max(1, n)
        std = np.sqrt(np.maximum(sq / max(1, n) - mean * mean, 0))
        std[~(std >= LIMITS["minDeviation"])] = 1
        self.mean, self.std = mean, std
        return {"mean": mean.tolist(), "std": std.tolist()}

    def batches(self, rows, batch, rng=None):
        """(x, y, global row numbers) in batches of the given rows, shard by shard; with a numpy
        Generator, the shards and each shard's rows in its order (the same in every process)."""
        keep = np.zeros(len(self.y), dtype=bool)
        keep[rows] = True
        order = rng.permutation(len(self.files)) if rng is not None else range(len(self.files))
        for k in order:
            x, idx = self.shard(k)
            sel = np.flatnonzero(keep[idx])
            if rng is not None:
                sel = sel[rng.permutation(len(sel))]
            for i in range(0, len(sel), batch):
                part = sel[i : i + batch]
                yield torch_batch(x[part], self.y[idx[part]]) + (idx[part],)


def torch_batch(x, y):
    import torch

    return torch.from_numpy(x), torch.from_numpy(y)


def split_clips(data, mode, seed, test_fraction=0.25, validation_fraction=0.2):
    """Per clip: 0 train, 1 validation, 2 test, -1 left out. 'lab' takes the split the page
    trained on (in the .npz); 'clip' holds out whole clips, per genre, and 'segment' single
    segments (the recipe's leaky split, kept to show the leak), both exactly as the lab splits for
    the same seed (lab_split.py)."""
    n_clips = len(data.clip_names)
    if mode == "lab":
        if data.lab_split is None:
            raise SystemExit("--split lab: this .npz holds no split (export it from the page after training)")
        return data.lab_split, None
    sides = lab_split(data.y, data.clip, len(data.genres), mode, seed, test_fraction, validation_fraction)
    codes = {"train": 0, "validation": 1, "test": 2}
    if mode == "segment":
        side = np.zeros(len(data.y), dtype=np.int64)
        for name, segs in sides.items():
            side[np.asarray(segs, dtype=np.int64)] = codes[name]
        return None, side
    side = np.full(n_clips, -1, dtype=np.int64)
    for name, segs in sides.items():
        side[data.clip[np.asarray(segs, dtype=np.int64)]] = codes[name]
    return side, None
