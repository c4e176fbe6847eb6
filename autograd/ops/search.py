"""Ops that find entries: max/min with their positions, argmax, any/all, sorting, top-k,
running maxima, gather, and where(cond) / nonzero.

None of them needs a primitive of its own: the positions are computed on the array (they have
no derivative), and the values are then picked out with `getitem`, whose reverse rule sends
each value's cotangent back to the entry it came from.
"""

import builtins

import numpy as np

from ..tensor import Tensor
from ._dialect import (
    UNSET,
    CummaxResult,
    CumminResult,
    KthvalueResult,
    MaxResult,
    MedianResult,
    MinResult,
    SortResult,
    TopkResult,
    dims,
    one,
    single,
)
from ._util import as_tensor
from .arithmetic import maximum, minimum
from .reductions import Max, Min
from .shape import getitem, reshape, squeeze


def _long(array):
    return Tensor._make(np.asarray(array, dtype=np.int64))


def along(index, axis):
    """The NumPy index that picks a[i₀, …, index[i₀, …], …] at `axis` (take_along_axis): the
    result has index's shape."""
    parts = []
    for i, n in enumerate(index.shape):
        if i == axis:
            parts.append(index)
        else:
            shape = [1] * index.ndim
            shape[i] = n
            parts.append(np.arange(n).reshape(shape))
    return tuple(parts)


def _extreme(call, Reduce, Result, find, input, dim, keepdim, axis, keepdims):
    if isinstance(dim, (Tensor, np.ndarray)):  # torch.max(a, b): the elementwise maximum
        return (maximum if Reduce is Max else minimum)(input, dim)
    a = as_tensor(input)
    axes, keep, numpy_spelled = dims(call, a.ndim, dim, keepdim, axis, keepdims)
    values = Reduce(axes, keep, dim is None and axis in (None, UNSET) and not keep)(a)
    if dim is None or numpy_spelled:
        return values
    if len(axes) > 1 or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{call}: dim must be one int to get (values, indices), got {dim!r}")
    return Result(values, _positions(call, find, a, axes, keep))


def _positions(call, find, a, axes, keep):
    if a.ndim == 0:
        return _long(0)
    if a.shape[axes[0]] == 0:
        raise ValueError(f"{call}: cannot reduce over an empty dim {axes[0]} of a tensor of "
                         f"shape {a.shape}")
    return _long(find(a._data, axis=axes[0], keepdims=keep))


def max(input, dim=None, keepdim=None, *, axis=UNSET, keepdims=UNSET):
    """`x.max()`: the largest entry; `x.max(dim)`: (values, indices) along dim, as PyTorch;
    `x.max(axis=d)`: the values only, as NumPy; `x.max(other)`: the elementwise maximum.
    Tied entries share the gradient of a maximum equally."""
    return _extreme("max", Max, MaxResult, np.argmax, input, dim, keepdim, axis, keepdims)


def min(input, dim=None, keepdim=None, *, axis=UNSET, keepdims=UNSET):
    """The smallest entries: spelled and answered as `max`."""
    return _extreme("min", Min, MinResult, np.argmin, input, dim, keepdim, axis, keepdims)


def amax(input, dim=None, keepdim=False, *, axis=UNSET, keepdims=UNSET):
    a = as_tensor(input)
    return Max(*dims("amax", a.ndim, dim, keepdim or None, axis, keepdims)[:2])(a)


def amin(input, dim=None, keepdim=False, *, axis=UNSET, keepdims=UNSET):
    a = as_tensor(input)
    return Min(*dims("amin", a.ndim, dim, keepdim or None, axis, keepdims)[:2])(a)


def _arg(call, find, input, dim, keepdim, axis, keepdims):
    a = as_tensor(input)
    axes, keep, _ = dims(call, a.ndim, dim, keepdim, axis, keepdims)
    if dim is None and axis in (None, UNSET):  # over the flattened tensor
        if a._data.size == 0:
            raise ValueError(f"{call}: the tensor of shape {a.shape} is empty")
        position = find(a._data)
        return _long(np.reshape(position, (1,) * a.ndim) if keep else position)
    return _positions(call, find, a, axes, keep)


def argmax(input, dim=None, keepdim=None, *, axis=UNSET, keepdims=UNSET):
    """The index of the largest entry (of the flattened tensor when no dim is given)."""
    return _arg("argmax", np.argmax, input, dim, keepdim, axis, keepdims)


def argmin(input, dim=None, keepdim=None, *, axis=UNSET, keepdims=UNSET):
    return _arg("argmin", np.argmin, input, dim, keepdim, axis, keepdims)


def any(input, dim=None, keepdim=None, *, axis=UNSET, keepdims=UNSET):
    a = as_tensor(input)
    axes, keep, _ = dims("any", a.ndim, dim, keepdim, axis, keepdims)
    return Tensor._make(np.any(a._data, axis=axes, keepdims=keep))


def all(input, dim=None, keepdim=None, *, axis=UNSET, keepdims=UNSET):
    a = as_tensor(input)
    axes, keep, _ = dims("all", a.ndim, dim, keepdim, axis, keepdims)
    return Tensor._make(np.all(a._data, axis=axes, keepdims=keep))


