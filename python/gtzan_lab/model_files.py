"""The lab's model files from PyTorch modules and back: the Keras topology and weights TensorFlow.js
reads (model.json, weights.bin), written with metadata.json and model.zip under temporary names
and renamed at the end, so a failed write leaves no half-written file; and --init's weights, read
without trusting model.json (paths kept in its folder, sizes bounded, values finite)."""
import io
import json
import os
import tempfile
import zipfile

import numpy as np
import torch

from . import TrainError
from .initial_weights import initial_values
from .limits import LIMITS, METADATA_VERSION, ModelError  # noqa: F401 (METADATA_VERSION: train.py writes it)
from .model_reading import weights_by_name

# TensorFlow.js's batch normalisation epsilon (the Keras default), not PyTorch's.
BN_EPSILON = 1e-3


def _layer(class_name, name, **config):
    return {"class_name": class_name, "config": dict(config, name=name, trainable=True)}


def tfjs_layers(model, arch, frames, coefficients, classes, m):
    """The Keras topology TensorFlow.js reads, and its weights in manifest order, channels last."""
    layers, weights = [], []

    def add(name, array):
        weights.append((name, np.ascontiguousarray(array, dtype=np.float32)))

    def bn(name, b):
        layers.append(_layer("BatchNormalization", name, axis=-1, momentum=0.99, epsilon=BN_EPSILON, center=True, scale=True))
        add(f"{name}/gamma", b.weight.detach().numpy())
        add(f"{name}/beta", b.bias.detach().numpy())
        add(f"{name}/moving_mean", b.running_mean.numpy())
        add(f"{name}/moving_variance", b.running_var.numpy())

    def dense(name, lin, activation):
        layers.append(_layer("Dense", name, units=lin.out_features, activation=activation, use_bias=True))
        add(f"{name}/kernel", lin.weight.detach().numpy().T)
        add(f"{name}/bias", lin.bias.detach().numpy())

    shape = [None, frames, coefficients]
    if arch == "lstm":
        for i, lstm in enumerate(model.lstms):
            name = f"lstm_{i + 1}"
            cfg = dict(
                units=lstm.hidden_size,
                activation="tanh",
                recurrent_activation="sigmoid",
                use_bias=True,
                return_sequences=i < len(model.lstms) - 1,
                unit_forget_bias=True,
            )
            if i == 0:
                cfg.update(batch_input_shape=shape, dtype="float32")
            layers.append(_layer("LSTM", name, **cfg))
            add(f"{name}/kernel", lstm.weight_ih_l0.detach().numpy().T)
            add(f"{name}/recurrent_kernel", lstm.weight_hh_l0.detach().numpy().T)
            add(f"{name}/bias", (lstm.bias_ih_l0 + lstm.bias_hh_l0).detach().numpy())
        dense("dense_1", model.dense, "relu")
        layers.append(_layer("Dropout", "dropout_1", rate=m["dropout"]))
        dense("dense_2", model.out, "softmax")
    elif arch == "cnn":
        layers.append(
            _layer("Reshape", "reshape_1", target_shape=[frames, coefficients, 1], batch_input_shape=shape, dtype="float32")
        )
        for b, (conv, norm, pool) in enumerate(zip(model.convs, model.bns, model.pools)):
            layers.append(
                _layer(
                    "Conv2D",
                    f"conv2d_{b + 1}",
                    filters=conv.out_channels,
                    kernel_size=[3, 3],
                    strides=[1, 1],
                    padding="same",
                    data_format="channels_last",
                    dilation_rate=[1, 1],
                    activation="linear",
                    use_bias=False,
                )
            )
            add(f"conv2d_{b + 1}/kernel", conv.weight.detach().numpy().transpose(2, 3, 1, 0))
            bn(f"batch_normalization_{b + 1}", norm)
            layers.append(_layer("Activation", f"activation_{b + 1}", activation="relu"))
            layers.append(
                _layer(
                    "MaxPooling2D",
                    f"max_pooling2d_{b + 1}",
                    pool_size=list(pool),
                    strides=list(pool),
                    padding="valid",
                    data_format="channels_last",
                )
            )
        layers.append(_layer("GlobalAveragePooling2D", "global_average_pooling2d_1", data_format="channels_last"))
        layers.append(_layer("Dropout", "dropout_1", rate=m["dropout"]))
        dense("dense_1", model.out, "softmax")
    else:
        for b, (conv, norm) in enumerate(zip(model.convs, model.bns)):
            cfg = dict(
                filters=conv.out_channels,
                kernel_size=[5],
                strides=[1],
                padding="same",
                dilation_rate=[1],
                activation="linear",
                use_bias=False,
            )
            if b == 0:
                cfg.update(batch_input_shape=shape, dtype="float32")
            layers.append(_layer("Conv1D", f"conv1d_{b + 1}", **cfg))
            add(f"conv1d_{b + 1}/kernel", conv.weight.detach().numpy().transpose(2, 1, 0))
            bn(f"batch_normalization_{b + 1}", norm)
            layers.append(_layer("Activation", f"activation_{b + 1}", activation="relu"))
            layers.append(_layer("MaxPooling1D", f"max_pooling1d_{b + 1}", pool_size=[2], strides=[2], padding="valid"))
        layers.append(_layer("GlobalAveragePooling1D", "global_average_pooling1d_1"))
        dense("dense_1", model.dense, "relu")
        layers.append(_layer("Dropout", "dropout_1", rate=m["dropout"]))
        dense("dense_2", model.out, "softmax")
    topology = {
        "class_name": "Sequential",
        "config": {"name": "sequential_1", "layers": layers},
        "keras_version": "tfjs-layers 4.22.0",
        "backend": "tensor_flow.js",
    }
    return topology, weights


