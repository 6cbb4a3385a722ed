#!/usr/bin/env python3
"""Train the lab's models with PyTorch, alone or distributed, and write the lab's model zip.

    python3 python/train.py FEATURES.npz|SHARD_FOLDER --out FOLDER [--preset recipe|cnn|fast]
        [--settings metadata.json] [--epochs N] [--split lab|clip|segment] [--seed S]
    torchrun --nproc_per_node=2 python/train.py ...      (DistributedDataParallel)

Input: the lab's .npz (Export .npz, or npm run extract -- DIR --out F.npz), or a folder of
them (shards, read one at a time). Output: FOLDER/model.json + weights.bin + metadata.json and
FOLDER/model.zip: the TensorFlow.js layers format the page's Load model files, Runs and
predict.py take. Tested with PyTorch 1.13 (Debian 12's python3-torch) and numpy 1.24; it
uses nothing newer than PyTorch 1.10. gloo on CPU, nccl where CUDA is present.
"""
import argparse
import datetime
import glob
import io
import json
import math
import os
import sys
import time
import zipfile

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F

# The lab's presets (src/model/training/presets.ts); a unit test holds the two equal.
PRESETS = {
    'recipe': {
        'features': {'featureType': 'mfcc', 'values': 13},
        'model': {'architecture': 'lstm', 'lstmUnits': [64, 64], 'denseUnits': 64, 'dropout': 0.3, 'learningRate': 1e-4},
        'train': {'epochs': 30, 'batchSize': 32, 'standardize': False},
    },
    'cnn': {
        'features': {'featureType': 'logmel', 'values': 64},
        'model': {'architecture': 'cnn', 'filters': 16, 'lstmUnits': [64, 64], 'denseUnits': 64, 'dropout': 0.3, 'learningRate': 1e-3},
        'train': {'epochs': 60, 'batchSize': 32, 'standardize': True, 'augment': {'timeMask': 20, 'freqMask': 8, 'shift': 30},
                  'earlyStopping': 12, 'schedule': 'cosine'},
    },
    'fast': {
        'features': {'featureType': 'mfcc', 'values': 13},
        'model': {'architecture': 'conv1d', 'filters': 16, 'lstmUnits': [64, 64], 'denseUnits': 64, 'dropout': 0.3, 'learningRate': 1e-3},
        'train': {'epochs': 20, 'batchSize': 32, 'standardize': True, 'earlyStopping': 5, 'schedule': 'constant'},
    },
}

# TensorFlow.js's batch normalisation epsilon and momentum (Keras defaults), not PyTorch's.
BN_EPSILON = 1e-3
BN_MOMENTUM = 0.01


# ---------------------------------------------------------------- data

