"""Minibatches for training loops: `nn.batches(X, y, batch_size)` and a re-iterable
`DataLoader`, shared by the training loops, tests and notebooks."""

import numpy as np

from autograd import Tensor
from autograd import random as _random

from . import init


def _check(X, y, batch_size, name):
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
            or batch_size < 1:
        raise ValueError(f"{name}: batch_size must be a positive int, got {batch_size!r}")
    X = X._data if isinstance(X, Tensor) else np.asarray(X)
    if y is not None:
        y = y._data if isinstance(y, Tensor) else np.asarray(y)
        if len(y) != len(X):
            raise ValueError(f"{name}: X has {len(X)} rows but y has {len(y)}")
    return X, y


def batches(X, y=None, batch_size=32, shuffle=True, drop_last=False, seed=None, rng=None):
    """Yield (X_batch, y_batch) Tensors (or X_batch alone when y is None), batch_size rows each.

    Rows are shuffled when `shuffle`, by `rng` (an autograd.Generator or np.random.Generator),
    else by a generator seeded with `seed`, else by the library's shared generator (see
    `autograd.manual_seed`). The last,
    smaller batch is dropped when `drop_last`. Arrays keep their dtype.
    """
    X, y = _check(X, y, batch_size, "batches")
    n = len(X)
    if shuffle:
        if rng is None:
            rng = init.default_generator() if seed is None else np.random.default_rng(seed)
        order = _random.numpy_rng(rng, "batches").permutation(n)
    else:
        order = np.arange(n)
    stop = n - n % batch_size if drop_last else n
    for start in range(0, stop, batch_size):
        rows = order[start:start + batch_size]
        if y is None:
            yield Tensor(X[rows])
        else:
            yield Tensor(X[rows]), Tensor(y[rows])


class DataLoader:
    """Re-iterable `batches`: each `for` over it is one epoch, reshuffled by its own generator
    (seeded by `seed`, or nn.init's shared one). `len()` is the number of batches per epoch."""

    def __init__(self, X, y=None, batch_size=32, shuffle=False, drop_last=False, seed=None):
        self.X, self.y = _check(X, y, batch_size, "DataLoader")
        self.batch_size, self.shuffle, self.drop_last = int(batch_size), shuffle, drop_last
        self.rng = None if seed is None else np.random.default_rng(seed)

    def __len__(self):
        n = len(self.X)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def __iter__(self):
        return batches(self.X, self.y, self.batch_size, self.shuffle, self.drop_last,
                       rng=self.rng)
