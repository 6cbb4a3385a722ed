"""The features in numpy hold librosa's numbers: the mel filterbank, and the recipe's MFCC segments."""
import os

import numpy as np

from gtzan_lab.audio import load_audio
from gtzan_lab.mel_features import Mfcc, hz_to_mel, mel_filterbank, mel_to_hz, segment_mfccs
from predict import DEFAULT_SETTINGS

SETTINGS = DEFAULT_SETTINGS


def test_mel_scale_round_trips_on_both_sides_of_1000_hz():
    hz = np.array([0.0, 200.0, 999.0, 1000.0, 4000.0, 11025.0])
    assert np.allclose(mel_to_hz(hz_to_mel(hz)), hz, rtol=1e-12, atol=1e-9)


def test_mel_filterbank_equals_librosa(reference_dir):
    ours = mel_filterbank(22050, 2048, 128)
    theirs = np.fromfile(os.path.join(reference_dir, "mel_filterbank_22050_2048_128.f32"), dtype="<f4").reshape(128, 1025)
    assert np.max(np.abs(ours - theirs)) <= 1e-7


def test_the_recipes_ten_segments_match_librosa(reference, reference_dir):
    signal, seconds = load_audio(os.path.join(reference_dir, "audio", "music30_22050_pcm16.wav"), 22050)
    assert abs(seconds - 30) < 0.01
    ours = segment_mfccs(signal, Mfcc(SETTINGS))
    theirs = [
        np.asarray(m["data"], dtype=np.float64).reshape(m["shape"])
        for m in reference["cases"]["music30_22050_pcm16.wav"]["segments10"]
    ]
    assert len(ours) == len(theirs) == 10
    for a, b in zip(ours, theirs):
        assert a.shape == b.shape == (130, 13)
        # librosa computes in float32, the lab in float64: within 2e-3 on values up to hundreds.
        assert np.max(np.abs(a - b)) < 2e-3


def test_reflect_padding_matches_librosa_before_0_10(reference, reference_dir):
    signal, _ = load_audio(os.path.join(reference_dir, "audio", "music30_22050_pcm16.wav"), 22050)
    ours = segment_mfccs(signal, Mfcc({**SETTINGS, "segments": 5, "padMode": "reflect"}))
    theirs = reference["cases"]["music30_22050_pcm16.wav"]["segments_pad_reflect"]
    assert len(ours) == len(theirs) == 5
    for a, b in zip(ours, theirs):
        assert np.max(np.abs(a - np.asarray(b["data"]).reshape(b["shape"]))) < 2e-3


def test_a_segment_short_of_its_frames_is_left_out():
    mfcc = Mfcc(SETTINGS)
    size = 66150
    signal = np.random.RandomState(0).standard_normal(2 * size + size // 2).astype(np.float32)
    assert len(segment_mfccs(signal, mfcc, whole=True)) == 2