class Features:
    """The lab's .npz, or a folder of .npz shards read one at a time (npm run extract -- DIR
    --out FOLDER --shard-size N). Only labels, clip numbers and names are held for the whole set;
    a shard's X is loaded when its turn comes, so memory is bounded by the largest shard."""

    def __init__(self, path):
        self.files = sorted(glob.glob(os.path.join(path, '*.npz'))) if os.path.isdir(path) else [path]
        if not self.files:
            raise SystemExit(f'{path}: no .npz files')
        ys, clips, self.clip_names, split, self.rows = [], [], [], [], []
        self.genres = self.settings = None
        for f in self.files:
            with np.load(f, allow_pickle=False) as z:
                g = [str(n) for n in z['genre_names']]
                if self.genres is not None and g != self.genres:
                    raise SystemExit(f"{f}: its genres differ from the first shard's")
                self.genres = g
                self.settings = json.loads(str(z['settings']))
                y = z['y'].astype(np.int64)
                self.rows.append((sum(len(v) for v in ys), len(y)))
                ys.append(y)
                clips.append(z['clip_index'].astype(np.int64) + len(self.clip_names))
                self.clip_names.extend(str(n) for n in z['clip_names'])
                split.append(z['split'].astype(np.int64) if 'split' in z.files else None)
                if 'split_info' in z.files and not hasattr(self, 'split_info'):
                    self.split_info = json.loads(str(z['split_info']))
        self.y, self.clip = np.concatenate(ys), np.concatenate(clips)
        self.lab_split = None if any(v is None for v in split) else np.concatenate(split)
        with np.load(self.files[0], allow_pickle=False) as z:
            self.frames, self.coefficients = z['X'].shape[1:]
        self.mean = self.std = None

    def shard(self, k):
        """Shard k's X (standardised when fitted) and the global numbers of its rows."""
        with np.load(self.files[k], allow_pickle=False) as z:
            x = z['X'].astype(np.float32)
        if self.mean is not None:
            x = ((x - self.mean) / self.std).astype(np.float32)
        start, n = self.rows[k]
        return x, np.arange(start, start + n)

    def fit_standardization(self, rows):
        """Each coefficient's mean and deviation over these rows (the training side), shard by shard, in float64."""
        total, sq, n = np.zeros(self.coefficients), np.zeros(self.coefficients), 0
        keep = np.zeros(len(self.y), dtype=bool)
        keep[rows] = True
        for k in range(len(self.files)):
            x, idx = self.shard(k)
            x = x[keep[idx]].reshape(-1, self.coefficients).astype(np.float64)
            total += x.sum(0)
            sq += (x * x).sum(0)
            n += len(x)
        mean = total / max(1, n)
        std = np.sqrt(np.maximum(sq / max(1, n) - mean * mean, 0))
        std[std == 0] = 1
        self.mean, self.std = mean, std
        return {'mean': mean.tolist(), 'std': std.tolist()}

    def batches(self, rows, batch, seed=None):
        """(x, y, global row numbers) in batches of the given rows, shard by shard; with a seed, the
        shards and each shard's rows in a seeded order (the same in every process)."""
        keep = np.zeros(len(self.y), dtype=bool)
        keep[rows] = True
        rng = np.random.RandomState(seed) if seed is not None else None
        order = rng.permutation(len(self.files)) if rng is not None else range(len(self.files))
        for k in order:
            x, idx = self.shard(k)
            sel = np.flatnonzero(keep[idx])
            if rng is not None:
                sel = sel[rng.permutation(len(sel))]
            for i in range(0, len(sel), batch):
                part = sel[i:i + batch]
                yield torch.from_numpy(x[part]), torch.from_numpy(self.y[idx[part]]), idx[part]


def split_clips(data, mode, seed, test_fraction=0.25, validation_fraction=0.2):
    """Per clip: 0 train, 1 validation, 2 test, -1 left out. 'lab' takes the split the page
    trained on (in the .npz); 'clip' holds out whole clips, per genre, seeded; 'segment' is the
    recipe's leaky split (segments of one clip on every side), kept to show the leak."""
    n_clips = len(data.clip_names)
    if mode == 'lab':
        if data.lab_split is None:
            raise SystemExit('--split lab: this .npz holds no split (export it from the page after training)')
        return data.lab_split, None
    rng = np.random.RandomState(seed)
    if mode == 'segment':
        side = np.zeros(len(data.y), dtype=np.int64)
        order = rng.permutation(len(side))
        n_test = int(round(len(side) * test_fraction))
        n_val = int(round((len(side) - n_test) * validation_fraction))
        side[order[:n_test]] = 2
        side[order[n_test:n_test + n_val]] = 1
        return None, side
    genre_of_clip = np.full(n_clips, -1)
    genre_of_clip[data.clip] = data.y
    side = np.full(n_clips, -1, dtype=np.int64)
    for g in range(len(data.genres)):
        members = rng.permutation(np.flatnonzero(genre_of_clip == g))
        n_test = int(round(len(members) * test_fraction))
        n_val = int(round((len(members) - n_test) * validation_fraction))
        side[members[:n_test]] = 2
        side[members[n_test:n_test + n_val]] = 1
        side[members[n_test + n_val:]] = 0
    return side, None


