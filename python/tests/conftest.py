"""pytest for python/gtzan_lab: the package on the path, and librosa's reference outputs."""
import json
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

# ../shared/reference beside the checkout: librosa's outputs for the same inputs (its README).
REFERENCE = os.path.join(HERE, "..", "..", "..", "shared", "reference")


@pytest.fixture(scope="session")
def reference():
    path = os.path.join(REFERENCE, "reference.json")
    if not os.path.exists(path):
        pytest.fail(f"{path} is missing: the tests need ../shared beside the checkout")
    with open(path) as f:
        return json.load(f)


@pytest.fixture(scope="session")
def reference_dir():
    return REFERENCE
