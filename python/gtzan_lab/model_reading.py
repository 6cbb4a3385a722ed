"""A lab model read without trusting it: model.json, weights.bin and metadata.json from a folder or
the lab's zip (sizes bounded before reading), metadata.json migrated and checked, the topology
checked and its weights counted before any weight is read, and the weights by name (finite)."""
import json
import math
import os
import zipfile

import numpy as np

from .limits import LIMITS, METADATA_SCHEMA, METADATA_VERSION, STANDARDIZATION_RANGE, ModelError
from .limits import frames_per_segment, settings_problem, values_per_frame


def bounded_read(read, name, size):
    """A model file's bytes, refused before reading when it is larger than the lab reads."""
    limit = LIMITS["fileBytes"][name]
    if size == 0xFFFFFFFF:
        raise ModelError(
            f"{name} does not state its size (the zip64 placeholder, 4 GiB or more); the lab reads {name} of up to {limit // 2 ** 20} MiB"
        )
    if size > limit:
        raise ModelError(f"{name} is {size / 2 ** 20:.0f} MiB; the lab reads model files of up to {limit // 2 ** 20} MiB")
    data = read(limit + 1)
    if len(data) > limit:
        raise ModelError(f"{name} holds more than the {limit // 2 ** 20} MiB it may")
    return data


def _not_json(word):
    raise ValueError(f"{word} is not JSON")


def read_model(path):
    """(model.json, weights.bin bytes, metadata.json) from a folder or the lab's zip, each size-checked first."""
    names = ("model.json", "weights.bin", "metadata.json")
    found = {}
    if os.path.isfile(path):
        try:
            z = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as e:
            raise ModelError(f"{path} is not a readable zip file ({e})")
        with z:
            for info in z.infolist():
                for name in names:
                    if name not in found and (info.filename == name or info.filename.endswith("/" + name)):
                        with z.open(info) as f:
                            found[name] = bounded_read(f.read, name, info.file_size)
    else:
        for name in names:
            p = os.path.join(path, name)
            if os.path.exists(p):
                with open(p, "rb") as f:
                    found[name] = bounded_read(f.read, name, os.path.getsize(p))
    missing = [n for n in names if n not in found]
    if missing:
        raise ModelError(f"{path}: {', '.join(missing)} missing: a model is model.json, weights.bin and metadata.json")

    def parse(name):
        try:
            # NaN and Infinity are not JSON: the page and npm run predict refuse them, so this reader does too.
            return json.loads(found[name], parse_constant=_not_json)
        except ValueError:
            raise ModelError(f"{name}{' in the zip' if os.path.isfile(path) else ''} is not valid JSON")

    return parse("model.json"), found["weights.bin"], parse("metadata.json")


def _at(value, path):
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def migrate_metadata(m):
    """A metadata.json of any version brought to METADATA_VERSION by schemas/metadata.json's
    x-migrations, in order (src/saving/metadata.ts's migrateMetadata applies the same steps):
    a field an older version left out is set to what its absence meant. The value given is not
    changed; no version is version 1; a version newer than this script's is refused."""
    if not isinstance(m, dict):
        return m
    version = m.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, (int, float)) or version != int(version) or version < 1:
        raise ModelError(f'metadata.json "version" must be a whole number from 1 to {METADATA_VERSION}')
    if version > METADATA_VERSION:
        raise ModelError(
            f"metadata.json is version {json.dumps(version)}, written by a newer GTZAN Lab; "
            f"this one reads versions up to {METADATA_VERSION}"
        )
    m = json.loads(json.dumps(m))
    for migration in METADATA_SCHEMA["x-migrations"]:
        if migration["from"] < version:
            continue
        for step in migration["steps"]:
            holder, key = _at(m, step["path"][:-1]), step["path"][-1]
            if not isinstance(holder, dict) or key in holder:
                continue
            source = _at(m, step["copyFrom"]) if "copyFrom" in step else json.loads(json.dumps(step["default"]))
            if source is not None:
                holder[key] = source
        m["version"] = migration["to"]
    return m