# ---------------------------------------------------------------- models (channels last, as tfjs)

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
        sizes = [coefficients] + list(m['lstmUnits'])
        self.lstms = nn.ModuleList(nn.LSTM(sizes[i], sizes[i + 1], batch_first=True) for i in range(len(m['lstmUnits'])))
        for lstm in self.lstms:
            # Keras has one bias a gate; PyTorch two, which Adam would move twice as fast: the
            # second stays 0. Keras's initialisation: Glorot kernel, orthogonal recurrent kernel,
            # the forget gate's bias 1 (unit_forget_bias).
            u = lstm.hidden_size
            with torch.no_grad():
                nn.init.xavier_uniform_(lstm.weight_ih_l0)
                for k in range(4):
                    nn.init.orthogonal_(lstm.weight_hh_l0[k * u:(k + 1) * u])
                lstm.bias_ih_l0.zero_()
                lstm.bias_ih_l0[u:2 * u] = 1
                lstm.bias_hh_l0.zero_()
            lstm.bias_hh_l0.requires_grad_(False)
        self.dense = nn.Linear(sizes[-1], m['denseUnits'])
        self.drop = nn.Dropout(m['dropout'])
        self.out = nn.Linear(m['denseUnits'], classes)

    def forward(self, x):
        for lstm in self.lstms:
            x, _ = lstm(x)
        return self.out(self.drop(F.relu(self.dense(x[:, -1]))))


class Cnn2d(nn.Module):
    """Four blocks of 3×3 conv (no bias), batch norm, ReLU, max-pool [2, 2 or 1]; GAP; dropout; softmax."""

    def __init__(self, frames, coefficients, classes, m):
        super().__init__()
        f = m.get('filters') or 16
        self.convs, self.bns, self.pools = nn.ModuleList(), nn.ModuleList(), []
        rows, channels = coefficients, 1
        for b in range(4):
            self.convs.append(nn.Conv2d(channels, f * 2 ** b, 3, padding=1, bias=False))
            self.bns.append(BatchNorm2d(f * 2 ** b, eps=BN_EPSILON, momentum=BN_MOMENTUM))
            pool_rows = 2 if rows >= 2 else 1
            self.pools.append((2, pool_rows))
            rows //= pool_rows
            channels = f * 2 ** b
        self.drop = nn.Dropout(m['dropout'])
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
        f = m.get('filters') or 16
        self.convs, self.bns = nn.ModuleList(), nn.ModuleList()
        channels = coefficients
        for b in range(3):
            self.convs.append(nn.Conv1d(channels, f * 2 ** (b + 1), 5, padding=2, bias=False))
            self.bns.append(BatchNorm1d(f * 2 ** (b + 1), eps=BN_EPSILON, momentum=BN_MOMENTUM))
            channels = f * 2 ** (b + 1)
        self.dense = nn.Linear(channels, m['denseUnits'])
        self.drop = nn.Dropout(m['dropout'])
        self.out = nn.Linear(m['denseUnits'], classes)

    def forward(self, x):
        x = x.transpose(1, 2)  # [batch, coefficients, frames]
        for conv, bn in zip(self.convs, self.bns):
            x = F.max_pool1d(F.relu(bn(conv(x))), 2, 2)
        return self.out(self.drop(F.relu(self.dense(x.mean(dim=2)))))


ARCHITECTURES = {'lstm': Recipe, 'cnn': Cnn2d, 'conv1d': Cnn1d}


# ---------------------------------------------------------------- the lab's model files

def _layer(class_name, name, **config):
    return {'class_name': class_name, 'config': dict(config, name=name, trainable=True)}


