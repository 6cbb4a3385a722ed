#!/usr/bin/env python3
"""Classify an audio file with a GTZAN Lab model, with numpy and soundfile only.

    python3 predict.py [<model folder or zip>] <audio file> [--json]
    python3 predict.py --mfcc <audio file> [--settings <settings.json>] [--whole]

The model is the lab's download: model.json + weights.bin (TensorFlow.js layers format) and
metadata.json (genres, feature settings, standardisation). Without a model argument, the folder
this script sits in is used (the unzipped download). The features are the lab's recipe in numpy:
librosa.load-style decoding (soundfile) and resampling (the lab's Kaiser-windowed sinc),
center=True framing, periodic Hann window, |STFT|^2, Slaney mel filterbank, power_to_db (ref 1,
amin 1e-10, top_db 80 per segment) and an orthonormal DCT-II (none for log-mel models), held to
librosa's numbers. The layers the lab exports (LSTM, Dense, Dropout, and the CNNs' convolutions,
batch normalisation, pooling and reshapes) run forward in numpy.

Install: pip install numpy soundfile   (Debian: apt-get install python3-numpy python3-soundfile)
"""
import json
import math
import os
import sys
import zipfile

import numpy as np

AMIN = 1e-10
TOP_DB = 80.0
DEFAULT_SETTINGS = {
    "sampleRate": 22050,
    "nMfcc": 13,
    "nFft": 2048,
    "hopLength": 512,
    "nMels": 128,
    "segments": 10,
    "trackSeconds": 30,
    "padMode": "constant",
}


# ---------------------------------------------------------------- limits

# The lab's limits for every reader of its files, from schemas/limits.json (which the page's
# src/dataset/limits.ts and src/dsp/settings.ts read too), so a zip the page refuses is refused
# here too, with the same reason. In a model zip this file travels alone: `npm run build:python`
# writes the JSON into SHARED_LIMITS_JSON below, and a unit test holds that copy equal to the file.
SHARED_LIMITS_JSON = None  # inlined by npm run build:python
# schemas/metadata.json (metadata.json's version and the migrations of older ones), inlined the same way.
SHARED_METADATA_SCHEMA_JSON = None  # inlined by npm run build:python


def _shared_json(inlined, name):
    if inlined is not None:
        return json.loads(inlined)
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "schemas", name)) as f:
        return json.load(f)


_SHARED = _shared_json(SHARED_LIMITS_JSON, "limits.json")
METADATA_SCHEMA = _shared_json(SHARED_METADATA_SCHEMA_JSON, "metadata.json")
METADATA_VERSION = METADATA_SCHEMA["properties"]["version"]["const"]
LIMITS = _SHARED["limits"]
SETTING_RANGES = {k: (r["min"], r["max"], r["integer"]) for k, r in _SHARED["settingRanges"].items()}
MAX_SEGMENT_VALUES = _SHARED["maxSegmentValues"]


def exponent_text(v):
    """A small number as JavaScript's toExponential() writes it (1e-6, not Python's 1e-06)."""
    mantissa, exponent = f"{v:e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"


# Every reader's words for a standardisation it cannot use (src/model/files/metadata.ts says the same).
STANDARDIZATION_RANGE = (
    'metadata.json "standardization": every mean must be a finite number and every deviation '
    f'a number of at least {exponent_text(LIMITS["minDeviation"])}'
)


class ModelError(Exception):
    """A model or clip the lab would refuse: main() prints the reason, never a traceback."""


_UNSAFE = (
    set(range(0x20))
    | set(range(0x7F, 0xA0))
    | {0x200E, 0x200F, 0x2028, 0x2029}
    | set(range(0x202A, 0x202F))
    | set(range(0x2066, 0x206A))
)