def _json_bytes(value, name, indent=None):
    """JSON text with no NaN or Infinity in it: no reader of the lab takes them."""
    try:
        return json.dumps(value, indent=indent, allow_nan=False).encode()
    except ValueError:
        raise TrainError(f"{name} would hold a value that is not a finite number; nothing was written")


def write_files(out, files):
    """Writes each of files (name → bytes, in order) under a temporary name in out, then renames
    them all into place, model.zip last. On any failure the temporaries are removed and the
    folder keeps what it held before (a previous run's files stay whole and consistent)."""
    os.makedirs(out, exist_ok=True)
    mask = os.umask(0)
    os.umask(mask)
    temps = []
    try:
        for name, data in files.items():
            fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{name}.", suffix=".partial")
            temps.append((tmp, name))
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.chmod(tmp, 0o666 & ~mask)
        for tmp, name in temps:
            os.replace(tmp, os.path.join(out, name))
    except OSError as e:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)
        raise TrainError(f"could not write the model in {out}: {e.strerror or e}; the files it held before are as they were")


def model_files(topology, weights, metadata, extra=None):
    """model.json, weights.bin, metadata.json (and any extra files), then model.zip of the first three."""
    blob = b"".join(w.tobytes() for _, w in weights)
    manifest = [
        {"paths": ["weights.bin"], "weights": [{"name": n, "shape": list(w.shape), "dtype": "float32"} for n, w in weights]}
    ]
    model_json = {
        "format": "layers-model",
        "generatedBy": f"GTZAN Lab python/train.py, PyTorch {torch.__version__}",
        "convertedBy": None,
        "modelTopology": topology,
        "weightsManifest": manifest,
    }
    files = {
        "model.json": _json_bytes(model_json, "model.json"),
        "weights.bin": blob,
        "metadata.json": _json_bytes(metadata, "metadata.json", indent=1),
    }
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    files.update({k: _json_bytes(v, k) for k, v in (extra or {}).items()})
    files["model.zip"] = packed.getvalue()
    return files


def write_model(out, topology, weights, metadata, extra=None):
    write_files(out, model_files(topology, weights, metadata, extra))


def lab_names(ours, manifest):
    """Our weight names → the lab model's, layer by layer: tfjs names its layers otherwise and
    lists the non-trainable weights (batch normalisation's moving statistics) after all others."""

    def layers(names):
        out = []
        for n in names:
            prefix = n.rsplit("/", 1)[0]
            if prefix not in out:
                out.append(prefix)
        return out

    theirs = [w["name"] for w in manifest]
    pairs = dict(zip(layers([n for n, _ in ours]), layers(theirs)))
    if len(pairs) != len(layers(theirs)):
        return None
    mapped = {n: pairs[n.rsplit("/", 1)[0]] + "/" + n.rsplit("/", 1)[1] for n, _ in ours}
    return mapped if set(mapped.values()) == set(theirs) else None


def _refuse_constant(word):
    raise ValueError(f"{word} is not JSON")


def read_init_weights(model_json_path):
    """(model.json, its weights by name) for --init: model.json and the weights it lists bounded by
    the lab's limits before they are read, every path inside model.json's own folder, the sizes
    those of the shapes declared, every value finite (predict.py's check and words)."""
    where = model_json_path
    limits = LIMITS
    if not os.path.isfile(where):
        raise TrainError(f"--init {where}: no such file")
    if os.path.getsize(where) > limits["fileBytes"]["model.json"]:
        raise TrainError(
            f'--init {where} is larger than the {limits["fileBytes"]["model.json"] // 2 ** 20} MiB the lab reads for a model.json'
        )
    try:
        with open(where, "rb") as f:
            mj = json.loads(f.read(), parse_constant=_refuse_constant)
    except ValueError:
        raise TrainError(f"--init {where} is not valid JSON")
    groups = mj.get("weightsManifest") if isinstance(mj, dict) else None
    well_formed = (
        isinstance(groups, list)
        and groups
        and all(isinstance(g, dict) and isinstance(g.get("paths"), list) and isinstance(g.get("weights"), list) for g in groups)
    )
    if not well_formed:
        raise TrainError(f"--init {where} has no weights manifest (a list of groups of paths and weights)")
    folder = os.path.realpath(os.path.dirname(os.path.abspath(where)))
    files, count = [], 0
    for g in groups:
        for p in g["paths"]:
            parts = p.replace("\\", "/").split("/") if isinstance(p, str) else []
            full = os.path.realpath(os.path.join(folder, p)) if parts else ""
            if not parts or os.path.isabs(p) or ".." in parts or os.path.commonpath([full, folder]) != folder:
                raise TrainError(
                    f"--init {where}: weights path {json.dumps(p)} is outside the model's folder; --init reads weights beside its model.json only"
                )
            if not os.path.isfile(full):
                raise TrainError(f"--init {where}: its weights file {p} is missing or not a file")
            files.append(full)
        for spec in g["weights"]:
            shape = spec.get("shape") if isinstance(spec, dict) else None
            if (
                not isinstance(shape, list)
                or any(isinstance(d, bool) or not isinstance(d, int) or d < 0 for d in shape)
                or spec.get("dtype", "float32") != "float32"
            ):
                raise TrainError(
                    f'--init {where}: its weights manifest lists {json.dumps(spec.get("name") if isinstance(spec, dict) else spec)} '
                    "with a shape or type the lab does not read"
                )
            count += int(np.prod(shape, dtype=object)) if shape else 1
    if count > limits["parameters"]:
        raise TrainError(f'--init {where} declares {count:,} weights; the lab runs models of up to {limits["parameters"]:,}')
    size = sum(os.path.getsize(f) for f in files)
    if size != 4 * count:
        raise TrainError(
            f"--init {where}: its weights files hold {size:,} bytes but its manifest declares {4 * count:,} ({count:,} float32 weights)"
        )
    blob = b"".join(open(f, "rb").read(4 * count + 1) for f in files)
    try:
        return mj, weights_by_name(mj, blob)
    except ModelError as e:
        raise TrainError(f"--init {where}: {e}")