def tfjs_layers(model, arch, frames, coefficients, classes, m):
    """The Keras topology TensorFlow.js reads, and its weights in manifest order, channels last."""
    layers, weights = [], []

    def add(name, array):
        weights.append((name, np.ascontiguousarray(array, dtype=np.float32)))

    def bn(name, b):
        layers.append(_layer('BatchNormalization', name, axis=-1, momentum=0.99, epsilon=BN_EPSILON, center=True, scale=True))
        add(f'{name}/gamma', b.weight.detach().numpy())
        add(f'{name}/beta', b.bias.detach().numpy())
        add(f'{name}/moving_mean', b.running_mean.numpy())
        add(f'{name}/moving_variance', b.running_var.numpy())

    def dense(name, lin, activation):
        layers.append(_layer('Dense', name, units=lin.out_features, activation=activation, use_bias=True))
        add(f'{name}/kernel', lin.weight.detach().numpy().T)
        add(f'{name}/bias', lin.bias.detach().numpy())

    shape = [None, frames, coefficients]
    if arch == 'lstm':
        for i, lstm in enumerate(model.lstms):
            name = f'lstm_{i + 1}'
            cfg = dict(units=lstm.hidden_size, activation='tanh', recurrent_activation='sigmoid', use_bias=True,
                       return_sequences=i < len(model.lstms) - 1, unit_forget_bias=True)
            if i == 0:
                cfg.update(batch_input_shape=shape, dtype='float32')
            layers.append(_layer('LSTM', name, **cfg))
            add(f'{name}/kernel', lstm.weight_ih_l0.detach().numpy().T)
            add(f'{name}/recurrent_kernel', lstm.weight_hh_l0.detach().numpy().T)
            add(f'{name}/bias', (lstm.bias_ih_l0 + lstm.bias_hh_l0).detach().numpy())
        dense('dense_1', model.dense, 'relu')
        layers.append(_layer('Dropout', 'dropout_1', rate=m['dropout']))
        dense('dense_2', model.out, 'softmax')
    elif arch == 'cnn':
        layers.append(_layer('Reshape', 'reshape_1', target_shape=[frames, coefficients, 1], batch_input_shape=shape, dtype='float32'))
        for b, (conv, norm, pool) in enumerate(zip(model.convs, model.bns, model.pools)):
            layers.append(_layer('Conv2D', f'conv2d_{b + 1}', filters=conv.out_channels, kernel_size=[3, 3], strides=[1, 1],
                                 padding='same', data_format='channels_last', dilation_rate=[1, 1], activation='linear', use_bias=False))
            add(f'conv2d_{b + 1}/kernel', conv.weight.detach().numpy().transpose(2, 3, 1, 0))
            bn(f'batch_normalization_{b + 1}', norm)
            layers.append(_layer('Activation', f'activation_{b + 1}', activation='relu'))
            layers.append(_layer('MaxPooling2D', f'max_pooling2d_{b + 1}', pool_size=list(pool), strides=list(pool),
                                 padding='valid', data_format='channels_last'))
        layers.append(_layer('GlobalAveragePooling2D', 'global_average_pooling2d_1', data_format='channels_last'))
        layers.append(_layer('Dropout', 'dropout_1', rate=m['dropout']))
        dense('dense_1', model.out, 'softmax')
    else:
        for b, (conv, norm) in enumerate(zip(model.convs, model.bns)):
            cfg = dict(filters=conv.out_channels, kernel_size=[5], strides=[1], padding='same', dilation_rate=[1],
                       activation='linear', use_bias=False)
            if b == 0:
                cfg.update(batch_input_shape=shape, dtype='float32')
            layers.append(_layer('Conv1D', f'conv1d_{b + 1}', **cfg))
            add(f'conv1d_{b + 1}/kernel', conv.weight.detach().numpy().transpose(2, 1, 0))
            bn(f'batch_normalization_{b + 1}', norm)
            layers.append(_layer('Activation', f'activation_{b + 1}', activation='relu'))
            layers.append(_layer('MaxPooling1D', f'max_pooling1d_{b + 1}', pool_size=[2], strides=[2], padding='valid'))
        layers.append(_layer('GlobalAveragePooling1D', 'global_average_pooling1d_1'))
        dense('dense_1', model.dense, 'relu')
        layers.append(_layer('Dropout', 'dropout_1', rate=m['dropout']))
        dense('dense_2', model.out, 'softmax')
    topology = {'class_name': 'Sequential', 'config': {'name': 'sequential_1', 'layers': layers},
                'keras_version': 'tfjs-layers 4.22.0', 'backend': 'tensor_flow.js'}
    return topology, weights


def write_model(out, topology, weights, metadata):
    os.makedirs(out, exist_ok=True)
    blob = b''.join(w.tobytes() for _, w in weights)
    manifest = [{'paths': ['weights.bin'], 'weights': [{'name': n, 'shape': list(w.shape), 'dtype': 'float32'} for n, w in weights]}]
    model_json = {'format': 'layers-model', 'generatedBy': f'GTZAN Lab python/train.py, PyTorch {torch.__version__}',
                  'convertedBy': None, 'modelTopology': topology, 'weightsManifest': manifest}
    files = {'model.json': json.dumps(model_json).encode(), 'weights.bin': blob, 'metadata.json': json.dumps(metadata, indent=1).encode()}
    for name, data in files.items():
        with open(os.path.join(out, name), 'wb') as f:
            f.write(data)
    with zipfile.ZipFile(os.path.join(out, 'model.zip'), 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)


