"""Ops that move entries around without changing them: reshape, transpose, broadcast,
indexing and joining. Each reverse rule moves the cotangent back the way the entries came;
indexing's reverse is a scatter-add, so repeated indices accumulate."""

import builtins

import numpy as np

from ..op import Op
from ..shapes import ShapeError, broadcast_shapes, normalize_axes
from ..tensor import Tensor
from ._dialect import UNSET, one
from ._dialect import axes as dims_of
from ._index import _may_repeat, _normalize_index, _show
from ._util import _CATEGORY, as_tensor
from .arithmetic import Where


class Reshape(Op):
    """out = a viewed as `shape`      vjp: g reshaped to a's shape      jvp: da reshaped"""

    __slots__ = ("shape",)
    saves = ()
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
    saves = ()
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
    saves = ()
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
    saves = ()
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
    saves = ()

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
    """out = a with out[index] = v      vjp: (g with 0 at index, sum_to(g[index], v.shape))
    jvp: da with da[index] = dv   (the out-of-place form of `a[index] = v`)"""

    __slots__ = ("index",)
    saves = ()

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
        return Where(keep)(g, Tensor._make(np.zeros((), g.dtype))), gv

    def jvp(self, out, da, dv):
        return IndexPut(self.index)(da, dv)


class CopySlices(Op):
    """out = a with its view `chain` (view ops, as a[0:2] or a.T[1]) replaced by v
    vjp: (g with zeros in the view, the view of g)      jvp: the same write of dv into da

    What a write through a view records on the tensor the view was taken from: after
    `v = y[0:2]; v += 1`, y is CopySlices(old y, old v + 1), so gradients reach both the
    untouched entries of the old y and the new value (PyTorch's CopySlices).
    """

    __slots__ = ("chain",)
    saves = ()

    def __init__(self, chain):
        self.chain = chain

    def forward(self, a, v):
        out = a.copy()
        # The flat positions the view covers: its values, taken from an array of positions,
        # are right whether each view op gave a view or a copy of this fresh array.
        positions = np.arange(a.size).reshape(a.shape)
        for op in self.chain:
            positions = op.forward(positions)
        out.reshape(-1)[positions.reshape(-1)] = np.broadcast_to(v, positions.shape).reshape(-1)
        return out

    def vjp(self, out, g):
        a, v = self.inputs
        ga = gv = None
        if a._requires_grad:
            ga = CopySlices(self.chain)(g, Tensor._make(np.zeros(v.shape, g.dtype)))
        if v._requires_grad:
            gv = sum_to(replay_view(self.chain, g), v.shape)
        return ga, gv

    def jvp(self, out, da, dv):
        return CopySlices(self.chain)(da, dv)


def replay_view(chain, t):
    """The view `chain` (ops recorded by earlier view calls) taken again, of `t`."""
    for op in chain:
        fresh = object.__new__(type(op))
        for name in op.params():
            setattr(fresh, name, getattr(op, name))
        t = fresh(t)
    return t


class Concatenate(Op):
    """out = [a₁, a₂, …] joined along axis      vjp: g cut into the inputs' pieces
    jvp: the tangents joined"""

    __slots__ = ("axis",)
    saves = ()

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


def index_put(a, index, v):
    """`a` with `a[index]` replaced by `v`, as a new tensor (what `a[index] = v` records)."""
    a = as_tensor(a)
    return IndexPut(_normalize_index(index, a.shape))(a, as_tensor(v, a))


def reshape(a, shape):
    a = as_tensor(a)
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    if shape == a.shape:
        return a
    try:
        np.empty(a.shape, dtype=[]).reshape(shape)  # checks the shape without touching data
    except ValueError:
        raise ShapeError(f"reshape: cannot reshape {a.shape} ({a._data.size} elements) "
                         f"into {shape}") from None
    return Reshape(shape)(a)


def transpose(a, axes=None):
    a = as_tensor(a)
    if axes is None:
        axes = tuple(range(a.ndim))[::-1]
    axes = tuple(int(x) % a.ndim if a.ndim else int(x) for x in axes)
    if sorted(axes) != list(range(a.ndim)):
        raise ShapeError(f"transpose: axes {axes} are not a permutation of the {a.ndim} axes "
                         f"of a tensor of shape {a.shape}")
    return Transpose(axes)(a)


