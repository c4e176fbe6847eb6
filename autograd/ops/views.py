"""PyTorch's shape functions: view, permute, transpose of two dims, unsqueeze, expand,
repeat, split and chunk, flip, clone, tril/triu, diagonal and trace. Most are compositions
of reshape, transpose, broadcast and indexing; Flip and Copy are primitives of their own."""

import builtins

import numpy as np

from ..op import Op
from ..shapes import ShapeError
from ..tensor import Tensor
from ._dialect import UNSET, axes, one, single
from ._util import as_tensor, scalar
from .arithmetic import Where
from .shape import broadcast_to, concatenate, getitem, reshape
from .shape import transpose as _permute


class Flip(Op):
    """out = a reversed along axes      vjp: g reversed along axes      jvp: da reversed"""

    __slots__ = ("axes",)
    view = True

    def __init__(self, axes):
        self.axes = axes

    def forward(self, a):
        return np.flip(a, self.axes)

    def vjp(self, out, g):
        return (Flip(self.axes)(g),)

    def jvp(self, out, da):
        return Flip(self.axes)(da)


class Copy(Op):
    """out = a, in memory of its own      vjp: g      jvp: da"""

    __slots__ = ()

    def forward(self, a):
        return a.copy()

    def vjp(self, out, g):
        return (g,)

    def jvp(self, out, da):
        return da


def _sizes(call, sizes):
    """Varargs or one sequence of ints -> a tuple (view(2, 3) and view((2, 3)) alike)."""
    if len(sizes) == 1 and not isinstance(sizes[0], (int, np.integer, Tensor)):
        sizes = sizes[0]
    try:
        return tuple(int(s) for s in sizes)
    except TypeError:
        raise TypeError(f"{call}: expected ints or one tuple of ints, got {sizes!r}") from None


def _keyword(call, name, given, keywords):
    """Varargs, or the same sequence passed by its keyword (x.flip(dims=[0]))."""
    if not keywords:
        return given
    if set(keywords) != {name} or given:
        raise TypeError(f"{call}: unexpected arguments {sorted(keywords)}; pass the "
                        f"{name} positionally or as {name}=")
    return (keywords[name],)


def view(input, *shape):
    """The same entries in a new shape (one -1 is inferred), as `reshape`. `view(dtype)`
    reinterprets the bytes, as PyTorch's does (no gradient)."""
    a = as_tensor(input)
    if len(shape) == 1 and not isinstance(shape[0], (int, np.integer, tuple, list)):
        dtype = np.dtype(shape[0])
        if a._requires_grad:
            raise TypeError("view: a tensor that requires grad cannot be reinterpreted as "
                            f"{dtype}")
        return Tensor._make(a._data.view(dtype))
    shape = _sizes("view", shape)
    if shape == a.shape:
        return reshape(a, shape)
    try:
        np.empty(a.shape, dtype=[]).reshape(shape)
    except ValueError:
        raise ShapeError(f"view: shape {shape} is invalid for a tensor of shape {a.shape} "
                         f"({a._data.size} elements)") from None
    return reshape(a, shape)


def view_as(input, other):
    return view(input, as_tensor(other).shape)


def permute(input, *dims, **keywords):
    """The dims reordered: out.shape[i] = input.shape[dims[i]]."""
    a = as_tensor(input)
    dims = _sizes("permute", _keyword("permute", "dims", dims, keywords))
    if len(dims) != a.ndim:
        raise ShapeError(f"permute: dims {dims} do not name the {a.ndim} dims of a tensor of "
                         f"shape {a.shape}")
    return _permute(a, tuple(one("permute", d, a.ndim) for d in dims))


def swapaxes(input, dim0, dim1):
    """The two dims exchanged (PyTorch's transpose(dim0, dim1))."""
    a = as_tensor(input)
    if a.ndim == 0:
        one("transpose", dim0, 0), one("transpose", dim1, 0)
        return a
    order = list(range(a.ndim))
    i, j = one("transpose", dim0, a.ndim), one("transpose", dim1, a.ndim)
    order[i], order[j] = order[j], order[i]
    return _permute(a, tuple(order))


