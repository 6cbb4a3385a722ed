"""train.py's split by clip and by segment: seeded, stratified, and no clip on two sides."""
import pytest

from gtzan_lab.lab_split import lab_split


def dataset(genres=3, clips=8, segments=10):
    labels, clip_of = [], []
    for g in range(genres):
        for c in range(clips):
            labels += [g] * segments
            clip_of += [g * clips + c] * segments
    return labels, clip_of


def test_same_seed_same_split_and_another_seed_another():
    labels, clip_of = dataset()
    a = lab_split(labels, clip_of, 3, "clip", 42)
    assert a == lab_split(labels, clip_of, 3, "clip", 42)
    assert a["test"] != lab_split(labels, clip_of, 3, "clip", 43)["test"]


def test_by_clip_every_clip_is_on_one_side_and_every_genre_is_tested():
    labels, clip_of = dataset()
    split = lab_split(labels, clip_of, 3, "clip", 7)
    sides = {side: {clip_of[i] for i in rows} for side, rows in split.items()}
    assert (
        not sides["train"] & sides["test"]
        and not sides["train"] & sides["validation"]
        and not sides["validation"] & sides["test"]
    )
    assert sorted(i for rows in split.values() for i in rows) == list(range(len(labels)))
    # A quarter of each genre's 8 clips held out for test: 2 of each.
    assert sorted(labels[i] for i in split["test"][::10]) == [0, 0, 1, 1, 2, 2]


def test_by_segment_holds_out_a_quarter_of_each_genres_segments():
    labels, clip_of = dataset()
    split = lab_split(labels, clip_of, 3, "segment", 1)
    assert [sum(1 for i in split["test"] if labels[i] == g) for g in range(3)] == [20, 20, 20]


def test_an_unknown_mode_is_refused_with_the_modes_there_are():
    with pytest.raises(ValueError, match="by clip or by segment"):
        lab_split([0], [0], 1, "artist", 1)
