"""The lab's features in numpy: center=True framing, periodic Hann window, |STFT|^2, Slaney mel
filterbank, power_to_db (ref 1, amin 1e-10, top_db 80 per segment) and an orthonormal DCT-II
(none for log-mel), held to librosa's numbers; and the recipe's cut of a clip into segments."""
import math

import numpy as np

AMIN = 1e-10
TOP_DB = 80.0


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