def transpose(input, *dims, axes=None):
    """Two dims -> those two swapped (PyTorch's transpose(dim0, dim1)); no dims -> all
    reversed; one sequence, `axes=`, or three or more dims -> that permutation (NumPy's)."""
    if axes is not None:
        if dims:
            raise TypeError("transpose: got both dims and axes=; give one")
        return _permute(input, tuple(axes))
    if len(dims) == 2 and builtins.all(isinstance(d, (int, np.integer)) for d in dims):
        return swapaxes(input, *dims)
    if len(dims) == 1 and not isinstance(dims[0], (int, np.integer)):
        dims = dims[0]
    return _permute(input, None if dims is None or not len(dims) else tuple(dims))


def t(input):
    """The transpose of a matrix; a vector or a 0-d tensor is its own."""
    a = as_tensor(input)
    if a.ndim > 2:
        raise ShapeError(f"t: expects a tensor of at most 2 dims, got shape {a.shape}; use "
                         "transpose(dim0, dim1) or permute")
    return _permute(a)


def unsqueeze(input, dim):
    """A new dim of size 1 at `dim` (-1 appends one)."""
    a = as_tensor(input)
    d = one("unsqueeze", dim, a.ndim + 1)
    return reshape(a, a.shape[:d] + (1,) + a.shape[d:])


def expand(input, *sizes, **keywords):
    """A broadcast view at `sizes` (-1 keeps a dim; new dims may be added in front)."""
    a = as_tensor(input)
    sizes = _sizes("expand", _keyword("expand", "size", sizes, keywords))
    lead = len(sizes) - a.ndim
    if lead < 0:
        raise ShapeError(f"expand: {len(sizes)} sizes {sizes} are fewer than the {a.ndim} dims "
                         f"of a tensor of shape {a.shape}")
    shape = tuple(a.shape[i - lead] if s == -1 and i >= lead else s for i, s in enumerate(sizes))
    if builtins.any(s < 0 for s in shape):
        raise ShapeError(f"expand: -1 cannot stand for a new leading dim in {sizes}")
    for i, n in enumerate(a.shape):
        if n != 1 and n != shape[lead + i]:
            raise ShapeError(f"expand: cannot expand shape {a.shape} to {sizes}: dim "
                             f"{lead + i} has size {n}, not 1")
    return broadcast_to(a, shape)


def expand_as(input, other):
    return expand(input, as_tensor(other).shape)


def repeat(input, *repeats):
    """The tensor tiled: repeats[i] copies along dim i (PyTorch's repeat, NumPy's tile)."""
    a = as_tensor(input)
    repeats = _sizes("repeat", repeats)
    if len(repeats) < a.ndim:
        raise ShapeError(f"repeat: {len(repeats)} repeats {repeats} are fewer than the "
                         f"{a.ndim} dims of a tensor of shape {a.shape}")
    shape = (1,) * (len(repeats) - a.ndim) + a.shape
    # (s0, s1, …) -> (1, s0, 1, s1, …) -> broadcast (r0, s0, r1, s1, …) -> (r0·s0, r1·s1, …)
    spread = tuple(x for s in shape for x in (1, s))
    tiled = tuple(x for r, s in zip(repeats, shape) for x in (r, s))
    out = broadcast_to(reshape(a, spread), tiled)
    return reshape(out, tuple(r * s for r, s in zip(repeats, shape)))


def contiguous(input):
    """The tensor itself: arrays here need no particular layout."""
    return as_tensor(input)


def clone(input):
    """A copy with memory of its own, still in the graph."""
    return Copy()(as_tensor(input))


def _cut(a, d, bounds):
    index = (slice(None),) * d
    return tuple(getitem(a, index + (slice(lo, hi),)) for lo, hi in zip(bounds, bounds[1:]))


