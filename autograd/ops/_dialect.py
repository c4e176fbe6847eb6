"""The two spellings of an axis argument, resolved in one place.

PyTorch's `dim=` / `keepdim=` (and positional dims) and NumPy's `axis=` / `keepdims=` name the
same thing in most calls; where the two libraries disagree on what a call means (`x.max(1)`,
`x.var()`), the spelling tells which meaning was asked for. Giving both spellings of one
argument is a TypeError naming the call.
"""

from collections import namedtuple

import numpy as np

from ..shapes import ShapeError


class _Unset:
    """The default of a NumPy keyword: tells 'not given' apart from any value given."""

    def __repr__(self):
        return "<unset>"


UNSET = _Unset()


def dims(call, ndim, dim, keepdim, axis, keepdims):
    """Resolve a reduction's axis arguments -> (axes, keepdims, numpy_spelled).

    `axes` is a sorted tuple of non-negative axes (all of them when none is given);
    `numpy_spelled` is True when `axis=` or `keepdims=` was used.
    """
    numpy_spelled = axis is not UNSET or keepdims is not UNSET
    if axis is not UNSET:
        if dim is not None:
            raise TypeError(f"{call}: got both dim={dim!r} (PyTorch) and axis={axis!r} "
                            "(NumPy); give one")
        dim, word = axis, "axis"
    else:
        word = "dim"
    if keepdims is not UNSET:
        if keepdim is not None:
            raise TypeError(f"{call}: got both keepdim={keepdim!r} (PyTorch) and "
                            f"keepdims={keepdims!r} (NumPy); give one")
        keepdim = keepdims
    return axes(call, dim, ndim, word), bool(keepdim), numpy_spelled


def axes(call, dim, ndim, word="dim"):
    """`dim` (None, an int or a sequence of ints) as a sorted tuple of non-negative axes."""
    if dim is None:
        return tuple(range(ndim))
    listed = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    result = sorted(one(call, d, ndim, word) for d in listed)
    if ndim == 0:  # a 0-d tensor's dim 0 is itself: nothing to reduce over
        return ()
    if len(set(result)) != len(result):
        raise ShapeError(f"{call}: {word} {dim!r} repeats a dimension")
    return tuple(result)


def one(call, dim, ndim, word="dim"):
    """One dimension index, negative counting from the end. A 0-d tensor accepts 0 and -1,
    as in PyTorch."""
    if not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
        raise TypeError(f"{call}: {word} must be an int, got {dim!r}")
    size = ndim if ndim else 1
    if not -size <= dim < size:
        raise ShapeError(f"{call}: {word} {dim} is out of range for a tensor of {ndim} dims "
                         f"(expected {-size} to {size - 1})")
    return int(dim) % size


def single(call, ndim, dim, axis, default=None):
    """A one-axis argument spelled `dim` or `axis` -> a non-negative axis (or `default` when
    neither is given)."""
    if axis is not UNSET:
        if dim is not None:
            raise TypeError(f"{call}: got both dim={dim!r} (PyTorch) and axis={axis!r} "
                            "(NumPy); give one")
        dim, word = axis, "axis"
    else:
        word = "dim"
    if dim is None:
        return default
    return one(call, dim, ndim, word)


# PyTorch's result types for ops that return values and indices (torch.return_types.*).
def _result(name):
    return namedtuple(name, ["values", "indices"])


MaxResult, MinResult = _result("max"), _result("min")
SortResult, TopkResult = _result("sort"), _result("topk")
CummaxResult, CumminResult = _result("cummax"), _result("cummin")
KthvalueResult, MedianResult = _result("kthvalue"), _result("median")
