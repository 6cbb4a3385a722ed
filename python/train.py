#!/usr/bin/env python3
"""Train the lab's models with PyTorch, alone or distributed, and write the lab's model zip.

    python3 python/train.py FEATURES.npz|SHARD_FOLDER --out FOLDER [--preset recipe|cnn|fast]
        [--settings metadata.json] [--epochs N] [--split lab|clip|segment] [--seed 0..4294967295]
        [--processes N [--force-processes]] [--init model.json]
    torchrun --nproc_per_node=2 python/train.py ...      (DistributedDataParallel)

Input: the lab's .npz (Export .npz, or npm run extract -- DIR --out F.npz), or a shard folder
written by npm run extract -- DIR --out FOLDER --shard-size N (read one shard at a time, through
its manifest.json). Output: FOLDER/model.json + weights.bin + metadata.json and FOLDER/model.zip:
the TensorFlow.js layers format the page's Load model files, Runs and predict.py take, written
under temporary names and renamed at the end. Everything is checked before the first epoch
(python/gtzan_lab/: features, settings, --out, --init) and every refusal is one line. Tested with PyTorch 1.13 (Debian 12's python3-torch) and numpy 1.24; it
uses nothing newer than PyTorch 1.10. gloo on CPU, nccl where CUDA is present.
"""
import argparse
import datetime
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gtzan_lab import TrainError  # noqa: E402
from gtzan_lab.checks import (
    check_model_size,
    check_out,
    check_processes,
    check_seed,
    check_settings,
    read_settings_file,
)  # noqa: E402
from gtzan_lab.features import Features, split_clips  # noqa: E402,F401
from gtzan_lab.augment import augment
from gtzan_lab.epoch_policy import EpochPolicy
from gtzan_lab.intervals import balanced_clip_metrics, wilson
from gtzan_lab.metrics import evaluate
from gtzan_lab.model_files import (
    METADATA_VERSION,
    load_tfjs_weights,
    read_init_weights,
    start_from_lab,
    tfjs_layers,
    write_model,
)  # noqa: E402,F401
from gtzan_lab.models import ARCHITECTURES, BN_MOMENTUM, Cnn1d, Cnn2d, Recipe  # noqa: E402,F401
from gtzan_lab.seeds import AUGMENT, BATCH_ORDER, seed_run, stream  # noqa: E402

# The lab's presets, from the file the page reads too.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "schemas", "presets.json")) as _f:
    PRESETS = {p["name"]: {k: p[k] for k in ("features", "model", "train")} for p in json.load(_f)["presets"]}


# ---------------------------------------------------------------- training


def prepare(args):
    """Every check a run passes before it trains, in the order a user would fix them: the seed, the
    settings (types and the lab's ranges), --out, --init, the features, and a split that leaves
    clips to train on and to test on. Returns the settings, the data and the split."""
    check_seed(args.seed)
    preset = json.loads(json.dumps(PRESETS[args.preset]))
    m, t = preset["model"], preset["train"]
    if args.settings:
        model_settings, training = read_settings_file(args.settings)
        m = dict(m, **model_settings)
        t = {
            k: v
            for k, v in dict(t, **training).items()
            if k in ("epochs", "batchSize", "standardize", "augment", "earlyStopping", "schedule")
        }
    if args.epochs is not None:
        t["epochs"] = args.epochs
    check_settings(m, t)
    check_out(args.out)
    if args.init:
        read_init_weights(args.init)
    data = Features(args.features)
    mode = args.split or ("lab" if data.lab_split is not None else "clip")
    clip_side, seg_side = split_clips(data, mode, args.seed)
    side = seg_side if seg_side is not None else clip_side[data.clip]
    rows = {name: np.flatnonzero(side == v) for name, v in (("train", 0), ("val", 1), ("test", 2))}
    held = {name: len(np.unique(data.clip[r])) for name, r in rows.items()}
    said = f'{held["train"]} train / {held["val"]} validation / {held["test"]} test clips'
    if not held["train"]:
        raise TrainError(f"{args.features}: the {mode} split has no training clips ({said}): there is nothing to train on")
    if not held["test"]:
        raise TrainError(
            f"{args.features}: the {mode} split has no test clips ({said}): the model could not be measured; use more clips a genre"
        )
    return m, t, data, mode, clip_side, rows


