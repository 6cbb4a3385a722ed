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

This file is the command line over the reading, feature and layer modules of python/gtzan_lab/
(none of which needs torch); the predict.py a model zip carries is this file with those modules
written into it by `npm run build:python`, so it runs alone.

Install: pip install numpy soundfile   (Debian: apt-get install python3-numpy python3-soundfile)
"""
import json
import os
import sys
import zipfile

import numpy as np

from gtzan_lab.audio import load_audio
from gtzan_lab.layers import run_model
from gtzan_lab.limits import LIMITS, MAX_SEGMENT_VALUES, SETTING_RANGES, ModelError, printable, settings_problem
from gtzan_lab.mel_features import Mfcc, segment_mfccs
from gtzan_lab.model_reading import check_metadata, check_topology, migrate_metadata, read_model, weights_by_name

# The names the lab's tests and tools read from this module (python -c "import predict").
__all__ = ["LIMITS", "MAX_SEGMENT_VALUES", "SETTING_RANGES", "ModelError", "migrate_metadata", "settings_problem", "main", "run"]

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
