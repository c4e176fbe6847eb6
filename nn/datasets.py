"""Small real data sets shipped with the package, so demos and tests run offline.

`load_digits` reads the UCI handwritten digits (1,797 images of 8x8 pixels, see nn/data/README.md)
from a compressed .npz inside the package; `train_test_split` makes a seeded, reproducible split.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent / "data"
DIGITS_PATH = DATA_DIR / "digits.npz"


def load_digits(dtype=None):
    """Return the UCI digits as `(X, y)`: X (1797, 64) in [0, 1], y (1797,) int64 in 0..9.

    Each pixel counts the ink in a 4x4 block of a 32x32 bitmap, so it lies in 0..16; dividing
    by 16 puts the features in [0, 1], where default initialisations and learning rates work.
    X is float32 unless `dtype` says otherwise (float32 is the engine's default float dtype);
    y is int64 because that is what class-index losses and indexing expect.
    The file is read with `allow_pickle=False`: a data file must never be able to run code.
    """
    dtype = np.dtype(np.float32 if dtype is None else dtype)
    if dtype.kind != "f":
        raise TypeError(f"load_digits: dtype must be a float dtype, got {dtype}")
    with np.load(DIGITS_PATH, allow_pickle=False) as data:
        images = data["images"]  # (1797, 8, 8) uint8, 0..16
        labels = data["labels"]  # (1797,) uint8, 0..9
    X = images.reshape(len(images), -1).astype(dtype) / dtype.type(16)  # (N, 64)
    y = labels.astype(np.int64)  # (N,)
    return X, y


def train_test_split(X, y, test_size=0.2, seed=0):
    """Shuffle with a seeded generator and split into `(X_train, X_test, y_train, y_test)`.

    The same `seed` always gives the same split, so results can be compared across runs.
    `test_size` is a fraction in (0, 1) or a count of test rows; the test set takes the first
    `n_test` rows of the permutation and the training set the rest, so the two are disjoint and
    together hold every row once. The return order is scikit-learn's.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    n = len(X)
    if len(y) != n:
        raise ValueError(f"train_test_split: X has {n} rows but y has {len(y)}")
    if isinstance(test_size, float):
        if not 0.0 < test_size < 1.0:
            raise ValueError(f"train_test_split: test_size must be in (0, 1), got {test_size}")
        n_test = int(np.ceil(test_size * n))
    else:
        n_test = int(test_size)
    if not 0 < n_test < n:
        raise ValueError(f"train_test_split: need 0 < n_test < {n}, got {n_test}")
    order = np.random.default_rng(seed).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]
