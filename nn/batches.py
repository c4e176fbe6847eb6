"""Minibatches for training loops: `nn.batches(X, y, batch_size)`, a one-call form of
`nn.utils.data.DataLoader` (also reachable as `nn.DataLoader`) over the rows of X and y."""

import numpy as np

from autograd import Tensor

from .utils.data import DataLoader, TensorDataset


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

    Rows are shuffled when `shuffle`, by `rng` (a np.random.Generator), else by a generator
    seeded with `seed`, else by the shared generator (see `nn.manual_seed`). The last,
    smaller batch is dropped when `drop_last`. Arrays keep their dtype.
    """
    X, y = _check(X, y, batch_size, "batches")
    if rng is None and seed is not None:
        rng = np.random.default_rng(seed)
    dataset = TensorDataset(X) if y is None else TensorDataset(X, y)
    loader = DataLoader(dataset, int(batch_size), shuffle=shuffle, drop_last=drop_last,
                        generator=rng if shuffle else None)
    for batch in loader:
        yield batch[0] if y is None else tuple(batch)


__all__ = ["DataLoader", "batches"]
