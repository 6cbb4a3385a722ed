"""Audio as librosa.load decodes it: soundfile, the mean of the channels, resampled with the lab's
Kaiser-windowed sinc (src/dsp/resample.ts)."""
import math

import numpy as np


def load_audio(path, target_rate, keep_seconds=None):
    """librosa.load(path, sr=target_rate, mono=True): soundfile, mean of the channels, resampled."""
    import soundfile as sf  # here, so that importing this module needs no soundfile

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