def printable(name):
    """A name from a file, safe to print: control characters and direction overrides as escapes."""
    return "".join((f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}") if ord(c) in _UNSAFE else c for c in str(name))


def samples_per_segment(s):
    return int(math.floor(s["sampleRate"] * s["trackSeconds"] / s["segments"]))


def frames_per_segment(s):
    return -(-samples_per_segment(s) // s["hopLength"])


def values_per_frame(s):
    return s["nMels"] if s.get("featureType") == "logmel" else s["nMfcc"]


def number_text(v):
    """A number as JavaScript writes it (1e-2 as 0.01, 4.0 as 4), so messages read the same as the lab's."""
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def settings_problem(s):
    """The first feature setting out of range, in the words the lab uses, or None (src/dsp/settings.ts)."""
    if not isinstance(s, dict):
        return "the feature settings must be an object"
    for k, (lo, hi, whole) in SETTING_RANGES.items():
        v = s.get(k)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            return f"{k} must be a number, got {json.dumps(v)}"
        if whole and v != int(v):
            return f"{k} must be a whole number, got {number_text(v)}"
        if v < lo or v > hi:
            return f"{k} must be from {number_text(lo)} to {number_text(hi)}, got {number_text(v)}"
    n_fft = int(s["nFft"])
    if n_fft & (n_fft - 1):
        return f"nFft must be a power of two, got {n_fft}"
    if s.get("featureType") not in (None, "mfcc", "logmel"):
        return 'featureType must be "mfcc" or "logmel"'
    if s.get("featureType", "mfcc") == "mfcc" and s["nMfcc"] > s["nMels"]:
        return f"nMfcc ({number_text(s['nMfcc'])}) cannot exceed nMels ({number_text(s['nMels'])})"
    if s.get("padMode") not in ("constant", "reflect"):
        return 'padMode must be "constant" or "reflect"'
    if samples_per_segment(s) < s["hopLength"]:
        return "segments are shorter than one hop"
    if frames_per_segment(s) * values_per_frame(s) > MAX_SEGMENT_VALUES:
        return (
            f"segments of {frames_per_segment(s)} frames × {number_text(values_per_frame(s))} coefficients are too large "
            f"(at most {MAX_SEGMENT_VALUES} values a segment)"
        )
    return None


# ---------------------------------------------------------------- model files


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
    x-migrations, in order (src/model/files/metadata.ts's migrateMetadata applies the same steps):
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
    """The weights model.json's layers would hold, counted from the topology alone (as src/model/files/topology-size.ts)."""
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
    """model.json as the lab checks it (src/model/files/model-check.ts), before any weight is read."""
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


# ---------------------------------------------------------------- layers

ACTIVATIONS = {
    "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, 0),
    "tanh": np.tanh,
    "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
    "hard_sigmoid": lambda x: np.clip(0.2 * x + 0.5, 0, 1),
    "softmax": lambda x: np.exp(x - x.max(axis=-1, keepdims=True))
    / np.exp(x - x.max(axis=-1, keepdims=True)).sum(axis=-1, keepdims=True),
}


def activation(name):
    if name not in ACTIVATIONS:
        raise ModelError(f"activation {name} is not one the lab exports")
    return ACTIVATIONS[name]


def lstm(x, config, w):
    """tf.layers.lstm forward: gates i, f, c, o; kernel [in, 4H], recurrent kernel [H, 4H]."""
    name = config["name"]
    kernel, recurrent = w[name + "/kernel"], w[name + "/recurrent_kernel"]
    bias = w.get(name + "/bias", np.zeros(kernel.shape[1]))
    units = recurrent.shape[0]
    act, rec = activation(config.get("activation", "tanh")), activation(config.get("recurrent_activation", "sigmoid"))
    if config.get("go_backwards"):
        x = x[:, ::-1]
    batch, steps, _ = x.shape
    h = np.zeros((batch, units))
    c = np.zeros((batch, units))
    projected = x @ kernel + bias
    outputs = []
    for t in range(steps):
        z = projected[:, t] + h @ recurrent
        i, f, g, o = rec(z[:, :units]), rec(z[:, units : 2 * units]), act(z[:, 2 * units : 3 * units]), rec(z[:, 3 * units :])
        c = f * c + i * g
        h = o * act(c)
        outputs.append(h)
    return np.stack(outputs, axis=1) if config.get("return_sequences") else h


def dense(x, config, w):
    name = config["name"]
    y = x @ w[name + "/kernel"]
    if config.get("use_bias", True):
        y = y + w[name + "/bias"]
    return activation(config.get("activation", "linear"))(y)


def same_pad(x, kernel_shape):
    """TensorFlow's 'same' padding at stride 1: the extra row (if any) goes after."""
    pads = [(0, 0)] + [((k - 1) // 2, k - 1 - (k - 1) // 2) for k in kernel_shape] + [(0, 0)]
    return np.pad(x, pads)


def conv(x, config, w):
    """Conv1D / Conv2D at stride 1, 'same' or 'valid' padding: one matmul per kernel offset."""
    name = config["name"]
    kernel = w[name + "/kernel"]  # [k..., in, out]
    spatial = kernel.shape[:-2]
    if any(s != 1 for s in config.get("strides", [1])) or any(d != 1 for d in config.get("dilation_rate", [1])):
        raise ModelError(f"layer {name}: only stride 1 and dilation 1 convolutions are run here")
    padded = same_pad(x, spatial) if config.get("padding") == "same" else x
    out_shape = [padded.shape[1 + i] - spatial[i] + 1 for i in range(len(spatial))]
    y = np.zeros([x.shape[0]] + out_shape + [kernel.shape[-1]])
    for offset in np.ndindex(*spatial):
        window = padded[(slice(None),) + tuple(slice(o, o + n) for o, n in zip(offset, out_shape))]
        y += window @ kernel[offset]
    if config.get("use_bias", True):
        y = y + w[name + "/bias"]
    return activation(config.get("activation", "linear"))(y)


def batch_norm(x, config, w):
    name = config["name"]
    scale = w.get(name + "/gamma", 1.0) / np.sqrt(w[name + "/moving_variance"] + config.get("epsilon", 1e-3))
    return (x - w[name + "/moving_mean"]) * scale + w.get(name + "/beta", 0.0)


def max_pool(x, config):
    """MaxPooling1D / 2D, 'valid' padding, strides equal to the pool (as the lab builds them)."""
    pool = config["pool_size"] if isinstance(config["pool_size"], list) else [config["pool_size"]]
    strides = config.get("strides") or pool
    strides = strides if isinstance(strides, list) else [strides]
    if list(strides) != list(pool) or config.get("padding", "valid") != "valid":
        raise ModelError(f"layer {config['name']}: only 'valid' pooling with strides equal to the pool is run here")
    batch, channels = x.shape[0], x.shape[-1]
    kept = [x.shape[1 + i] // p for i, p in enumerate(pool)]
    x = x[(slice(None),) + tuple(slice(0, k * p) for k, p in zip(kept, pool))]
    shape = [batch] + [v for k, p in zip(kept, pool) for v in (k, p)] + [channels]
    return x.reshape(shape).max(axis=tuple(2 + 2 * i for i in range(len(pool))))


def run_model(model_json, w, x):
    """The layers in order on a batch of segments; w: the weights by name (weights_by_name)."""
    for layer in layers_of(model_json):
        kind, config = layer["class_name"], layer["config"]
        if kind == "LSTM":
            x = lstm(x, config, w)
        elif kind == "Dense":
            x = dense(x, config, w)
        elif kind in ("Conv1D", "Conv2D"):
            x = conv(x, config, w)
        elif kind == "BatchNormalization":
            x = batch_norm(x, config, w)
        elif kind == "Activation":
            x = activation(config["activation"])(x)
        elif kind in ("MaxPooling1D", "MaxPooling2D"):
            x = max_pool(x, config)
        elif kind in ("GlobalAveragePooling1D", "GlobalAveragePooling2D"):
            x = x.mean(axis=tuple(range(1, x.ndim - 1)))
        elif kind == "Reshape":
            x = x.reshape((x.shape[0],) + tuple(config["target_shape"]))
        elif kind in ("Dropout", "InputLayer"):
            pass  # identity at inference
        else:
            raise ModelError(f"layer {kind} is not one the lab exports ({', '.join(LAYERS)})")
    return x


# ---------------------------------------------------------------- audio


def load_audio(path, target_rate, keep_seconds=None):
    """librosa.load(path, sr=target_rate, mono=True): soundfile, mean of the channels, resampled."""
    import soundfile as sf  # here, so that python/train.py can use this file's checks without soundfile

    data, rate = sf.read(path, dtype="float32", always_2d=True)
    mono = data.mean(axis=1, dtype=np.float64).astype(np.float32)
    seconds = len(mono) / rate
    keep = None if keep_seconds is None else int(math.ceil(keep_seconds * target_rate))
    return resample(mono, rate, target_rate, keep), seconds


def bessel_i0(x):
    return np.i0(x)


_TABLES = {}


def sinc_table(zero_crossings=32, beta=9.6, density=512):
    key = (zero_crossings, beta)
    if key not in _TABLES:
        n = zero_crossings * density
        u = np.arange(n + 2) / density
        u[-1] = 0  # the guard entry stays 0, as in the lab
        r = u / zero_crossings
        sinc = np.where(u == 0, 1.0, np.sin(np.pi * u) / np.where(u == 0, 1, np.pi * u))
        table = sinc * bessel_i0(beta * np.sqrt(np.maximum(0, 1 - r * r))) / bessel_i0(beta)
        table[-1] = 0
        _TABLES[key] = table
    return _TABLES[key]


def resample(x, from_rate, to_rate, max_out=None, zero_crossings=32, beta=9.6, rolloff=0.95, density=512):
    """The lab's Kaiser-windowed sinc resampler (src/dsp/resample.ts), vectorised over outputs."""
    if from_rate == to_rate:
        return x if max_out is None else x[:max_out]
    ratio = to_rate / from_rate
    out_len = int(math.ceil(len(x) * ratio))
    if max_out is not None:
        out_len = min(out_len, max_out)
    table = sinc_table(zero_crossings, beta, density)
    cutoff = min(1.0, ratio) * rolloff
    half = zero_crossings / cutoff
    scale = cutoff * density
    last = len(x) - 1
    xs = x.astype(np.float64)
    out = np.empty(out_len, dtype=np.float32)
    chunk = 1 << 16
    for s in range(0, out_len, chunk):
        t = np.arange(s, min(out_len, s + chunk)) / ratio
        lo = np.maximum(0, np.ceil(t - half)).astype(np.int64)
        hi = np.minimum(last, np.floor(t + half)).astype(np.int64)
        acc = np.zeros(len(t))
        for j in range(int(math.ceil(2 * half)) + 2):
            k = lo + j
            valid = k <= hi
            kk = np.where(valid, k, 0)
            pos = np.abs(t - kk) * scale
            i = pos.astype(np.int64)
            frac = pos - i
            i = np.minimum(i, len(table) - 2)
            acc += np.where(valid, xs[kk] * (table[i] + frac * (table[i + 1] - table[i])), 0)
        out[s : s + len(t)] = acc * cutoff
    return out


# ---------------------------------------------------------------- features


def hz_to_mel(hz):
    f_sp, min_log_hz = 200 / 3, 1000.0
    min_log_mel, step = min_log_hz / f_sp, math.log(6.4) / 27
    hz = np.asarray(hz, dtype=np.float64)
    return np.where(hz >= min_log_hz, min_log_mel + np.log(np.maximum(hz, 1e-300) / min_log_hz) / step, hz / f_sp)


def mel_to_hz(mel):
    f_sp, min_log_hz = 200 / 3, 1000.0
    min_log_mel, step = min_log_hz / f_sp, math.log(6.4) / 27
    mel = np.asarray(mel, dtype=np.float64)
    return np.where(mel >= min_log_mel, min_log_hz * np.exp(step * (mel - min_log_mel)), f_sp * mel)


def mel_filterbank(sr, n_fft, n_mels):
    """librosa.filters.mel(sr, n_fft, n_mels) (Slaney scale and area norm), as float32."""
    freqs = np.arange(n_fft // 2 + 1) * sr / n_fft
    mel_f = mel_to_hz(np.linspace(hz_to_mel(0.0), hz_to_mel(sr / 2), n_mels + 2))
    lower = (freqs[None, :] - mel_f[:n_mels, None]) / (mel_f[1 : n_mels + 1] - mel_f[:n_mels])[:, None]
    upper = (mel_f[2:, None] - freqs[None, :]) / (mel_f[2:] - mel_f[1 : n_mels + 1])[:, None]
    weights = np.maximum(0, np.minimum(lower, upper)) * (2 / (mel_f[2:] - mel_f[:n_mels]))[:, None]
    return weights.astype(np.float32).astype(np.float64)


def dct_ortho(n_out, n_in):
    n = np.arange(n_in)
    k = np.arange(n_out)[:, None]
    m = np.cos(np.pi * k * (2 * n + 1) / (2 * n_in)) * math.sqrt(2 / n_in)
    m[0] /= math.sqrt(2)
    return m


class Mfcc:
    def __init__(self, s):
        self.s = s
        n_fft = s["nFft"]
        self.window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)
        self.mel = mel_filterbank(s["sampleRate"], n_fft, s["nMels"])
        self.dct = dct_ortho(s["nMfcc"], s["nMels"])

    def frame_count(self, n):
        return 1 + n // self.s["hopLength"]

    def __call__(self, segment):
        """MFCCs (or, with featureType "logmel", log-mel dB) of one segment, frames x coefficients."""
        n_fft, hop = self.s["nFft"], self.s["hopLength"]
        x = segment.astype(np.float64)
        mode = "reflect" if self.s.get("padMode") == "reflect" else "constant"
        padded = np.pad(x, n_fft // 2, mode=mode)
        frames = self.frame_count(len(x))
        idx = np.arange(n_fft)[None, :] + hop * np.arange(frames)[:, None]
        spectrum = np.fft.rfft(padded[idx] * self.window, axis=1)
        power = spectrum.real**2 + spectrum.imag**2
        db = 10 * np.log10(np.maximum(power @ self.mel.T, AMIN))
        db = np.maximum(db, db.max() - TOP_DB)
        if self.s.get("featureType") == "logmel":
            return db.astype(np.float32)  # the log-mel spectrogram: frames x mel bands
        return (db @ self.dct.T).astype(np.float32)


def segment_mfccs(signal, mfcc, whole=False):
    """The recipe's cut: equal segments, each kept only with its full frame count."""
    s = mfcc.s
    size = int(s["sampleRate"] * s["trackSeconds"] // s["segments"])
    expected = -(-size // s["hopLength"])
    count = len(signal) // size if whole else s["segments"]
    out = []
    for d in range(count):
        start, end = d * size, min((d + 1) * size, len(signal))
        if end <= start:
            break
        if mfcc.frame_count(end - start) == expected:
            out.append(mfcc(signal[start:end]))
    return out


# ---------------------------------------------------------------- main


def classify(model_dir, audio_path):
    model_json, weights, metadata = read_model(model_dir)
    settings = check_metadata(metadata)
    check_topology(model_json, metadata["genres"], len(weights), metadata["inputShape"])
    w = weights_by_name(model_json, weights)
    signal, seconds = load_audio(audio_path, settings["sampleRate"])
    segments = segment_mfccs(signal, Mfcc(settings), whole=True)
    if not segments:
        raise ModelError(
            f"{printable(audio_path)}: {seconds:.1f} s, shorter than one segment of {settings['trackSeconds'] / settings['segments']:.1f} s"
        )
    x = np.stack(segments).astype(np.float64)
    std = metadata.get("standardization")
    if std:
        x = (x - np.asarray(std["mean"])) / np.asarray(std["std"])
    probs = run_model(model_json, w, x)
    # Finite weights can still overflow; a made-up "nan %" is worse than no answer.
    if not np.all(np.isfinite(probs)):
        raise ModelError("the model gave a probability that is not a number: it cannot classify this clip")
    return metadata["genres"], probs.mean(axis=0), probs, seconds, settings


def mfcc_command(args, flags):
    settings = dict(DEFAULT_SETTINGS)
    if "--settings" in flags:
        try:
            with open(args[1]) as f:
                settings.update(json.load(f))
        except ValueError:
            raise ModelError(f"{printable(args[1])} is not valid JSON")
    problem = settings_problem(settings)
    if problem:
        raise ModelError(f"settings: {problem}")
    signal, _ = load_audio(args[0], settings["sampleRate"], None if "--whole" in flags else settings["trackSeconds"])
    print(json.dumps([m.tolist() for m in segment_mfccs(signal, Mfcc(settings), whole="--whole" in flags)]))
    return 0


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    flags = {a for a in argv if a.startswith("--")}
    if "--mfcc" in flags:
        return mfcc_command(args, flags)
    if len(args) == 1:
        args = [os.path.dirname(os.path.abspath(__file__))] + args
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    genres, clip, per_segment, seconds, settings = classify(args[0], args[1])
    if "--json" in flags:
        print(json.dumps({"genres": genres, "clip": clip.tolist(), "segments": per_segment.tolist(), "seconds": seconds}))
        return 0
    print(f"{printable(args[1])}: {seconds:.1f} s, {len(per_segment)} segments")
    for k in np.argsort(-clip)[:5]:
        print(f"{printable(genres[k]):<12} {100 * clip[k]:5.1f} %")
    step = settings["trackSeconds"] / settings["segments"]
    print("per segment:")
    for i, p in enumerate(per_segment):
        k = int(np.argmax(p))
        print(f"  {i * step:6.1f}–{(i + 1) * step:6.1f} s  {printable(genres[k]):<12} {100 * p[k]:5.1f} %")
    return 0


def run(argv):
    """main(), with every refusal said in one line (no traceback), as the lab's other tools say it."""
    try:
        return main(argv)
    except (ModelError, OSError, RuntimeError, MemoryError, zipfile.BadZipFile) as e:
        print(f"predict.py: {printable(e)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