# ---------------------------------------------------------------- training

def wilson(right, n, z=1.959963984540054):
    if n == 0:
        return [0.0, 1.0]
    p = right / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return [max(0.0, centre - half), min(1.0, centre + half)]


def balanced_clip_metrics(probs, labels, clips, resamples=2000, seed=1):
    """The lab's balanced clip accuracy (src/model/evaluation/intervals.ts): the mean over genres with a
    test clip of each genre's clip accuracy (a clip's mean probability), and its 95 % interval by a
    seeded stratified clip bootstrap (each genre's clips redrawn from its own). numpy and math only."""
    probs, labels, clips = np.asarray(probs, dtype=np.float64), np.asarray(labels), np.asarray(clips)
    by_genre = {}
    for c in np.unique(clips):
        sel = clips == c
        genre = int(labels[sel][0])
        by_genre.setdefault(genre, []).append(int(probs[sel].mean(0).argmax() == genre))
    if not by_genre:
        return {}
    shares = [(len(v), sum(v) / len(v)) for v in by_genre.values()]
    accuracy = sum(p for _, p in shares) / len(shares)
    rng = np.random.RandomState(seed)
    values = np.sort(sum(rng.binomial(n, p, resamples) / n for n, p in shares) / len(shares))
    if values[0] == values[-1]:
        # Every genre all right or all wrong: Wilson's interval over the clips, as the lab gives.
        n, z = sum(n for n, _ in shares), 1.959963984540054
        centre = (accuracy + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(accuracy * (1 - accuracy) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        interval = [max(0.0, centre - half), min(1.0, centre + half)]
    else:
        interval = [float(values[round(q * (resamples - 1))]) for q in (0.025, 0.975)]
    return {'testBalancedClipAccuracy': accuracy, 'testBalancedClipInterval': interval}

def augment(x, a, rng):
    """The lab's time and frequency masks and circular time shift (augment.ts), per segment."""
    if not a:
        return x
    x = x.clone()
    frames, bands = x.shape[1], x.shape[2]
    for i in range(x.shape[0]):
        if a.get('shift'):
            x[i] = torch.roll(x[i], int(rng.randint(-a['shift'], a['shift'] + 1)), dims=0)
        if a.get('timeMask'):
            w = int(rng.randint(0, a['timeMask'] + 1))
            s = int(rng.randint(0, max(1, frames - w + 1)))
            x[i, s:s + w] = 0
        if a.get('freqMask'):
            w = int(rng.randint(0, a['freqMask'] + 1))
            s = int(rng.randint(0, max(1, bands - w + 1)))
            x[i, :, s:s + w] = 0
    return x


def evaluate(model, data, rows, batch=256, device='cpu'):
    """Loss, segment and clip accuracy (a clip's mean probability) over these rows, shard by shard."""
    model.eval()
    probs, ys, clips = [], [], []
    with torch.no_grad():
        for x, y, idx in data.batches(rows, batch):
            probs.append(F.softmax(model(x.to(device)), dim=1).cpu())
            ys.append(y)
            clips.append(data.clip[idx])
    if not probs:
        return {'loss': float('nan'), 'segment': 0.0, 'clip': 0.0, 'clip_right': 0, 'clips': 0, 'probs': torch.zeros(0, len(data.genres))}
    probs, y, clip = torch.cat(probs), torch.cat(ys), np.concatenate(clips)
    loss = float(F.nll_loss(torch.log(probs.clamp_min(1e-7)), y))
    clip_right = 0
    for c in np.unique(clip):
        sel = torch.from_numpy(clip == c)
        clip_right += int(probs[sel].mean(0).argmax() == y[sel][0])
    n_clips = len(np.unique(clip))
    return {'loss': loss, 'segment': float((probs.argmax(1) == y).float().mean()), 'clip': clip_right / n_clips,
            'clip_right': clip_right, 'clips': n_clips, 'probs': probs}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('features', help="the lab's .npz, or a folder of .npz shards")
    p.add_argument('--out', required=True)
    p.add_argument('--preset', choices=sorted(PRESETS), default='recipe')
    p.add_argument('--settings', help='a metadata.json of the lab: its model and training settings are used')
    p.add_argument('--epochs', type=int)
    p.add_argument('--split', choices=['lab', 'clip', 'segment'], help="default: the .npz's own split when it has one, else clip")
    p.add_argument('--seed', type=int, default=42)
    p.add_argument('--threads', type=int, help='torch threads per process')
    p.add_argument('--processes', type=int, default=1,
                   help='train on N local processes with DistributedDataParallel, started here (what torchrun does)')
    p.add_argument('--init', help="start from this model.json's weights (the lab's, same architecture)")
    args = p.parse_args(argv)
    if args.processes > 1 and 'WORLD_SIZE' not in os.environ:
        return spawn(args.processes, argv if argv is not None else sys.argv[1:])

    distributed = int(os.environ.get('WORLD_SIZE', '1')) > 1
    if distributed:
        # nccl needs a GPU of its own for every process; with fewer GPUs, gloo (it reduces CUDA tensors too).
        gpus = torch.cuda.device_count() if torch.cuda.is_available() else 0
        dist.init_process_group('nccl' if gpus >= int(os.environ['WORLD_SIZE']) else 'gloo')
    rank, world = (dist.get_rank(), dist.get_world_size()) if distributed else (0, 1)
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    preset = json.loads(json.dumps(PRESETS[args.preset]))
    m, t = preset['model'], preset['train']
    if args.settings:
        with open(args.settings) as f:
            meta = json.load(f)
        m = dict(m, **meta['model'])
        t = {k: v for k, v in dict(t, **meta['training']).items() if k in ('epochs', 'batchSize', 'standardize', 'augment', 'earlyStopping', 'schedule')}
    if args.epochs is not None:
        t['epochs'] = args.epochs

    data = Features(args.features)
    mode = args.split or ('lab' if data.lab_split is not None else 'clip')
    clip_side, seg_side = split_clips(data, mode, args.seed)
    side = seg_side if seg_side is not None else clip_side[data.clip]
    rows = {name: np.flatnonzero(side == v) for name, v in (('train', 0), ('val', 1), ('test', 2))}
    frames, coefficients = data.frames, data.coefficients
    classes = len(data.genres)
    standardization = data.fit_standardization(rows['train']) if t.get('standardize') else None

    arch = m.get('architecture', 'lstm')
    model = ARCHITECTURES[arch](frames, coefficients, classes, m)
    if args.init:
        load_tfjs_weights(model, arch, frames, coefficients, classes, m, args.init)
    # The GPU of this process where CUDA is present (nccl between them), else the CPU (gloo).
    device = torch.device(f'cuda:{int(os.environ.get("LOCAL_RANK", "0")) % torch.cuda.device_count()}' if torch.cuda.is_available() else 'cpu')
    model.to(device)
    net = (nn.parallel.DistributedDataParallel(model, device_ids=[device.index] if device.type == 'cuda' else None)
           if distributed else model)
    opt = torch.optim.Adam(net.parameters(), lr=m['learningRate'], eps=1e-7)
    epochs, batch = t['epochs'], t['batchSize']
    history, best = [], (float('inf'), None, 0)
    started, train_seconds = time.time(), 0.0
    rng = np.random.RandomState(args.seed + 1 + rank)
    for epoch in range(1, epochs + 1):
        if t.get('schedule') == 'cosine':
            for g in opt.param_groups:
                g['lr'] = m['learningRate'] * 0.5 * (1 + math.cos(math.pi * (epoch - 1) / epochs))
        net.train()
        # One order for every process (the same seed), each takes its share of every batch: the
        # gradients DDP averages are those of the whole batch, as on one process.
        total, right, seen, count = 0.0, 0, 0, 0
        epoch_started = time.time()
        for x_b, y_b, _ in data.batches(rows['train'], batch, seed=args.seed * 1000 + epoch):
            xb, yb = augment(x_b[rank::world], t.get('augment'), rng).to(device), y_b[rank::world].to(device)
            out = net(xb)
            # Each process's share weighs by its size, so the average over processes is the batch's mean.
            loss = F.cross_entropy(out, yb, reduction='sum') * world / len(y_b)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss) * len(y_b) / world
            right += int((out.argmax(1) == yb).sum())
            seen += len(yb)
            count += len(y_b)
        train_seconds += time.time() - epoch_started
        v = evaluate(model, data, rows['val'], device=device)
        history.append({'epoch': epoch, 'epochs': epochs, 'loss': total / max(1, count), 'accuracy': right / max(1, seen),
                        'valLoss': v['loss'], 'valAccuracy': v['segment']})
        if rank == 0:
            print(f'epoch {epoch}/{epochs}: loss {history[-1]["loss"]:.4f}, validation loss {v["loss"]:.4f}, validation accuracy {100 * v["segment"]:.1f} %', flush=True)
        if t.get('earlyStopping'):
            if v['loss'] < best[0]:
                best = (v['loss'], {k: s.clone() for k, s in model.state_dict().items()}, epoch)
            elif epoch - best[2] >= t['earlyStopping']:
                break
    if best[1] is not None:
        model.load_state_dict(best[1])
    test = evaluate(model, data, rows['test'], device=device)
    model.cpu()
    if rank == 0:
        names = data.clip_names
        sides = clip_side
        counts = {k: (int((sides == v).sum()) if sides is not None else len(np.unique(data.clip[rows[n]]))) for k, v, n in (('trainClips', 0, 'train'), ('validationClips', 1, 'val'), ('testClips', 2, 'test'))}
        lab_mode = getattr(data, 'split_info', {}).get('mode') if mode == 'lab' else None
        kind = {'segment': 'by-segment', 'clip': 'by-clip', 'lab': f"the lab's {lab_mode or ''}".rstrip()}[mode]
        sizes = f'{kind} split: {counts["trainClips"]} train / {counts["validationClips"]} validation / {counts["testClips"]} test clips'
        metadata = {
            'format': 'gtzan-lab-model', 'version': 1, 'genres': data.genres, 'features': data.settings,
            'inputShape': [frames, coefficients], 'standardization': standardization,
            'model': {k: v for k, v in m.items() if k != 'frames'},
            'training': dict(t, seed=args.seed, epochsCompleted=len(history), backend=f'pytorch {torch.__version__} {device.type} ({world} process{"es" if world > 1 else ""})',
                             **({'bestEpoch': best[2]} if best[1] is not None else {})),
            'split': {'mode': lab_mode if lab_mode in ('clip', 'segment', 'filtered', 'artist') else 'segment' if mode == 'segment' else 'clip', 'seed': args.seed, 'testFraction': 0.25, 'validationFraction': 0.2, **counts,
                      'leftOutClips': int((sides == -1).sum()) if sides is not None else 0,
                      'trainSegments': len(rows['train']), 'validationSegments': len(rows['val']), 'testSegments': len(rows['test']),
                      'testClipNames': [names[c] for c in np.unique(data.clip[rows['test']])], 'sizes': sizes},
            'metrics': {'split': sizes, 'testSegmentAccuracy': test['segment'], 'testClipAccuracy': test['clip'], 'testLoss': test['loss'],
                        'testClips': test['clips'], 'testClipInterval': wilson(test['clip_right'], test['clips']),
                        **balanced_clip_metrics(test['probs'].numpy(), data.y[rows['test']], data.clip[rows['test']])},
            'history': history,
            'createdAt': datetime.datetime.now(datetime.timezone.utc).isoformat().replace('+00:00', 'Z'),
        }
        topology, weights = tfjs_layers(model, arch, frames, coefficients, classes, m)
        write_model(args.out, topology, weights, metadata)
        lo, hi = metadata['metrics']['testClipInterval']
        print(f'test accuracy: {100 * test["clip"]:.1f} % per clip (95 % interval {100 * lo:.1f}–{100 * hi:.1f} %, {test["clips"]} clips), '
              f'{100 * test["segment"]:.1f} % per segment; {sizes}; wrote {os.path.join(args.out, "model.zip")}', flush=True)
        import resource
        print(f'{len(history)} epochs in {time.time() - started:.1f} s ({len(rows["train"]) * len(history) / max(1e-9, train_seconds):.0f} training segments/s '
              f'on {world} process{"es" if world > 1 else ""}); peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB', flush=True)
        with open(os.path.join(args.out, 'test-probabilities.json'), 'w') as f:
            json.dump(test['probs'].tolist(), f)
    if distributed:
        dist.destroy_process_group()


def _process(rank, world, port, argv):
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port), RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE=str(world))
    main(argv)


