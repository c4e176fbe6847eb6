"""Whole-tensor questions with Python answers: `is_tensor`, `allclose`, `equal`."""

import numpy as np

from .tensor import Tensor


def is_tensor(obj):
    return isinstance(obj, Tensor)


def _arrays(where, input, other):
    for name, t in (("input", input), ("other", other)):
        if not isinstance(t, Tensor):
            raise TypeError(f"{where}: {name} must be a Tensor, got {type(t).__name__}")
    return input._data, other._data


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """True if |input - other| <= atol + rtol·|other| everywhere (shapes broadcast). As in
    PyTorch, the two dtypes must match."""
    a, b = _arrays("allclose", input, other)
    if a.dtype != b.dtype:
        raise RuntimeError(f"allclose: dtype {a.dtype} of input did not match dtype {b.dtype} "
                           "of other; cast one first")
    return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))


def equal(input, other):
    """True if both have the same shape and the same values."""
    a, b = _arrays("equal", input, other)
    return a.shape == b.shape and bool(np.array_equal(a, b))