def squeeze(input, dim=None, *, axis=UNSET):
    """Drop size-1 dims: all of them, or those of `dim`, where a dim of another size is left
    as it is (PyTorch); NumPy's `axis=` refuses a dim whose size is not 1."""
    a = as_tensor(input)
    if axis is not UNSET:
        if dim is not None:
            raise TypeError(f"squeeze: got both dim={dim!r} (PyTorch) and axis={axis!r} (NumPy)")
        listed = dims_of("squeeze", axis, a.ndim, "axis") if axis is not None else None
        for i in listed or ():
            if a.shape[i] != 1:
                raise ShapeError(f"squeeze: axis {i} of shape {a.shape} has size {a.shape[i]}, "
                                 "not 1")
    else:
        listed = dims_of("squeeze", dim, a.ndim) if dim is not None else None
    if listed is None:
        listed = [i for i, n in enumerate(a.shape) if n == 1]
    return reshape(a, tuple(n for i, n in enumerate(a.shape) if i not in listed or n != 1))


def expand_dims(a, axis):
    a = as_tensor(a)
    axes = normalize_axes("expand_dims", axis, a.ndim + (1 if isinstance(axis, int) else len(axis)))
    shape = list(a.shape)
    for i in axes:
        shape.insert(i, 1)
    return reshape(a, tuple(shape))


def flatten(input, start_dim=0, end_dim=-1):
    """Dims start_dim..end_dim merged into one (all of them by default, giving 1-D)."""
    a = as_tensor(input)
    if a.ndim == 0:
        return reshape(a, (1,))
    start, end = one("flatten", start_dim, a.ndim), one("flatten", end_dim, a.ndim)
    if start > end:
        raise ShapeError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim} for a "
                         f"tensor of shape {a.shape}")
    merged = int(np.prod(a.shape[start:end + 1]))
    return reshape(a, a.shape[:start] + (merged,) + a.shape[end + 1:])


def broadcast_to(a, shape):
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
    if g.ndim < len(shape):  # `a[0] = v` with v of shape (1, 3): NumPy drops the unit axes
        g = reshape(g, (1,) * (len(shape) - g.ndim) + g.shape)
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and g.shape[lead + i] != 1)
    return reshape(g.sum(axes, keepdims=True), shape)


def getitem(a, index):
    a = as_tensor(a)
    return GetItem(_normalize_index(index, a.shape))(a)


def concatenate(tensors, dim=0, *, axis=UNSET):
    """The tensors joined along an existing dim (PyTorch's `cat`)."""
    axis = _one_axis("concatenate", dim, axis)
    tensors = [as_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("concatenate: needs at least one tensor")
    first = tensors[0]
    if first.ndim == 0:
        raise ShapeError("concatenate: zero-dimensional tensors cannot be concatenated")
    axis = one("concatenate", axis, first.ndim)
    for t in tensors[1:]:
        if t.ndim != first.ndim or builtins.any(
                n != m for i, (n, m) in enumerate(zip(t.shape, first.shape)) if i != axis):
            raise ShapeError(f"concatenate: cannot join {first.shape} and {t.shape} "
                             f"along axis {axis}")
    dtypes = {t._data.dtype for t in tensors}
    if len(dtypes) > 1:  # PyTorch's promotion: an int tensor joined to float32 ones is float32
        from .arithmetic import astype

        top = builtins.max(_CATEGORY[d.kind] for d in dtypes)
        dtype = np.result_type(*(d for d in dtypes if _CATEGORY[d.kind] == top))
        tensors = [astype(t, dtype) for t in tensors]
    return Concatenate(axis)(*tensors)


def _one_axis(call, dim, axis):
    if axis is UNSET:
        return dim
    if dim != 0:
        raise TypeError(f"{call}: got both dim={dim!r} (PyTorch) and axis={axis!r} (NumPy)")
    return axis


def stack(tensors, dim=0, *, axis=UNSET):
    """The tensors (of one shape) joined along a new dim."""
    axis = _one_axis("stack", dim, axis)
    tensors = [as_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("stack: needs at least one tensor")
    for t in tensors[1:]:
        if t.shape != tensors[0].shape:
            raise ShapeError(f"stack: all tensors must have one shape, got {tensors[0].shape} "
                             f"and {t.shape}")
    axis = one("stack", axis, tensors[0].ndim + 1)
    return concatenate([expand_dims(t, axis) for t in tensors], axis)
