"""How train.py scores a side of the split, as the lab scores it: loss, segment accuracy and clip
accuracy (a clip's mean probability)."""

import numpy as np
import torch
import torch.nn.functional as F


def evaluate(model, data, rows, batch=256, device="cpu"):
    """Loss, segment and clip accuracy (a clip's mean probability) over these rows, shard by shard."""
    model.eval()
    probs, ys, clips = [], [], []
    with torch.no_grad():
        for x, y, idx in data.batches(rows, batch):
            probs.append(F.softmax(model(x.to(device)), dim=1).cpu())
            ys.append(y)
            clips.append(data.clip[idx])
    if not probs:  # no clips on this side: nothing to score (null in metadata.json, never NaN)
        return {
            "loss": None,
            "segment": None,
            "clip": 0.0,
            "clip_right": 0,
            "clips": 0,
            "probs": torch.zeros(0, len(data.genres)),
        }
    probs, y, clip = torch.cat(probs), torch.cat(ys), np.concatenate(clips)
    loss = float(F.nll_loss(torch.log(probs.clamp_min(1e-7)), y))
    clip_right = 0
    for c in np.unique(clip):
        sel = torch.from_numpy(clip == c)
        clip_right += int(probs[sel].mean(0).argmax() == y[sel][0])
    n_clips = len(np.unique(clip))
    return {
        "loss": loss,
        "segment": float((probs.argmax(1) == y).float().mean()),
        "clip": clip_right / n_clips,
        "clip_right": clip_right,
        "clips": n_clips,
        "probs": probs,
    }
