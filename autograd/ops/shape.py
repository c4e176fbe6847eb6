"""Ops that move entries around without changing them: reshape, transpose, broadcast,
indexing and joining. Each reverse rule moves the cotangent back the way the entries came;
indexing's reverse is a scatter-add, so repeated indices accumulate."""

from __future__ import annotations

import builtins
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from ..op import Op
from ..shapes import ShapeError, broadcast_shapes, normalize_axes
from ..tensor import Tensor
from ._util import as_tensor


class Reshape(Op):
    """out = a viewed as `shape`      vjp: g reshaped to a's shape      jvp: da reshaped"""

    __slots__ = ("shape",)
    view = True

    def __init__(self, shape):
        self.shape = shape

    def forward(self, a):
        return a.reshape(self.shape)

    def vjp(self, out, g):
        return (Reshape(self.inputs[0].shape)(g),)

    def jvp(self, out, da):
        return Reshape(self.shape)(da)


class Transpose(Op):
    """out = a with axes permuted      vjp: g with the inverse permutation      jvp: da permuted"""

    __slots__ = ("axes",)
    view = True

    def __init__(self, axes):
        self.axes = axes

    def forward(self, a):
        return np.transpose(a, self.axes)

    def vjp(self, out, g):
        return (Transpose(tuple(np.argsort(self.axes).tolist()))(g),)

    def jvp(self, out, da):
        return Transpose(self.axes)(da)


class BroadcastTo(Op):
    """out = a repeated along broadcast axes      vjp: sum_to(g, a.shape)      jvp: da broadcast

    The one place broadcasting is differentiated: its reverse sums over the copies.
    """

    __slots__ = ("shape",)
    view = True

    def __init__(self, shape):
        self.shape = shape

    def forward(self, a):
        return np.broadcast_to(a, self.shape)

    def vjp(self, out, g):
        return (sum_to(g, self.inputs[0].shape),)

    def jvp(self, out, da):
        return BroadcastTo(self.shape)(da)


class GetItem(Op):
    """out = a[index]      vjp: scatter-add of g into zeros of a's shape      jvp: da[index]"""

    __slots__ = ("index",)
    view = True

    def __init__(self, index):
        self.index = index

    def forward(self, a):
        try:
            return a[self.index]
        except IndexError as e:
            raise IndexError(f"getitem: index {_show(self.index)} is invalid for a tensor of "
                             f"shape {a.shape}: {e}") from None

    def vjp(self, out, g):
        return (IndexAdd(self.inputs[0].shape, self.index)(g),)

    def jvp(self, out, da):
        return GetItem(self.index)(da)


class IndexAdd(Op):
    """out = zeros(shape) with g added at index (repeats add up)      vjp: g[index]
    jvp: the same scatter of the tangent"""

    __slots__ = ("shape", "index")

    def __init__(self, shape, index):
        self.shape, self.index = shape, index

    def forward(self, g):
        out = np.zeros(self.shape, dtype=g.dtype)
        if _may_repeat(self.index):
            np.add.at(out, self.index, g)
        else:
            out[self.index] = g
        return out

    def vjp(self, out, g):
        return (GetItem(self.index)(g),)

    def jvp(self, out, dg):
        return IndexAdd(self.shape, self.index)(dg)


class IndexPut(Op):
    """out = a with out[index] = v      vjp: (g with zeros at index, sum_to(g[index], v.shape))
    jvp: da with da[index] = dv   (the out-of-place form of `a[index] = v`)"""

    __slots__ = ("index",)

    def __init__(self, index):
        self.index = index

    def forward(self, a, v):
        out = a.copy()
        try:
            out[self.index] = v
        except (IndexError, ValueError) as e:
            raise IndexError(f"setitem: cannot assign a value of shape {v.shape} at index "
                             f"{_show(self.index)} of a tensor of shape {a.shape}: {e}") from None
        return out

    def vjp(self, out, g):
        a, v = self.inputs
        keep = np.ones(a.shape, dtype=bool)
        keep[self.index] = False
        gv = sum_to(GetItem(self.index)(g), v.shape) if v._requires_grad else None
        return g * keep, gv

    def jvp(self, out, da, dv):
        return IndexPut(self.index)(da, dv)


class Concatenate(Op):
    """out = [a₁, a₂, …] joined along axis      vjp: g cut into the inputs' pieces
    jvp: the tangents joined"""

    __slots__ = ("axis",)

    def __init__(self, axis):
        self.axis = axis

    def forward(self, *arrays):
        return np.concatenate(arrays, axis=self.axis)

    def vjp(self, out, g):
        pieces, start = [], 0
        for t in self.inputs:
            stop = start + t.shape[self.axis]
            index = (slice(None),) * self.axis + (slice(start, stop),)
            pieces.append(GetItem(index)(g) if t._requires_grad else None)
            start = stop
        return tuple(pieces)

    def jvp(self, out, *tangents):
        return Concatenate(self.axis)(*tangents)


