"""The layers the lab exports (LSTM, Dense, Dropout, the CNNs' convolutions, batch normalisation,
pooling and reshapes) run forward in numpy, as TensorFlow.js runs them."""
import numpy as np

from .limits import ModelError
from .model_reading import LAYERS, layers_of


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
