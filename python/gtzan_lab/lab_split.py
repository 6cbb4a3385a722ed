"""The lab's by-clip and by-segment splits (src/model/data/split.ts), index for index.

The same generator (mulberry32 from the seed, one stream through the genres in order), the same
Fisher-Yates shuffle and the same rounding, so `--split clip --seed N` holds out exactly the clips
the page and `npm run train` hold out for that seed.
"""

import math

from .initial_weights import seeded_random


def _shuffle(items, draw):
    for i in range(len(items) - 1, 0, -1):
        j = math.floor(draw() * (i + 1))
        items[i], items[j] = items[j], items[i]
    return items


def _round(x):
    """JavaScript's Math.round for the non-negative sizes here (halves up, not to even)."""
    return math.floor(x + 0.5)


def _cut(units, test_fraction, validation_fraction):
    n_test = _round(len(units) * test_fraction)
    rest = len(units) - n_test
    n_val = _round(rest * validation_fraction)
    return {"test": units[:n_test], "validation": units[n_test : n_test + n_val], "train": units[n_test + n_val :]}


def lab_split(labels, clip_of, genres, mode, seed, test_fraction=0.25, validation_fraction=0.2):
    """Segment indices of each side ('train', 'validation', 'test'), stratified by genre: whole
    clips ('clip') or single segments ('segment'), seeded as the lab seeds them."""
    if mode not in ("clip", "segment"):
        raise ValueError(f"the lab splits by clip or by segment here, not {mode!r}")
    draw = seeded_random(seed)
    out = {"train": [], "validation": [], "test": []}
    clip_of = [int(v) for v in clip_of]
    of_genre = [[] for _ in range(genres)]
    for i, label in enumerate(labels):
        of_genre[int(label)].append(i)
    for segs in of_genre:
        if mode == "segment":
            for side, part in _cut(_shuffle(segs, draw), test_fraction, validation_fraction).items():
                out[side].extend(part)
            continue
        by_clip = {}
        for i in segs:
            by_clip.setdefault(clip_of[i], []).append(i)
        clips = _shuffle(sorted(by_clip), draw)
        for side, part in _cut(clips, test_fraction, validation_fraction).items():
            for c in part:
                out[side].extend(by_clip[c])
    return out