def _may_repeat(index):
    """Only integer arrays can name an entry twice; other indices can be assigned directly."""
    parts = index if isinstance(index, tuple) else (index,)
    return builtins.any(isinstance(p, np.ndarray) and p.dtype.kind in "iu" for p in parts)


def _show(index):
    return repr(index) if not isinstance(index, np.ndarray) else f"array{index.tolist()}"


def _normalize_index(index):
    """Tensors and lists inside an index become ndarrays, so ops store plain NumPy indices."""
    if isinstance(index, tuple):
        return tuple(_normalize_index(i) for i in index)
    if isinstance(index, Tensor):
        return index._data
    if isinstance(index, list):
        return np.asarray(index)
    return index


def index_put(a, index, v):
    """`a` with `a[index]` replaced by `v`, as a new tensor (what `a[index] = v` records)."""
    a = as_tensor(a)
    return IndexPut(_normalize_index(index))(a, as_tensor(v, a))


def reshape(a: Tensor | ArrayLike, shape: int | Sequence[int]) -> Tensor:
    a = as_tensor(a)
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    if shape == a.shape:
        return a
    try:
        np.empty(a.shape, dtype=[]).reshape(shape)  # checks the shape without touching data
    except ValueError:
        raise ShapeError(f"reshape: cannot reshape {a.shape} ({a.size} elements) "
                         f"into {shape}") from None
    return Reshape(shape)(a)


def transpose(a: Tensor | ArrayLike, axes: Sequence[int] | None = None) -> Tensor:
    a = as_tensor(a)
    if axes is None:
        axes = tuple(range(a.ndim))[::-1]
    axes = tuple(int(x) % a.ndim if a.ndim else int(x) for x in axes)
    if sorted(axes) != list(range(a.ndim)):
        raise ShapeError(f"transpose: axes {axes} are not a permutation of the {a.ndim} axes "
                         f"of a tensor of shape {a.shape}")
    return Transpose(axes)(a)


def squeeze(a: Tensor | ArrayLike, axis: int | tuple[int, ...] | None = None) -> Tensor:
    a = as_tensor(a)
    if axis is None:
        axes = tuple(i for i, n in enumerate(a.shape) if n == 1)
    else:
        axes = normalize_axes("squeeze", axis, a.ndim)
        for i in axes:
            if a.shape[i] != 1:
                raise ShapeError(f"squeeze: axis {i} of shape {a.shape} has size {a.shape[i]}, "
                                 "not 1")
    return reshape(a, tuple(n for i, n in enumerate(a.shape) if i not in axes))


def expand_dims(a: Tensor | ArrayLike, axis: int | tuple[int, ...] | None) -> Tensor:
    a = as_tensor(a)
    axes = normalize_axes("expand_dims", axis, a.ndim + (1 if isinstance(axis, int) else len(axis)))
    shape = list(a.shape)
    for i in axes:
        shape.insert(i, 1)
    return reshape(a, tuple(shape))


def flatten(a: Tensor | ArrayLike) -> Tensor:
    a = as_tensor(a)
    return reshape(a, (a.size,))


def broadcast_to(a: Tensor | ArrayLike, shape: int | Sequence[int]) -> Tensor:
    a = as_tensor(a)
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    if shape == a.shape:
        return a
    if broadcast_shapes("broadcast_to", a.shape, shape) != shape:
        raise ShapeError(f"broadcast_to: cannot broadcast {a.shape} to {shape}")
    return BroadcastTo(shape)(a)


def sum_to(g, shape):
    """Sum `g` over the axes that broadcasting added or stretched, giving `shape`."""
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and g.shape[lead + i] != 1)
    return reshape(g.sum(axes, keepdims=True), shape)


def getitem(a, index):
    a = as_tensor(a)
    return GetItem(_normalize_index(index))(a)


def concatenate(tensors: Sequence[Tensor | ArrayLike],
                axis: int | tuple[int, ...] | None = 0) -> Tensor:
    tensors = [as_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("concatenate: needs at least one tensor")
    first = tensors[0]
    if first.ndim == 0:
        raise ShapeError("concatenate: zero-dimensional tensors cannot be concatenated")
    axis = normalize_axes("concatenate", axis, first.ndim)[0]
    for t in tensors[1:]:
        if t.ndim != first.ndim or builtins.any(
                n != m for i, (n, m) in enumerate(zip(t.shape, first.shape)) if i != axis):
            raise ShapeError(f"concatenate: cannot join {first.shape} and {t.shape} "
                             f"along axis {axis}")
    return Concatenate(axis)(*tensors)


def stack(tensors: Sequence[Tensor | ArrayLike], axis: int | tuple[int, ...] | None = 0) -> Tensor:
    tensors = [as_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("stack: needs at least one tensor")
    for t in tensors[1:]:
        if t.shape != tensors[0].shape:
            raise ShapeError(f"stack: all tensors must have one shape, got {tensors[0].shape} "
                             f"and {t.shape}")
    axis = normalize_axes("stack", axis, tensors[0].ndim + 1)[0]
    return concatenate([expand_dims(t, axis) for t in tensors], axis)