def _order(a, axis, descending):
    """Stable sort positions along `axis`; descending keeps tied entries in their order."""
    if not descending:
        return np.argsort(a, axis=axis, kind="stable")
    flipped = np.argsort(np.flip(a, axis), axis=axis, kind="stable")
    return a.shape[axis] - 1 - np.flip(flipped, axis)


def sort(input, dim=-1, descending=False, stable=False, *, axis=UNSET):
    """(values, indices) sorted along `dim`; ties keep their order; NaN sorts as largest."""
    a = as_tensor(input)
    if a.ndim == 0:
        return SortResult(a, _long(0))
    d = single("sort", a.ndim, dim, axis)
    index = _order(a._data, d, descending)
    return SortResult(getitem(a, along(index, d)), _long(index))


def argsort(input, dim=-1, descending=False, stable=False, *, axis=UNSET):
    a = as_tensor(input)
    if a.ndim == 0:
        return _long(0)
    return _long(_order(a._data, single("argsort", a.ndim, dim, axis), descending))


def topk(input, k, dim=-1, largest=True, sorted=True):
    """(values, indices) of the k largest (or smallest) entries along `dim`, largest first."""
    a = as_tensor(input)
    d = one("topk", dim, a.ndim)
    n = a.shape[d] if a.ndim else 1
    if not 0 <= k <= n:
        raise ValueError(f"topk: k ({k}) is out of range for dim {d} of size {n}")
    if a.ndim == 0:
        return TopkResult(a, _long(0))
    index = np.take(_order(a._data, d, largest), np.arange(k), axis=d)
    return TopkResult(getitem(a, along(index, d)), _long(index))


def kthvalue(input, k, dim=-1, keepdim=False):
    """(values, indices) of the k-th smallest entry (k counts from 1) along `dim`."""
    a = as_tensor(input)
    if a.ndim == 0:
        return KthvalueResult(a, _long(0))
    d = one("kthvalue", dim, a.ndim)
    if not 1 <= k <= a.shape[d]:
        raise ValueError(f"kthvalue: k ({k}) is out of range for dim {d} of size {a.shape[d]}")
    index = np.take(_order(a._data, d, False), [k - 1], axis=d)
    values = getitem(a, along(index, d))
    if not keepdim:
        values, index = squeeze(values, d), np.squeeze(index, d)
    return KthvalueResult(values, _long(index))


def median(input, dim=None, keepdim=False):
    """The lower median: of all entries (a value), or along `dim` ((values, indices))."""
    a = as_tensor(input)
    if dim is None:
        flat = reshape(a, (-1,))
        if flat.shape[0] == 0:
            raise ValueError("median: the tensor is empty")
        return kthvalue(flat, (flat.shape[0] + 1) // 2, 0).values
    d = one("median", dim, a.ndim)
    n = a.shape[d] if a.ndim else 1
    values, indices = kthvalue(a, (n + 1) // 2, d, keepdim)
    return MedianResult(values, indices)


def _running(call, Result, better, input, dim, axis):
    a = as_tensor(input)
    if a.ndim == 0:
        return Result(a, _long(0))
    d = single(call, a.ndim, dim, axis)
    x = np.moveaxis(a._data, d, -1)
    index = np.zeros(x.shape, dtype=np.int64)
    if x.shape[-1]:
        best = x[..., 0].copy()
        for j in range(1, x.shape[-1]):
            new = x[..., j]
            # A tie moves the position to the later entry, and NaN wins, as in PyTorch.
            take = better(new, best) | (new != new)
            best = np.where(take, new, best)
            index[..., j] = np.where(take, j, index[..., j - 1])
    index = np.moveaxis(index, -1, d)
    return Result(getitem(a, along(index, d)), _long(index))


def cummax(input, dim=None, *, axis=UNSET):
    """(values, indices): the running maximum along `dim` and where it was attained."""
    return _running("cummax", CummaxResult, np.greater_equal, input, dim, axis)


def cummin(input, dim=None, *, axis=UNSET):
    return _running("cummin", CumminResult, np.less_equal, input, dim, axis)


def gather(input, dim, index):
    """out[i][j] = input[i][index[i][j]] for dim = 1 (and likewise for other dims)."""
    a = as_tensor(input)
    d = one("gather", dim, a.ndim)
    index = np.asarray(index._data if isinstance(index, Tensor) else index)
    if index.dtype.kind not in "iu" or index.ndim != a.ndim or builtins.any(
            index.shape[i] > a.shape[i] for i in range(a.ndim) if i != d):
        raise ValueError(f"gather: index of shape {index.shape} and dtype {index.dtype} does "
                         f"not fit input of shape {a.shape} along dim {d}")
    return getitem(a, along(index, d))


def nonzero(input, *, as_tuple=False):
    """The positions of the non-zero entries: an (n, ndim) int64 tensor, or one index tensor
    per dim with `as_tuple=True` (what `where(cond)` gives)."""
    a = as_tensor(input)._data
    positions = np.nonzero(a) if a.ndim else np.nonzero(a.reshape(1))
    if as_tuple:
        return tuple(_long(p) for p in positions)
    return _long(np.stack(positions, axis=1) if positions else np.zeros((0, 0)))
