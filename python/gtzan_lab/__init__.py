"""python/train.py's parts: the lab's feature files (npz, features), the checks a run passes before
it trains (checks), the model files it reads and writes (model_files) and its random streams
(seeds). predict.py stays one file, as every model zip carries it; these modules take its checks
and the limits of schemas/limits.json from it, so each rule is written once."""
import os
import sys

_PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _PYTHON_DIR not in sys.path:
    sys.path.insert(0, _PYTHON_DIR)


class TrainError(Exception):
    """A run train.py refuses: its command line prints the reason in one line, never a traceback."""
