import numpy as np
import pytest

from nn.datasets import load_digits, train_test_split


def test_digits_shapes_dtypes_and_range():
    X, y = load_digits()
    assert X.shape == (1797, 64), X.shape
    assert y.shape == (1797,), y.shape
    assert X.dtype == np.float32, X.dtype
    assert y.dtype == np.int64, y.dtype
    assert X.min() == 0.0 and X.max() == 1.0, (X.min(), X.max())
    # Pixels are counts 0..16, so every value is a multiple of 1/16.
    np.testing.assert_array_equal(X * 16, np.round(X * 16))


def test_digits_dtype_argument():
    X, _ = load_digits(dtype=np.float64)
    assert X.dtype == np.float64
    with pytest.raises(TypeError, match="float dtype"):
        load_digits(dtype=np.int32)


def test_digits_labels_are_balanced():
    _, y = load_digits()
    counts = np.bincount(y, minlength=10)
    assert len(counts) == 10, counts
    assert counts.sum() == 1797
    assert counts.min() >= 170 and counts.max() <= 190, counts


def test_split_is_deterministic_disjoint_and_complete():
    X, y = load_digits()
    ids = np.arange(len(X))
    a = train_test_split(ids, y, test_size=0.2, seed=0)
    b = train_test_split(ids, y, test_size=0.2, seed=0)
    for got, expected in zip(a, b, strict=True):
        np.testing.assert_array_equal(got, expected)
    id_train, id_test, y_train, y_test = a
    assert len(id_test) == 360 and len(id_train) == 1797 - 360
    assert not set(id_train) & set(id_test)
    np.testing.assert_array_equal(np.sort(np.concatenate([id_train, id_test])), ids)
    np.testing.assert_array_equal(y_train, y[id_train])
    np.testing.assert_array_equal(y_test, y[id_test])
    # The split is shuffled, and a different seed gives a different one.
    assert not np.array_equal(id_test, np.arange(360))
    c = train_test_split(ids, y, test_size=0.2, seed=1)
    assert not np.array_equal(c[1], id_test)


def test_split_rows_stay_aligned():
    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=100, seed=3)
    assert X_train.shape == (1697, 64) and X_test.shape == (100, 64)
    assert y_train.shape == (1697,) and y_test.shape == (100,)
    # Each test row must still be the image it was labelled with in the full set.
    for row, label in zip(X_test[:20], y_test[:20], strict=True):
        matches = np.flatnonzero((X == row).all(axis=1))
        assert label in y[matches]


def test_split_rejects_bad_sizes():
    X, y = load_digits()
    with pytest.raises(ValueError):
        train_test_split(X, y, test_size=1.5)
    with pytest.raises(ValueError):
        train_test_split(X, y[:-1])
