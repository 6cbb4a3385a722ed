"""The lab's augmentation of training batches (src/model/data/augment.ts), in PyTorch."""

import torch


def augment(x, a, rng):
    """The lab's time and frequency masks and circular time shift (augment.ts), per segment."""
    if not a:
        return x
    x = x.clone()
    frames, bands = x.shape[1], x.shape[2]
    for i in range(x.shape[0]):
        if a.get("shift"):
            x[i] = torch.roll(x[i], int(rng.integers(-a["shift"], a["shift"] + 1)), dims=0)
        if a.get("timeMask"):
            w = int(rng.integers(0, a["timeMask"] + 1))
            s = int(rng.integers(0, max(1, frames - w + 1)))
            x[i, s : s + w] = 0
        if a.get("freqMask"):
            w = int(rng.integers(0, a["freqMask"] + 1))
            s = int(rng.integers(0, max(1, bands - w + 1)))
            x[i, :, s : s + w] = 0
    return x
