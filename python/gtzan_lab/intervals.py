"""The lab's intervals (src/evaluation/intervals.ts) with numpy and math alone: Wilson's for
a clip accuracy, and the balanced (mean per-genre) clip accuracy with its seeded stratified
bootstrap interval."""

import math

import numpy as np

Z95 = 1.959963984540054


def wilson_interval(p, n, z=Z95):
    """Wilson's 95 % interval of a proportion p over n trials (src/evaluation/intervals.ts)."""
    if n == 0:
        return [0.0, 1.0]
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return [max(0.0, centre - half), min(1.0, centre + half)]


def wilson(right, n):
    """Wilson's 95 % interval of `right` of `n` clips."""
    return wilson_interval(right / n if n else 0.0, n)


def balanced_clip_metrics(probs, labels, clips, resamples=2000, seed=1):
    """The lab's balanced clip accuracy (src/evaluation/intervals.ts): the mean over genres with a
    test clip of each genre's clip accuracy (a clip's mean probability), and its 95 % interval by a
    seeded stratified clip bootstrap (each genre's clips redrawn from its own). numpy and math only."""
    probs, labels, clips = np.asarray(probs, dtype=np.float64), np.asarray(labels), np.asarray(clips)
    by_genre = {}
    for c in np.unique(clips):
        sel = clips == c
        genre = int(labels[sel][0])
        by_genre.setdefault(genre, []).append(int(probs[sel].mean(0).argmax() == genre))
    if not by_genre:
        return {}
    shares = [(len(v), sum(v) / len(v)) for v in by_genre.values()]
    accuracy = sum(p for _, p in shares) / len(shares)
    rng = np.random.RandomState(seed)
    values = np.sort(sum(rng.binomial(n, p, resamples) / n for n, p in shares) / len(shares))
    if values[0] == values[-1]:
        # Every genre all right or all wrong: Wilson's interval over the clips, as the lab gives.
        interval = wilson_interval(accuracy, sum(n for n, _ in shares))
    else:
        interval = [float(values[round(q * (resamples - 1))]) for q in (0.025, 0.975)]
    return {"testBalancedClipAccuracy": accuracy, "testBalancedClipInterval": interval}