def split(input, split_size_or_sections, dim=0, *, axis=UNSET):
    """Pieces along `dim`: of size `split_size_or_sections` (the last may be smaller), or of
    the listed sizes, which must add up to the dim's size."""
    a = as_tensor(input)
    d = single("split", a.ndim, dim if axis is UNSET else None, axis, default=0)
    n = a.shape[d]
    sizes = split_size_or_sections
    if isinstance(sizes, (int, np.integer)):
        if sizes <= 0 and n:
            raise ValueError(f"split: the piece size must be positive, got {sizes}")
        sizes = [sizes] * (-(-n // sizes)) if n else [0]
        sizes[-1] = n - sizes[0] * (len(sizes) - 1)
    elif builtins.sum(sizes) != n:
        raise ShapeError(f"split: sizes {list(sizes)} add up to {builtins.sum(sizes)}, but dim "
                         f"{d} of shape {a.shape} has size {n}")
    return _cut(a, d, np.concatenate([[0], np.cumsum(sizes)]).tolist())


def chunk(input, chunks, dim=0):
    """`chunks` pieces along `dim`, each of size ⌈n / chunks⌉ (fewer when that runs out)."""
    a = as_tensor(input)
    d = one("chunk", dim, a.ndim)
    if chunks <= 0:
        raise ValueError(f"chunk: the number of chunks must be positive, got {chunks}")
    return split(a, builtins.max(1, -(-a.shape[d] // chunks)), d)


def unbind(input, dim=0):
    """The slices along `dim`, each without that dim."""
    a = as_tensor(input)
    d = one("unbind", dim, a.ndim)
    return tuple(getitem(a, (slice(None),) * d + (i,)) for i in range(a.shape[d]))


def narrow(input, dim, start, length):
    a = as_tensor(input)
    d = one("narrow", dim, a.ndim)
    start = start % a.shape[d] if start < 0 else start
    if start + length > a.shape[d] or length < 0:
        raise ShapeError(f"narrow: start {start} + length {length} exceeds dim {d} of size "
                         f"{a.shape[d]}")
    return getitem(a, (slice(None),) * d + (slice(start, start + length),))


def select(input, dim, index):
    a = as_tensor(input)
    return getitem(a, (slice(None),) * one("select", dim, a.ndim) + (index,))


def flip(input, *dims, **keywords):
    """The entries reversed along each of `dims`."""
    a = as_tensor(input)
    dims = _sizes("flip", _keyword("flip", "dims", dims, keywords))
    return Flip(axes("flip", dims, a.ndim))(a) if a.ndim else a


def _triangle(call, input, diagonal, keep):
    a = as_tensor(input)
    if a.ndim < 2:
        raise ShapeError(f"{call}: expects a tensor of at least 2 dims, got shape {a.shape}")
    n, m = a.shape[-2:]
    mask = keep(np.arange(m)[None, :] - np.arange(n)[:, None], diagonal)
    return Where(mask)(a, scalar(0, a.dtype))


def tril(input, diagonal=0):
    """The lower triangle (entries with column - row ≤ diagonal); zeros above."""
    return _triangle("tril", input, diagonal, np.less_equal)


def triu(input, diagonal=0):
    """The upper triangle (entries with column - row ≥ diagonal); zeros below."""
    return _triangle("triu", input, diagonal, np.greater_equal)


def diagonal(input, offset=0, dim1=0, dim2=1):
    """The entries a[…, i, i + offset, …] of dims dim1 and dim2, as a last dim."""
    a = as_tensor(input)
    d1, d2 = one("diagonal", dim1, a.ndim), one("diagonal", dim2, a.ndim)
    if d1 == d2:
        raise ShapeError(f"diagonal: dim1 and dim2 are both {d1}")
    rest = [i for i in range(a.ndim) if i not in (d1, d2)]
    moved = _permute(a, tuple(rest) + (d1, d2))
    n, m = a.shape[d1], a.shape[d2]
    start_row, start_col = builtins.max(0, -offset), builtins.max(0, offset)
    length = builtins.max(0, builtins.min(n - start_row, m - start_col))
    rows = np.arange(start_row, start_row + length)
    return getitem(moved, (Ellipsis, rows, rows - start_row + start_col))


def trace(input):
    """Σ of the main diagonal of a matrix."""
    a = as_tensor(input)
    if a.ndim != 2:
        raise ShapeError(f"trace: expects a matrix, got shape {a.shape}")
    return diagonal(a).sum()


def hstack(tensors):
    """Joined along dim 1 (dim 0 for vectors)."""
    tensors = [as_tensor(t) for t in tensors]
    return concatenate(tensors, 0 if tensors and tensors[0].ndim == 1 else 1)


def vstack(tensors):
    """Joined along dim 0, vectors first made rows."""
    tensors = [as_tensor(t) for t in tensors]
    return concatenate([reshape(t, (1, -1)) if t.ndim < 2 else t for t in tensors], 0)