def load_tfjs_weights(model, arch, frames, coefficients, classes, m, model_json_path):
    """Starts from a lab model's weights (same architecture, e.g. the page's initial weights)."""
    mj, by_name = read_init_weights(model_json_path)
    manifest = [spec for g in mj["weightsManifest"] for spec in g["weights"]]
    arrays = {k: v.astype(np.float32) for k, v in by_name.items()}
    _, ours = tfjs_layers(model, arch, frames, coefficients, classes, m)
    names = lab_names(ours, manifest)
    if names is None or any(list(arrays[names[n]].shape) != list(w.shape) for n, w in ours):
        raise TrainError(f"--init {model_json_path}: its weights do not fit this architecture")
    _set_lab_weights(model, arch, [arrays[names[n]] for n, _ in ours])


def lab_start_weights(model, arch, frames, coefficients, classes, m, seed):
    """The weights the lab starts this architecture from for `seed`, in tfjs_layers' order:
    kernels drawn as the lab draws them (the n-th randomly started weight from the n-th stream of
    the seed), biases 0 but the LSTMs' forget gates at 1 (Keras's unit_forget_bias), batch
    normalisation at γ 1, β 0 and its moving statistics at 0 and 1."""
    _, ours = tfjs_layers(model, arch, frames, coefficients, classes, m)
    out, index = [], 0
    for name, w in ours:
        layer, what = name.rsplit("/", 1)
        if what in ("kernel", "recurrent_kernel"):
            kind = "orthogonal" if what == "recurrent_kernel" else "heNormal" if layer.startswith("conv") else "glorotUniform"
            out.append(initial_values(kind, w.shape, seed, index))
            index += 1
        elif what in ("gamma", "moving_variance"):
            out.append(np.ones(w.shape, dtype=np.float32))
        else:
            start = np.zeros(w.shape, dtype=np.float32)
            if what == "bias" and layer.startswith("lstm"):
                units = w.shape[0] // 4
                start[units : 2 * units] = 1
            out.append(start)
    return out


def start_from_lab(model, arch, frames, coefficients, classes, m, seed):
    """Sets the model to the lab's starting weights for `seed`: a run moved from the page starts where the lab would."""
    _set_lab_weights(model, arch, lab_start_weights(model, arch, frames, coefficients, classes, m, seed))


def _set_lab_weights(model, arch, arrays):
    """Copies weights in the lab's layout and tfjs_layers' order into the PyTorch modules."""
    it = iter(arrays)
    with torch.no_grad():
        if arch == "lstm":
            for lstm in model.lstms:
                lstm.weight_ih_l0.copy_(torch.from_numpy(next(it).T.copy()))
                lstm.weight_hh_l0.copy_(torch.from_numpy(next(it).T.copy()))
                lstm.bias_ih_l0.copy_(torch.from_numpy(next(it).copy()))
                lstm.bias_hh_l0.zero_()
            linears = [model.dense, model.out]
        else:
            for conv, bn in zip(model.convs, model.bns):
                k = next(it)
                conv.weight.copy_(
                    torch.from_numpy(k.transpose(3, 2, 0, 1).copy() if arch == "cnn" else k.transpose(2, 1, 0).copy())
                )
                for target in (bn.weight, bn.bias, bn.running_mean, bn.running_var):
                    target.copy_(torch.from_numpy(next(it).copy()))
            linears = [model.out] if arch == "cnn" else [model.dense, model.out]
        for lin in linears:
            lin.weight.copy_(torch.from_numpy(next(it).T.copy()))
            lin.bias.copy_(torch.from_numpy(next(it).copy()))
