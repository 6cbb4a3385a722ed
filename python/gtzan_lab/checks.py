"""What train.py checks before it trains: the model and training settings (types and the lab's
ranges, from schemas/limits.json), the seed, --processes, and that --out can be written. Each
refusal is one TrainError naming the setting, in the words the lab's form uses."""
import json
import math
import os
import tempfile

from . import TrainError
from .epoch_policy import SCHEDULES
from .limits import LIMITS, SHARED

ARCHITECTURE_NAMES = ("lstm", "cnn", "conv1d")
RANGES = SHARED["training"]


def _whole(where, v, key, allow_none=False):
    lo, hi = RANGES[key]["min"], RANGES[key]["max"]
    if v is None and allow_none:
        return
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise TrainError(f"{where} must be a whole number from {lo} to {hi}, got {json.dumps(v)}")


def _number(where, v, ok, words):
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or not ok(v):
        raise TrainError(f"{where} must be {words}, got {json.dumps(v)}")


def read_settings_file(path):
    """The model and training settings of a lab metadata.json (or any JSON with those two objects)."""
    try:
        with open(path, "rb") as f:
            meta = json.loads(f.read(), parse_constant=lambda w: (_ for _ in ()).throw(ValueError(w)))
    except ValueError:
        raise TrainError(f"--settings {path} is not valid JSON")
    missing = [k for k in ("model", "training") if not isinstance(meta, dict) or not isinstance(meta.get(k), dict)]
    if missing:
        raise TrainError(
            f'--settings {path} has no "{missing[0]}" object: train.py takes the "model" and "training" settings of a lab metadata.json'
        )
    return meta["model"], meta["training"]


def check_settings(m, t):
    """The model (m) and training (t) settings, every field's type and range, as the lab's form checks them."""
    arch = m.get("architecture", "lstm")
    if arch not in ARCHITECTURE_NAMES:
        raise TrainError(f'model.architecture must be one of {", ".join(ARCHITECTURE_NAMES)}, got {json.dumps(arch)}')
    if arch in ("cnn", "conv1d") or m.get("filters") is not None:
        _whole("model.filters", m.get("filters", 16), "filters")
    units = m.get("lstmUnits")
    if arch == "lstm" or units is not None:
        if not isinstance(units, list) or not units or len(units) > LIMITS["layers"]:
            raise TrainError(f'model.lstmUnits must be a list of 1 to {LIMITS["layers"]} whole numbers, got {json.dumps(units)}')
        for u in units:
            _whole("model.lstmUnits", u, "lstmUnits")
    if arch != "cnn" or "denseUnits" in m:
        _whole("model.denseUnits", m.get("denseUnits"), "denseUnits")
    _number("model.dropout", m.get("dropout"), lambda v: 0 <= v < 1, "a number at least 0 and below 1")
    _number("model.learningRate", m.get("learningRate"), lambda v: 0 < v <= 1, "a number above 0 and at most 1")
    _whole("training.epochs", t.get("epochs"), "epochs")
    _whole("training.batchSize", t.get("batchSize"), "batchSize")
    if not isinstance(t.get("standardize", False), bool):
        raise TrainError(f'training.standardize must be true or false, got {json.dumps(t.get("standardize"))}')
    _whole("training.earlyStopping", t.get("earlyStopping"), "earlyStopping", allow_none=True)
    if t.get("schedule") is not None and t["schedule"] not in SCHEDULES:
        raise TrainError(f'training.schedule must be one of {", ".join(SCHEDULES)}, got {json.dumps(t["schedule"])}')
    a = t.get("augment")
    if a is not None:
        if not isinstance(a, dict):
            raise TrainError(f"training.augment must be an object of timeMask, freqMask and shift, got {json.dumps(a)}")
        for k in ("timeMask", "freqMask", "shift"):
            _whole(f"training.augment.{k}", a.get(k, 0), "augment")


def check_model_size(model):
    """The built model's weights against the lab's limit, so no reader refuses what is trained."""
    n = sum(p.numel() for p in model.parameters()) + sum(b.numel() for b in model.buffers() if b.dtype.is_floating_point)
    if n > LIMITS["parameters"]:
        raise TrainError(f'these settings make a model of {n:,} weights; the lab runs models of up to {LIMITS["parameters"]:,}')


def check_seed(seed):
    top = LIMITS["seedMax"]
    if not 0 <= seed <= top:
        raise TrainError(f"--seed must be a whole number from 0 to {top}, got {seed}")


def check_processes(n, forced):
    cores = os.cpu_count() or 1
    if n > cores and not forced:
        raise TrainError(
            f"--processes {n} is more than the {cores} cores here (each process holds a copy of the model and "
            "of a shard); add --force-processes to start them anyway"
        )


def check_out(out):
    """--out is a folder this run can write, found out now rather than after the last epoch."""
    if os.path.exists(out) and not os.path.isdir(out):
        raise TrainError(
            f"--out {out} is a file; it must name a folder (train.py writes model.json, weights.bin, metadata.json and model.zip in it)"
        )
    # The folder is made now and kept: under torchrun every process checks it at once.
    try:
        os.makedirs(out, exist_ok=True)
        with tempfile.TemporaryFile(dir=out, prefix=".train-py-probe-"):
            pass
    except OSError as e:
        raise TrainError(f"--out {out} cannot be written: {e.strerror or e}")