def check_diverged(model, epoch, loss, val_loss, device=None):
    """Stops a run whose loss or weights are no longer finite numbers, naming the epoch: such a
    model gives no probabilities, and no reader of the lab would load it. With several processes
    (device given) they agree first, so all stop together."""
    weights_ok = all(bool(torch.isfinite(v).all()) for v in model.state_dict().values() if v.is_floating_point())
    what = (
        "the loss is NaN"
        if math.isnan(loss)
        else "the loss is infinite"
        if math.isinf(loss)
        else "a weight is no longer a finite number"
        if not weights_ok
        else f"the validation loss is {val_loss}"
        if val_loss is not None and not math.isfinite(val_loss)
        else None
    )
    if device is not None:
        flag = torch.tensor([0.0 if what is None else 1.0], device=device)
        dist.all_reduce(flag)
        what = what or ("another process's loss or weights are not finite" if flag.item() > 0 else None)
    if what:
        raise TrainError(
            f"training diverged at epoch {epoch}: {what}; no model was written (a lower learning rate, "
            "or standardisation, usually helps)"
        )


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("features", help="the lab's .npz, or a folder of .npz shards")
    p.add_argument("--out", required=True)
    p.add_argument("--preset", choices=sorted(PRESETS), default="recipe")
    p.add_argument("--settings", help="a metadata.json of the lab: its model and training settings are used")
    p.add_argument("--epochs", type=int)
    p.add_argument("--split", choices=["lab", "clip", "segment"], help="default: the .npz's own split when it has one, else clip")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--threads", type=int, help="torch threads per process")
    p.add_argument(
        "--processes",
        type=int,
        default=1,
        help="train on N local processes with DistributedDataParallel, started here (what torchrun does)",
    )
    p.add_argument("--force-processes", action="store_true", help="start --processes N even where N is more than the cores")
    p.add_argument("--init", help="start from this model.json's weights (the lab's, same architecture)")
    args = p.parse_args(argv)
    check_processes(args.processes, args.force_processes)
    if args.processes > 1 and "WORLD_SIZE" not in os.environ:
        prepare(args)  # every check once here, so a refusal is said once and before any process starts
        return spawn(args.processes, argv if argv is not None else sys.argv[1:])

    distributed = int(os.environ.get("WORLD_SIZE", "1")) > 1
    if distributed:
        # nccl needs a GPU of its own for every process; with fewer GPUs, gloo (it reduces CUDA tensors too).
        gpus = torch.cuda.device_count() if torch.cuda.is_available() else 0
        dist.init_process_group("nccl" if gpus >= int(os.environ["WORLD_SIZE"]) else "gloo")
    rank, world = (dist.get_rank(), dist.get_world_size()) if distributed else (0, 1)
    if args.threads:
        torch.set_num_threads(args.threads)
    # The GPU of this process where CUDA is present (nccl between them), else the CPU (gloo).
    device = torch.device(
        f'cuda:{int(os.environ.get("LOCAL_RANK", "0")) % torch.cuda.device_count()}' if torch.cuda.is_available() else "cpu"
    )
    seed_run(args.seed, device)

    m, t, data, mode, clip_side, rows = prepare(args)
    frames, coefficients = data.frames, data.coefficients
    classes = len(data.genres)
    if t.get("earlyStopping") and len(rows["val"]) == 0:
        if rank == 0:
            print(
                f'note: the split has no validation clips, so early stopping cannot score an epoch: all {t["epochs"]} epochs run '
                "and the last weights are kept",
                flush=True,
            )
        t["earlyStopping"] = 0
    standardization = data.fit_standardization(rows["train"]) if t.get("standardize") else None

    arch = m.get("architecture", "lstm")
    model = ARCHITECTURES[arch](frames, coefficients, classes, m)
    check_model_size(model)
    if args.init:
        load_tfjs_weights(model, arch, frames, coefficients, classes, m, args.init)
    else:
        start_from_lab(model, arch, frames, coefficients, classes, m, args.seed)
    model.to(device)
    net = (
        nn.parallel.DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)
        if distributed
        else model
    )
    opt = torch.optim.Adam(net.parameters(), lr=m["learningRate"], eps=1e-7)
    epochs, batch = t["epochs"], t["batchSize"]
    history, best = [], (None, 0)
    policy = EpochPolicy(m["learningRate"], t.get("schedule") or "constant", epochs, t.get("earlyStopping") or 0)
    started, train_seconds = time.time(), 0.0
    rng = stream(args.seed, AUGMENT, rank)
    for epoch in range(1, epochs + 1):
        for g in opt.param_groups:
            g["lr"] = policy.rate_for(epoch)
        net.train()
        # One order for every process (the same seed), each takes its share of every batch: the
        # gradients DDP averages are those of the whole batch, as on one process.
        total, right, seen, count = 0.0, 0, 0, 0
        epoch_started = time.time()
        for x_b, y_b, _ in data.batches(rows["train"], batch, rng=stream(args.seed, BATCH_ORDER, epoch)):
            xb, yb = augment(x_b[rank::world], t.get("augment"), rng).to(device), y_b[rank::world].to(device)
            out = net(xb)
            # Each process's share weighs by its size, so the average over processes is the batch's mean.
            loss = F.cross_entropy(out, yb, reduction="sum") * world / len(y_b)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss) * len(y_b) / world
            right += int((out.argmax(1) == yb).sum())
            seen += len(yb)
            count += len(y_b)
        train_seconds += time.time() - epoch_started
        v = evaluate(model, data, rows["val"], device=device)
        check_diverged(model, epoch, total, v["loss"], device if distributed else None)
        history.append(
            {
                "epoch": epoch,
                "epochs": epochs,
                "loss": total / max(1, count),
                "accuracy": right / max(1, seen),
                "valLoss": v["loss"],
                "valAccuracy": v["segment"],
            }
        )
        if rank == 0:
            scored = (
                "no validation clips"
                if v["loss"] is None
                else f'validation loss {v["loss"]:.4f}, validation accuracy {100 * v["segment"]:.1f} %'
            )
            print(f'epoch {epoch}/{epochs}: loss {history[-1]["loss"]:.4f}, {scored}', flush=True)
        is_best, stop = policy.observe(epoch, v["loss"])
        if is_best and t.get("earlyStopping"):
            best = ({k: s.clone() for k, s in model.state_dict().items()}, epoch)
        if stop:
            break
    if best[0] is not None:
        model.load_state_dict(best[0])
    test = evaluate(model, data, rows["test"], device=device)
    model.cpu()
    if rank == 0:
        names = data.clip_names
        sides = clip_side
        counts = {
            k: (int((sides == v).sum()) if sides is not None else len(np.unique(data.clip[rows[n]])))
            for k, v, n in (("trainClips", 0, "train"), ("validationClips", 1, "val"), ("testClips", 2, "test"))
        }
        lab_mode = getattr(data, "split_info", {}).get("mode") if mode == "lab" else None
        kind = {"segment": "by-segment", "clip": "by-clip", "lab": f"the lab's {lab_mode or ''}".rstrip()}[mode]
        sizes = f'{kind} split: {counts["trainClips"]} train / {counts["validationClips"]} validation / {counts["testClips"]} test clips'
        metadata = {
            "format": "gtzan-lab-model",
            "version": METADATA_VERSION,
            "genres": data.genres,
            "features": data.settings,
            "inputShape": [frames, coefficients],
            "standardization": standardization,
            "model": dict({k: v for k, v in m.items() if k != "frames"}, architecture=arch),
            "training": dict(
                t,
                seed=args.seed,
                epochsCompleted=len(history),
                backend=f'pytorch {torch.__version__} {device.type} ({world} process{"es" if world > 1 else ""})',
                **({"bestEpoch": best[1]} if best[0] is not None else {}),
            ),
            "split": {
                "mode": lab_mode
                if lab_mode in ("clip", "segment", "filtered", "artist")
                else "segment"
                if mode == "segment"
                else "clip",
                "seed": args.seed,
                "testFraction": 0.25,
                "validationFraction": 0.2,
                **counts,
                "leftOutClips": int((sides == -1).sum()) if sides is not None else 0,
                "trainSegments": len(rows["train"]),
                "validationSegments": len(rows["val"]),
                "testSegments": len(rows["test"]),
                "testClipNames": [names[c] for c in np.unique(data.clip[rows["test"]])],
                "sizes": sizes,
                "warnings": [],
            },
            "metrics": {
                "split": sizes,
                "testSegmentAccuracy": test["segment"],
                "testClipAccuracy": test["clip"],
                "testLoss": test["loss"],
                "testClips": test["clips"],
                "testClipInterval": wilson(test["clip_right"], test["clips"]),
                **balanced_clip_metrics(test["probs"].numpy(), data.y[rows["test"]], data.clip[rows["test"]]),
            },
            "history": history,
            "createdAt": datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z"),
        }
        topology, weights = tfjs_layers(model, arch, frames, coefficients, classes, m)
        write_model(args.out, topology, weights, metadata, {"test-probabilities.json": test["probs"].tolist()})
        lo, hi = metadata["metrics"]["testClipInterval"]
        print(
            f'test accuracy: {100 * test["clip"]:.1f} % per clip (95 % interval {100 * lo:.1f}–{100 * hi:.1f} %, {test["clips"]} clips), '
            f'{100 * test["segment"]:.1f} % per segment; {sizes}; wrote {os.path.join(args.out, "model.zip")}',
            flush=True,
        )
        import resource

        print(
            f'{len(history)} epochs in {time.time() - started:.1f} s ({len(rows["train"]) * len(history) / max(1e-9, train_seconds):.0f} training segments/s '
            f'on {world} process{"es" if world > 1 else ""}); peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB',
            flush=True,
        )
    if distributed:
        dist.destroy_process_group()


def _process(rank, world, port, argv):
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE=str(world))
    code = run(argv)
    if code:
        sys.exit(code)


def spawn(world, argv):
    """Starts `world` processes on this machine as torchrun would (Debian 12's torchrun, PyTorch
    1.13 under Python 3.11, fails before it starts any: its Std enum lookup returns None)."""
    import socket
    import torch.multiprocessing as mp

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    try:
        mp.spawn(_process, args=(world, port, argv), nprocs=world, join=True)
    except mp.ProcessExitedException:
        return 1  # the process that failed has said why, in one line


def run(argv=None):
    """main(), with every refusal said in one line (no traceback), as predict.py and the lab's other tools say it."""
    try:
        return main(argv) or 0
    except (TrainError, OSError, MemoryError, ValueError, RuntimeError) as e:
        print(f"train.py: {e}", file=sys.stderr, flush=True)
        return 1


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--presets-json":
        print(json.dumps(PRESETS))
    else:
        sys.exit(run())
