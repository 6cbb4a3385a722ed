"""The lab's three architectures as PyTorch modules, channels last as TensorFlow.js lays them out:
the recipe's LSTM, the 2-D CNN and the 1-D CNN, with Keras's initialisation, one bias a gate and
TensorFlow.js's batch normalisation (model_files.py writes them as the lab's model files)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .model_files import BN_EPSILON

# TensorFlow.js's batch normalisation momentum (the Keras default), not PyTorch's.
BN_MOMENTUM = 0.01


class _KerasMovingStats:
    """Batch normalisation whose moving variance follows TensorFlow.js's: the batch's biased
    variance (PyTorch's own update takes the unbiased one, 14 % apart over 8 values)."""

    def forward(self, x):
        if not self.training:
            return super().forward(x)
        dims = [0] + list(range(2, x.dim()))
        with torch.no_grad():
            self.running_mean.mul_(1 - self.momentum).add_(self.momentum * x.mean(dims))
            self.running_var.mul_(1 - self.momentum).add_(self.momentum * x.var(dims, unbiased=False))
        return F.batch_norm(x, None, None, self.weight, self.bias, True, 0.0, self.eps)


class BatchNorm1d(_KerasMovingStats, nn.BatchNorm1d):
    pass


class BatchNorm2d(_KerasMovingStats, nn.BatchNorm2d):
    pass


class Recipe(nn.Module):
    """LSTM → LSTM → Dense relu → Dropout → Dense softmax (Keras gate order i, f, c, o = PyTorch's)."""

    def __init__(self, frames, coefficients, classes, m):
        super().__init__()
        sizes = [coefficients] + list(m["lstmUnits"])
        self.lstms = nn.ModuleList(nn.LSTM(sizes[i], sizes[i + 1], batch_first=True) for i in range(len(m["lstmUnits"])))
        for lstm in self.lstms:
            # Keras has one bias a gate; PyTorch two, which Adam would move twice as fast: the
            # second stays 0. Keras's initialisation: Glorot kernel, orthogonal recurrent kernel,
            # the forget gate's bias 1 (unit_forget_bias).
            u = lstm.hidden_size
            with torch.no_grad():
                nn.init.xavier_uniform_(lstm.weight_ih_l0)
                for k in range(4):
                    nn.init.orthogonal_(lstm.weight_hh_l0[k * u : (k + 1) * u])
                lstm.bias_ih_l0.zero_()
                lstm.bias_ih_l0[u : 2 * u] = 1
                lstm.bias_hh_l0.zero_()
            lstm.bias_hh_l0.requires_grad_(False)
        self.dense = nn.Linear(sizes[-1], m["denseUnits"])
        self.drop = nn.Dropout(m["dropout"])
        self.out = nn.Linear(m["denseUnits"], classes)

    def forward(self, x):
        for lstm in self.lstms:
            x, _ = lstm(x)
        return self.out(self.drop(F.relu(self.dense(x[:, -1]))))


class Cnn2d(nn.Module):
    """Four blocks of 3×3 conv (no bias), batch norm, ReLU, max-pool [2, 2 or 1]; GAP; dropout; softmax."""

    def __init__(self, frames, coefficients, classes, m):
        super().__init__()
        f = m.get("filters") or 16
        self.convs, self.bns, self.pools = nn.ModuleList(), nn.ModuleList(), []
        rows, channels = coefficients, 1
        for b in range(4):
            self.convs.append(nn.Conv2d(channels, f * 2**b, 3, padding=1, bias=False))
            self.bns.append(BatchNorm2d(f * 2**b, eps=BN_EPSILON, momentum=BN_MOMENTUM))
            pool_rows = 2 if rows >= 2 else 1
            self.pools.append((2, pool_rows))
            rows //= pool_rows
            channels = f * 2**b
        self.drop = nn.Dropout(m["dropout"])
        self.out = nn.Linear(channels, classes)

    def forward(self, x):
        x = x.unsqueeze(1)  # [batch, 1, frames, coefficients]
        for conv, bn, pool in zip(self.convs, self.bns, self.pools):
            x = F.max_pool2d(F.relu(bn(conv(x))), pool, pool)
        return self.out(self.drop(x.mean(dim=(2, 3))))


class Cnn1d(nn.Module):
    """Three blocks of width-5 conv over time (coefficients as channels), BN, ReLU, pool 2; GAP; dense; dropout."""

    def __init__(self, frames, coefficients, classes, m):
        super().__init__()
        f = m.get("filters") or 16
        self.convs, self.bns = nn.ModuleList(), nn.ModuleList()
        channels = coefficients
        for b in range(3):
            self.convs.append(nn.Conv1d(channels, f * 2 ** (b + 1), 5, padding=2, bias=False))
            self.bns.append(BatchNorm1d(f * 2 ** (b + 1), eps=BN_EPSILON, momentum=BN_MOMENTUM))
            channels = f * 2 ** (b + 1)
        self.dense = nn.Linear(channels, m["denseUnits"])
        self.drop = nn.Dropout(m["dropout"])
        self.out = nn.Linear(m["denseUnits"], classes)

    def forward(self, x):
        x = x.transpose(1, 2)  # [batch, coefficients, frames]
        for conv, bn in zip(self.convs, self.bns):
            x = F.max_pool1d(F.relu(bn(conv(x))), 2, 2)
        return self.out(self.drop(F.relu(self.dense(x.mean(dim=2)))))


ARCHITECTURES = {"lstm": Recipe, "cnn": Cnn2d, "conv1d": Cnn1d}
