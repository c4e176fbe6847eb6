"""Ops that pick, place or rearrange entries by position: index_select, masked_select,
scatter and scatter_add, roll, repeat_interleave and diag, all compositions of indexing (so
their gradients are indexing's scatter-add); and the counting functions unique and bincount
and the tests isnan/isinf/isfinite, which have no gradient."""

import numpy as np

from ..shapes import ShapeError
from ..tensor import Tensor
from ._dialect import one
from ._util import as_tensor
from .search import along
from .shape import IndexAdd, broadcast_to, getitem, index_put, reshape


def _array(index):
    return np.asarray(index._data if isinstance(index, Tensor) else index)


def index_select(input, dim, index):
    """The slices at `index` (a 1-D integer tensor) along `dim`."""
    a = as_tensor(input)
    index = _array(index)
    if index.ndim > 1 or index.dtype.kind not in "iu":
        raise ValueError(f"index_select: index must be a 1-D integer tensor, got shape "
                         f"{index.shape} dtype {index.dtype}")
    return getitem(a, (slice(None),) * one("index_select", dim, a.ndim) + (index.reshape(-1),))


def masked_select(input, mask):
    """The entries where `mask` (broadcast to input's shape) is True, as a 1-D tensor."""
    a = as_tensor(input)
    mask = np.broadcast_to(_array(mask).astype(bool), a.shape)
    return getitem(a, mask)


def _scatter_index(call, a, dim, index):
    d = one(call, dim, a.ndim)
    index = _array(index)
    if index.ndim != a.ndim or index.dtype.kind not in "iu":
        raise ValueError(f"{call}: index of shape {index.shape} and dtype {index.dtype} does "
                         f"not match input of shape {a.shape}")
    return along(index, d), index.shape


def _source(src, shape, like):
    if isinstance(src, Tensor):
        return getitem(src, tuple(slice(0, n) for n in shape)) if src.shape != shape else src
    return broadcast_to(as_tensor(src, like), shape)


def scatter(input, dim, index, src=None, *, value=None):
    """out = input with out[i][index[i][j]] = src[i][j] (dim = 1): `src` a tensor or `value`
    a number; where an index repeats, the last write wins."""
    a = as_tensor(input)
    where, shape = _scatter_index("scatter", a, dim, index)
    return index_put(a, where, _source(value if src is None else src, shape, a))


def scatter_add(input, dim, index, src):
    """out = input with src[i][j] added at [i][index[i][j]] (dim = 1); repeats add up."""
    a = as_tensor(input)
    where, shape = _scatter_index("scatter_add", a, dim, index)
    return a + IndexAdd(a.shape, where)(_source(src, shape, a))


def roll(input, shifts, dims=None):
    """The entries shifted cyclically by `shifts` along `dims` (the flattened tensor when no
    dims are given)."""
    a = as_tensor(input)
    if dims is None:
        return reshape(roll(reshape(a, (-1,)), shifts, 0), a.shape)
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    if len(shifts) != len(dims):
        raise ValueError(f"roll: {len(shifts)} shifts for {len(dims)} dims")
    for shift, dim in zip(shifts, dims):
        d = one("roll", dim, a.ndim)
        n = a.shape[d]
        a = getitem(a, (slice(None),) * d + ((np.arange(n) - shift) % n if n else [],))
    return a


def repeat_interleave(input, repeats, dim=None):
    """Each entry repeated `repeats` times in place (NumPy's repeat): [1, 2] -> [1, 1, 2, 2]."""
    a = as_tensor(input)
    if dim is None:
        a, dim = reshape(a, (-1,)), 0
    d = one("repeat_interleave", dim, a.ndim)
    repeats = _array(repeats)
    positions = np.repeat(np.arange(a.shape[d]), repeats)
    return getitem(a, (slice(None),) * d + (positions,))


def diag(input, diagonal=0):
    """A vector -> the square matrix with it on the `diagonal`-th diagonal; a matrix -> that
    diagonal as a vector."""
    a = as_tensor(input)
    if a.ndim == 2:
        from .views import diagonal as take

        return take(a, diagonal)
    if a.ndim != 1:
        raise ShapeError(f"diag: expects a vector or a matrix, got shape {a.shape}")
    n = a.shape[0] + abs(diagonal)
    rows = np.arange(a.shape[0]) + max(0, -diagonal)
    return IndexAdd((n, n), (rows, rows + diagonal))(a)


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct entries, sorted (no gradient); optionally where each entry went and how
    often each value occurs."""
    a = as_tensor(input)._data
    found = np.unique(a, return_inverse=True, return_counts=True, axis=dim)
    out = [Tensor._make(found[0])]
    if return_inverse:
        out.append(Tensor._make(found[1].reshape(a.shape if dim is None else -1)
                                .astype(np.int64)))
    if return_counts:
        out.append(Tensor._make(found[2].astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


def bincount(input, weights=None, minlength=0):
    """How often each non-negative integer occurs (or the sum of its weights)."""
    a = _array(input)
    w = None if weights is None else _array(weights)
    counts = np.bincount(a, w, minlength)
    return Tensor._make(counts if w is not None else counts.astype(np.int64))


def histogram(input, bins=100, *, range=None, weight=None, density=False):
    """(hist, bin_edges): counts (or weights, or a density) of the entries in `bins` equal
    bins over `range` (the entries' min to max by default); no gradient."""
    a = as_tensor(input)
    w = None if weight is None else _array(weight)
    hist, edges = np.histogram(a._data, bins, range, weights=w, density=density)
    return Tensor._make(hist.astype(a.dtype)), Tensor._make(edges.astype(a.dtype))


def isnan(input):
    return Tensor._make(np.isnan(as_tensor(input)._data))


def isinf(input):
    return Tensor._make(np.isinf(as_tensor(input)._data))


def isfinite(input):
    return Tensor._make(np.isfinite(as_tensor(input)._data))
