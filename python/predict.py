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
import soundfile as sf

AMIN = 1e-10
TOP_DB = 80.0
DEFAULT_SETTINGS = {
    "sampleRate": 22050, "nMfcc": 13, "nFft": 2048, "hopLength": 512, "nMels": 128,
    "segments": 10, "trackSeconds": 30, "padMode": "constant",
}


# ---------------------------------------------------------------- model files

def read_model(path):
    """(model.json, weights.bin bytes, metadata.json) from a folder or the lab's zip."""
    names = ("model.json", "weights.bin", "metadata.json")
    if os.path.isfile(path):
        with zipfile.ZipFile(path) as z:
            found = {}
            for info in z.infolist():
                for name in names:
                    if name not in found and (info.filename == name or info.filename.endswith("/" + name)):
                        found[name] = z.read(info)
    else:
        found = {}
        for name in names:
            p = os.path.join(path, name)
            if os.path.exists(p):
                with open(p, "rb") as f:
                    found[name] = f.read()
    missing = [n for n in names if n not in found]
    if missing:
        raise SystemExit(f"{path}: {', '.join(missing)} missing: a model is model.json, weights.bin and metadata.json")
    return json.loads(found["model.json"]), found["weights.bin"], json.loads(found["metadata.json"])


def weights_by_name(model_json, weights):
    """Every weight array of weights.bin, by its name in model.json's manifest."""
    out, offset = {}, 0
    for group in model_json["weightsManifest"]:
        for spec in group["weights"]:
            if spec.get("dtype", "float32") != "float32":
                raise SystemExit(f"weight {spec['name']} is {spec['dtype']}; only float32 is read")
            n = int(np.prod(spec["shape"])) if spec["shape"] else 1
            arr = np.frombuffer(weights, dtype="<f4", count=n, offset=offset).reshape(spec["shape"])
            out[spec["name"]] = arr.astype(np.float64)
            offset += 4 * n
    if offset != len(weights):
        raise SystemExit(f"weights.bin has {len(weights)} bytes but model.json describes {offset}")
    return out


LAYERS = ["LSTM", "Dense", "Dropout", "Conv1D", "Conv2D", "BatchNormalization", "Activation",
          "MaxPooling1D", "MaxPooling2D", "GlobalAveragePooling1D", "GlobalAveragePooling2D", "Reshape"]


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
    "softmax": lambda x: np.exp(x - x.max(axis=-1, keepdims=True)) / np.exp(x - x.max(axis=-1, keepdims=True)).sum(axis=-1, keepdims=True),
}


def activation(name):
    if name not in ACTIVATIONS:
        raise SystemExit(f"activation {name} is not one the lab exports")
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
        i, f, g, o = rec(z[:, :units]), rec(z[:, units:2 * units]), act(z[:, 2 * units:3 * units]), rec(z[:, 3 * units:])
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
        raise SystemExit(f"layer {name}: only stride 1 and dilation 1 convolutions are run here")
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
        raise SystemExit(f"layer {config['name']}: only 'valid' pooling with strides equal to the pool is run here")
    batch, channels = x.shape[0], x.shape[-1]
    kept = [x.shape[1 + i] // p for i, p in enumerate(pool)]
    x = x[(slice(None),) + tuple(slice(0, k * p) for k, p in zip(kept, pool))]
    shape = [batch] + [v for k, p in zip(kept, pool) for v in (k, p)] + [channels]
    return x.reshape(shape).max(axis=tuple(2 + 2 * i for i in range(len(pool))))


def run_model(model_json, weights, x):
    w = weights_by_name(model_json, weights)
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
            raise SystemExit(f"layer {kind} is not one the lab exports ({', '.join(LAYERS)})")
    return x


# ---------------------------------------------------------------- audio

def load_audio(path, target_rate, keep_seconds=None):
    """librosa.load(path, sr=target_rate, mono=True): soundfile, mean of the channels, resampled."""
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
        out[s:s + len(t)] = acc * cutoff
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
    lower = (freqs[None, :] - mel_f[:n_mels, None]) / (mel_f[1:n_mels + 1] - mel_f[:n_mels])[:, None]
    upper = (mel_f[2:, None] - freqs[None, :]) / (mel_f[2:] - mel_f[1:n_mels + 1])[:, None]
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
        power = spectrum.real ** 2 + spectrum.imag ** 2
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
    settings = {**DEFAULT_SETTINGS, **metadata["features"]}
    signal, seconds = load_audio(audio_path, settings["sampleRate"])
    segments = segment_mfccs(signal, Mfcc(settings), whole=True)
    if not segments:
        raise SystemExit(f"{audio_path}: {seconds:.1f} s, shorter than one segment of {settings['trackSeconds'] / settings['segments']:.1f} s")
    x = np.stack(segments).astype(np.float64)
    std = metadata.get("standardization")
    if std:
        x = (x - np.asarray(std["mean"])) / np.asarray(std["std"])
    probs = run_model(model_json, weights, x)
    return metadata["genres"], probs.mean(axis=0), probs, seconds, settings


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    flags = {a for a in argv if a.startswith("--")}
    if "--mfcc" in flags:
        settings = dict(DEFAULT_SETTINGS)
        if "--settings" in flags:
            settings.update(json.load(open(args[1])))
        signal, _ = load_audio(args[0], settings["sampleRate"], None if "--whole" in flags else settings["trackSeconds"])
        print(json.dumps([m.tolist() for m in segment_mfccs(signal, Mfcc(settings), whole="--whole" in flags)]))
        return 0
    if len(args) == 1:
        args = [os.path.dirname(os.path.abspath(__file__))] + args
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    genres, clip, per_segment, seconds, settings = classify(args[0], args[1])
    if "--json" in flags:
        print(json.dumps({"genres": genres, "clip": clip.tolist(), "segments": per_segment.tolist(), "seconds": seconds}))
        return 0
    print(f"{args[1]}: {seconds:.1f} s, {len(per_segment)} segments")
    for k in np.argsort(-clip)[:5]:
        print(f"{genres[k]:<12} {100 * clip[k]:5.1f} %")
    step = settings["trackSeconds"] / settings["segments"]
    print("per segment:")
    for i, p in enumerate(per_segment):
        k = int(np.argmax(p))
        print(f"  {i * step:6.1f}–{(i + 1) * step:6.1f} s  {genres[k]:<12} {100 * p[k]:5.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
