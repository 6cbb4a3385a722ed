"""A run's randomness, all of it from its one seed, a whole number from 0 to 2**32 − 1 (the lab's
range, schemas/limits.json): PyTorch's initial weights and dropout, and numpy streams named by
what they are for, each its own SeedSequence of [seed, purpose, ...], so no seed overflows and no
two streams overlap."""
import numpy as np
import torch

BATCH_ORDER = 1
AUGMENT = 2


def seed_run(seed, device):
    """Seeds PyTorch (initial weights, dropout) and, on the CPU, asks for deterministic kernels, so a
    run repeats to the bit. Call it before the model is built."""
    torch.manual_seed(seed)
    if device.type == "cpu":
        torch.use_deterministic_algorithms(True)


def stream(seed, purpose, *keys):
    """The numpy Generator of one purpose of the run: BATCH_ORDER with the epoch (the same in every
    process), AUGMENT with the process's rank."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, purpose, *keys])))
