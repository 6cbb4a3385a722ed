"""The lab's starting weights for a seed (src/model/architectures/initializers.ts), value for value.

The same hash (src/model/kernels/hash-random.ts), the same generator (mulberry32,
src/model/data/random.ts) and the same float64 arithmetic in the same order, so a run moved from
the page to PyTorch starts where the lab would have (to float32 rounding: Python's libm and V8's
may differ in the last bit of a logarithm or cosine).
"""

import math

import numpy as np

MASK = 0xFFFFFFFF
WEIGHTS_STREAM = 1


def _imul(a, b):
    return (a * b) & MASK


def _fmix32(h):
    h ^= h >> 16
    h = _imul(h, 0x85EBCA6B)
    h ^= h >> 13
    h = _imul(h, 0xC2B2AE35)
    h ^= h >> 16
    return h


def mix_seed(*keys):
    """A 32-bit hash of whole numbers (each modulo 2**32), in order."""
    h = 0x6A09E667
    for k in keys:
        h = _fmix32(_imul(h ^ (k & MASK), 0x9E3779B1))
    return h


def seeded_random(seed):
    """mulberry32: uniform numbers in [0, 1), as the lab's seededRandom."""
    state = seed & MASK

    def draw():
        nonlocal state
        state = (state + 0x6D2B79F5) & MASK
        t = _imul(state ^ (state >> 15), state | 1)
        t ^= (t + _imul(t ^ (t >> 7), t | 61)) & MASK
        return ((t ^ (t >> 14)) & MASK) / 4294967296

    return draw


def _normal(draw):
    r = math.sqrt(-2 * math.log(1 - draw()))
    return r * math.cos(2 * math.pi * draw())


def _fans(shape):
    if len(shape) == 2:
        return shape[0], shape[1]
    field = int(np.prod(shape[:-2]))
    return shape[-2] * field, shape[-1] * field


def _orthogonal(rows, cols, draw):
    n, m = max(rows, cols), min(rows, cols)
    a = [_normal(draw) for _ in range(n * m)]
    for j in range(m):
        for p in range(j):
            dot = 0.0
            for i in range(n):
                dot += a[i * m + p] * a[i * m + j]
            for i in range(n):
                a[i * m + j] -= dot * a[i * m + p]
        norm = 0.0
        for i in range(n):
            norm += a[i * m + j] * a[i * m + j]
        norm = math.sqrt(norm)
        for i in range(n):
            a[i * m + j] /= norm
    q = np.array(a, dtype=np.float64).reshape(n, m)
    return (q if rows >= cols else q.T).astype(np.float32)


def initial_values(kind, shape, seed, index):
    """The start of the index-th randomly started weight of a model (in the model's order of
    weights) for a run's seed: 'glorotUniform', 'heNormal' (truncated at two deviations) or
    'orthogonal', in the lab's layout (channels last, [inputs, units])."""
    draw = seeded_random(mix_seed(seed, WEIGHTS_STREAM, index))
    shape = [int(s) for s in shape]
    size = int(np.prod(shape))
    fan_in, fan_out = _fans(shape)
    if kind == "orthogonal":
        return _orthogonal(size // shape[-1], shape[-1], draw).reshape(shape)
    if kind == "glorotUniform":
        limit = math.sqrt(3 / max(1, (fan_in + fan_out) / 2))
        return np.array([(2 * draw() - 1) * limit for _ in range(size)], dtype=np.float32).reshape(shape)
    if kind != "heNormal":
        raise ValueError(f"no starting weights of kind {kind}")
    deviation = math.sqrt(2 / max(1, fan_in))
    out = []
    while len(out) < size:
        z = _normal(draw)
        if abs(z) <= 2:
            out.append(z * deviation)
    return np.array(out, dtype=np.float32).reshape(shape)