def check_metadata(m):
    """metadata.json as the lab checks it, after migrating it to this version: genres, settings in
    range, a shape that adds up, a sane standardisation. Returns the feature settings."""
    if not isinstance(m, dict):
        raise ModelError("metadata.json must hold a JSON object")
    m = migrate_metadata(m)
    if m.get("format") != METADATA_SCHEMA["properties"]["format"]["const"]:
        raise ModelError('metadata.json was not written by GTZAN Lab (format is not "gtzan-lab-model")')
    genres = m.get("genres")
    if not isinstance(genres, list) or len(genres) < 2 or any(not isinstance(g, str) for g in genres):
        raise ModelError('metadata.json needs "genres": the list of at least two genre names')
    if len(genres) > LIMITS["genres"]:
        raise ModelError(f"metadata.json names {len(genres)} genres; the lab reads up to {LIMITS['genres']}")
    blank = next((i for i, g in enumerate(genres) if not g.strip()), None)
    if blank is not None:
        raise ModelError(
            f"metadata.json: genre {blank + 1} has a blank name ({json.dumps(genres[blank])}); every genre needs a name that shows"
        )
    features = m.get("features")
    if not isinstance(features, dict):
        raise ModelError('metadata.json needs "features": the feature settings')
    problem = settings_problem(features)
    if problem:
        raise ModelError(f"metadata.json features: {problem}")
    shape = m.get("inputShape")
    if not isinstance(shape, list) or len(shape) != 2:
        raise ModelError('metadata.json needs "inputShape": [frames, coefficients]')
    frames, per_frame = frames_per_segment(features), int(values_per_frame(features))
    if shape != [frames, per_frame]:
        raise ModelError(
            f"metadata.json does not add up: its feature settings give segments of [{frames}, {per_frame}] "
            f"but it says the model takes [{', '.join(json.dumps(v) for v in shape)}]"
        )
    std = m.get("standardization")
    if std:
        ok = isinstance(std, dict) and all(isinstance(std.get(k), list) and len(std[k]) == per_frame for k in ("mean", "std"))
        if not ok:
            raise ModelError('metadata.json "standardization" must give one mean and one deviation per coefficient')
        finite = all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in std["mean"] + std["std"]
        )
        # A deviation that small divides segments into Infinity or values no model was trained on.
        if not finite or any(v < LIMITS["minDeviation"] for v in std["std"]):
            raise ModelError(STANDARDIZATION_RANGE)
    return features