def spawn(world, argv):
    """Starts `world` processes on this machine as torchrun would (Debian 12's torchrun, PyTorch
    1.13 under Python 3.11, fails before it starts any: its Std enum lookup returns None)."""
    import socket
    import torch.multiprocessing as mp
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    mp.spawn(_process, args=(world, port, argv), nprocs=world, join=True)


def lab_names(ours, manifest):
    """Our weight names → the lab model's, layer by layer: tfjs names its layers otherwise and
    lists the non-trainable weights (batch normalisation's moving statistics) after all others."""
    def layers(names):
        out = []
        for n in names:
            prefix = n.rsplit('/', 1)[0]
            if prefix not in out:
                out.append(prefix)
        return out
    theirs = [w['name'] for w in manifest]
    pairs = dict(zip(layers([n for n, _ in ours]), layers(theirs)))
    if len(pairs) != len(layers(theirs)):
        return None
    mapped = {n: pairs[n.rsplit('/', 1)[0]] + '/' + n.rsplit('/', 1)[1] for n, _ in ours}
    return mapped if set(mapped.values()) == set(theirs) else None


def load_tfjs_weights(model, arch, frames, coefficients, classes, m, model_json_path):
    """Starts from a lab model's weights (same architecture, e.g. the page's initial weights)."""
    with open(model_json_path) as f:
        mj = json.load(f)
    manifest = mj['weightsManifest'][0]['weights']
    blob = open(os.path.join(os.path.dirname(model_json_path), mj['weightsManifest'][0]['paths'][0]), 'rb').read()
    arrays, offset = {}, 0
    for spec in manifest:
        n = int(np.prod(spec['shape'])) if spec['shape'] else 1
        arrays[spec['name']] = np.frombuffer(blob, dtype=np.float32, count=n, offset=offset).reshape(spec['shape'])
        offset += 4 * n
    _, ours = tfjs_layers(model, arch, frames, coefficients, classes, m)
    names = lab_names(ours, manifest)
    if names is None or any(list(arrays[names[n]].shape) != list(w.shape) for n, w in ours):
        raise SystemExit(f'{model_json_path}: its weights do not fit this architecture')
    it = iter(arrays[names[n]] for n, _ in ours)
    with torch.no_grad():
        if arch == 'lstm':
            for lstm in model.lstms:
                lstm.weight_ih_l0.copy_(torch.from_numpy(next(it).T.copy()))
                lstm.weight_hh_l0.copy_(torch.from_numpy(next(it).T.copy()))
                lstm.bias_ih_l0.copy_(torch.from_numpy(next(it).copy()))
                lstm.bias_hh_l0.zero_()
            linears = [model.dense, model.out]
        else:
            for conv, bn in zip(model.convs, model.bns):
                k = next(it)
                conv.weight.copy_(torch.from_numpy(k.transpose(3, 2, 0, 1).copy() if arch == 'cnn' else k.transpose(2, 1, 0).copy()))
                for target in (bn.weight, bn.bias, bn.running_mean, bn.running_var):
                    target.copy_(torch.from_numpy(next(it).copy()))
            linears = [model.out] if arch == 'cnn' else [model.dense, model.out]
        for lin in linears:
            lin.weight.copy_(torch.from_numpy(next(it).T.copy()))
            lin.bias.copy_(torch.from_numpy(next(it).copy()))


if __name__ == '__main__':
    if len(sys.argv) > 1 and sys.argv[1] == '--presets-json':
        print(json.dumps(PRESETS))
    else:
        main()