def count_weights(layers):
    """The weights model.json's layers would hold, counted from the topology alone (as src/saving/topology-size.ts)."""
    shape, total = None, 0

    def whole(v):
        return v if isinstance(v, int) and not isinstance(v, bool) and v > 0 else None

    def as_list(v):
        return v if isinstance(v, list) else [] if v is None else [v]

    for i, layer in enumerate(layers):
        kind, c = str(layer.get("class_name")), layer.get("config") or {}
        given = c.get("batch_input_shape", c.get("batchInputShape"))
        if isinstance(given, list):
            shape = [whole(d) for d in given[1:]]
        if shape is None:
            raise ModelError(f"model.json: layer {i + 1} ({kind}) comes before any input shape")
        last = shape[-1] if shape else None
        bias = 0 if c.get("use_bias") is False else 1
        try:
            if kind in ("InputLayer", "Dropout", "Activation"):
                pass
            elif kind == "Reshape":
                shape = [whole(d) for d in as_list(c.get("target_shape"))]
            elif kind == "Dense":
                units = whole(c.get("units"))
                total += last * units + bias * units
                shape = shape[:-1] + [units]
            elif kind == "LSTM":
                units = whole(c.get("units"))
                total += 4 * units * (last + units + bias)
                shape = [shape[0], units] if c.get("return_sequences") else [units]
            elif kind in ("Conv1D", "Conv2D"):
                filters, kernel = whole(c.get("filters")), [whole(k) for k in as_list(c.get("kernel_size"))]
                area = 1
                for k in range(1 if kind == "Conv1D" else 2):
                    area *= kernel[k] if k < len(kernel) else kernel[0]
                total += area * last * filters + bias * filters
                shape = shape[:-1] + [filters]
            elif kind == "BatchNormalization":
                total += last * (2 + (0 if c.get("scale") is False else 1) + (0 if c.get("center") is False else 1))
            elif kind in ("MaxPooling1D", "MaxPooling2D"):
                pool = [whole(p) for p in as_list(c.get("pool_size"))] or [1]
                shape = [d // (pool[k] if k < len(pool) else pool[0]) if k < len(shape) - 1 else d for k, d in enumerate(shape)]
            elif kind in ("GlobalAveragePooling1D", "GlobalAveragePooling2D"):
                shape = [last]
            else:
                raise ModelError(f"model.json: layer {i + 1} is a {kind}, whose weights the lab cannot count")
        except TypeError:
            raise ModelError(f"model.json: layer {i + 1} ({kind}) is missing a size")
        if any(d is None or d < 1 for d in shape):
            raise ModelError(
                f"model.json: layer {i + 1} ({kind}) gives an output of shape {json.dumps(shape)}, which holds no values"
            )
    return total


def check_topology(model_json, genres, weights_len, input_shape=None):
    """model.json as the lab checks it (src/saving/model-check.ts), before any weight is read."""
    topology = model_json.get("modelTopology") if isinstance(model_json, dict) else None
    if not isinstance(topology, dict):
        raise ModelError("model.json is not a TensorFlow.js layers model (no modelTopology)")
    root = topology.get("model_config", topology)
    if str(root.get("class_name")) not in ("Sequential", "Model", "Functional"):
        raise ModelError(f"model.json holds a {json.dumps(root.get('class_name'))}, not a Sequential or functional model")
    layers = layers_of(model_json)
    if not isinstance(layers, list) or not layers:
        raise ModelError("model.json lists no layers")
    if len(layers) > LIMITS["layers"]:
        raise ModelError(f"model.json lists {len(layers)} layers; the lab runs models of up to {LIMITS['layers']}")
    for i, layer in enumerate(layers):
        kind, c = str(layer.get("class_name")), layer.get("config") or {}
        if kind not in LAYERS:
            raise ModelError(f"layer {i + 1} is a {kind}, which the lab cannot run (it runs {', '.join(LAYERS)})")
        for size in ("units", "filters"):
            n = c.get(size)
            if n is not None and not (isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= LIMITS["layerUnits"]):
                raise ModelError(
                    f"layer {i + 1} ({kind}) has {json.dumps(n)} {size}; the lab runs layers of 1 to {LIMITS['layerUnits']}"
                )
        kernel = c.get("kernel_size")
        sides = kernel if isinstance(kernel, list) else [] if kernel is None else [kernel]
        if any(not (isinstance(k, int) and not isinstance(k, bool) and 1 <= k <= LIMITS["kernelSide"]) for k in sides):
            raise ModelError(
                f"layer {i + 1} ({kind}) has a kernel of {json.dumps(kernel)}; the lab runs kernels of 1 to {LIMITS['kernelSide']} a side"
            )
        for key in ("activation", "recurrent_activation"):
            a = c.get(key)
            if a is not None and a not in LIMITS["activations"]:
                raise ModelError(
                    f"layer {i + 1} ({kind}) uses the activation {json.dumps(a)}; the lab runs {', '.join(LIMITS['activations'])}"
                )
    last = layers[-1]
    if last.get("class_name") != "Dense" or (last.get("config") or {}).get("activation") != "softmax":
        raise ModelError("the last layer must be a Dense layer with a softmax, giving one probability per genre")
    if last["config"].get("units") != len(genres):
        raise ModelError(f"the model has {last['config'].get('units')} outputs but its metadata names {len(genres)} genres")
    given = (layers[0].get("config") or {}).get("batch_input_shape")
    if input_shape is not None and (not isinstance(given, list) or len(given) != 3 or given[1:] != list(input_shape)):
        shown = json.dumps(given[1:] if isinstance(given, list) else given, separators=(",", ":"))
        raise ModelError(
            f"the model takes input {shown} but its metadata describes segments of [{input_shape[0]}, {input_shape[1]}] (frames, coefficients)"
        )
    weights = count_weights(layers)
    if weights > LIMITS["parameters"]:
        raise ModelError(
            f"model.json describes a model of {weights:,} weights; the lab runs models of up to {LIMITS['parameters']:,}"
        )
    listed = 0
    for group in model_json.get("weightsManifest") or []:
        for spec in group.get("weights") or []:
            shape = spec.get("shape")
            if (
                not isinstance(shape, list)
                or any(not isinstance(d, int) or d < 0 for d in shape)
                or spec.get("dtype", "float32") != "float32"
            ):
                raise ModelError(
                    f"model.json's weights manifest lists {json.dumps(spec.get('name'))} with a shape or type the lab does not read"
                )
            listed += int(np.prod(shape)) if shape else 1
    if listed != weights:
        raise ModelError(f"model.json's weights manifest lists {listed:,} values but its layers have {weights:,} weights")
    if weights_len != 4 * weights:
        raise ModelError(
            f"weights.bin holds {weights_len:,} bytes but model.json's layers need {4 * weights:,} ({weights:,} float32 weights)"
        )


def weights_by_name(model_json, weights):
    """Every weight array of weights.bin, by its name in model.json's manifest (checked: finite)."""
    values = np.frombuffer(weights, dtype="<f4")
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        v = float(values[bad[0]])
        shown = "NaN" if v != v else "Infinity" if v > 0 else "-Infinity"
        raise ModelError(
            f"weights.bin holds {shown} (value {bad[0] + 1} of {values.size}): a model with such a weight gives no probabilities"
        )
    out, offset = {}, 0
    for group in model_json["weightsManifest"]:
        for spec in group["weights"]:
            n = int(np.prod(spec["shape"])) if spec["shape"] else 1
            out[spec["name"]] = values[offset // 4 : offset // 4 + n].reshape(spec["shape"]).astype(np.float64)
            offset += 4 * n
    return out


LAYERS = [
    "InputLayer",
    "LSTM",
    "Dense",
    "Dropout",
    "Conv1D",
    "Conv2D",
    "BatchNormalization",
    "Activation",
    "MaxPooling1D",
    "MaxPooling2D",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "Reshape",
]


def layers_of(model_json):
    topology = model_json["modelTopology"]
    root = topology.get("model_config", topology)
    config = root["config"]
    return config["layers"] if isinstance(config, dict) else config
