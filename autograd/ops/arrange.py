"""More of PyTorch's ways to rearrange and combine tensors, each a composition of the
primitives (so each is differentiable through them): movedim, take, take_along_dim, tile,
meshgrid, broadcast_tensors, atleast_1d/2d/3d, column_stack, diff, kron, cross, cdist,
count_nonzero and argwhere."""

import numpy as np

from ..shapes import ShapeError
from ..tensor import Tensor
from ._dialect import one
from ._util import as_tensor, pair
from .search import along
from .shape import broadcast_to, concatenate, getitem, reshape
from .shape import transpose as _permute
from .views import repeat, unsqueeze


def movedim(input, source, destination):
    """The dims `source` moved to positions `destination`, the others keeping their order."""
    a = as_tensor(input)
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    if len(src) != len(dst):
        raise ValueError(f"movedim: {len(src)} source dims for {len(dst)} destinations")
    src = [one("movedim", d, a.ndim) for d in src]
    dst = [one("movedim", d, a.ndim) for d in dst]
    order = [d for d in range(a.ndim) if d not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return _permute(a, tuple(order))


moveaxis = movedim


def take(input, index):
    """The entries of the flattened tensor at `index` (in index's shape)."""
    a = as_tensor(input)
    return getitem(reshape(a, (-1,)), _array(index))


def take_along_dim(input, indices, dim=None):
    """out[…, i, …] = input[…, indices[…, i, …], …] along `dim` (the flattened tensor when
    dim is None); indices broadcast against input on the other dims."""
    a = as_tensor(input)
    index = _array(indices)
    if dim is None:
        return getitem(reshape(a, (-1,)), index.reshape(-1))
    d = one("take_along_dim", dim, a.ndim)
    shape = list(np.broadcast_shapes(tuple(n if i != d else 1 for i, n in enumerate(a.shape)),
                                     tuple(n if i != d else 1 for i, n in enumerate(index.shape))))
    target = list(shape)
    target[d] = a.shape[d]
    shape[d] = index.shape[d]
    return getitem(broadcast_to(a, tuple(target)), along(np.broadcast_to(index, shape), d))


def _array(index):
    return np.asarray(index._data if isinstance(index, Tensor) else index)


def tile(input, dims):
    """Copies along each dim (NumPy's tile; fewer dims than the tensor pads with 1s in front)."""
    a = as_tensor(input)
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    return repeat(a, *((1,) * (a.ndim - len(dims)) + dims))


def meshgrid(*tensors, indexing="ij"):
    """Coordinate grids of 1-D tensors: with "ij" the i-th grid varies along dim i ("xy"
    swaps the first two, as NumPy's default)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tensors[0]
    ts = [as_tensor(t) for t in tensors]
    if indexing not in ("ij", "xy"):
        raise ValueError(f"meshgrid: indexing must be 'ij' or 'xy', got {indexing!r}")
    shape = [t.shape[0] if t.ndim else 1 for t in ts]
    if indexing == "xy" and len(ts) > 1:
        shape[0], shape[1] = shape[1], shape[0]
    grids = []
    for i, t in enumerate(ts):
        axis = i if indexing == "ij" or len(ts) < 2 or i > 1 else 1 - i
        view = [1] * len(ts)
        view[axis] = shape[axis]
        grids.append(broadcast_to(reshape(t, tuple(view)), tuple(shape)))
    return tuple(grids)


def broadcast_tensors(*tensors):
    """The tensors broadcast to one shape."""
    ts = [as_tensor(t) for t in tensors]
    shape = np.broadcast_shapes(*(t.shape for t in ts))
    return tuple(broadcast_to(t, shape) for t in ts)


def _at_least(n, tensors):
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tensors[0]
    out = []
    for t in tensors:
        t = as_tensor(t)
        if t.ndim < n:
            shape = {0: (1,) * n, 1: (1,) + t.shape + (1,) * (n - 2), 2: t.shape + (1,)}[t.ndim]
            t = reshape(t, shape[:n] if t.ndim else shape)
        out.append(t)
    return out[0] if len(out) == 1 else tuple(out)


def atleast_1d(*tensors):
    return _at_least(1, tensors)


def atleast_2d(*tensors):
    return _at_least(2, tensors)


def atleast_3d(*tensors):
    return _at_least(3, tensors)


def column_stack(tensors):
    """Vectors as columns (and matrices as they are), joined along dim 1."""
    ts = [as_tensor(t) for t in tensors]
    return concatenate([reshape(t, (-1, 1)) if t.ndim < 2 else t for t in ts], 1)


def diff(input, n=1, dim=-1):
    """The n-th forward difference along `dim`: out[i] = a[i + 1] - a[i], n times."""
    a = as_tensor(input)
    d = one("diff", dim, a.ndim)
    head = (slice(None),) * d
    for _ in range(n):
        a = getitem(a, head + (slice(1, None),)) - getitem(a, head + (slice(None, -1),))
    return a


def kron(input, other):
    """The Kronecker product: every entry of a times the whole of b."""
    a, b = pair(input, other)
    nd = max(a.ndim, b.ndim)
    a = reshape(a, (1,) * (nd - a.ndim) + a.shape)
    b = reshape(b, (1,) * (nd - b.ndim) + b.shape)
    # (a0, 1, a1, 1, …) * (1, b0, 1, b1, …) -> (a0·b0, a1·b1, …)
    spread_a = reshape(a, tuple(x for n in a.shape for x in (n, 1)))
    spread_b = reshape(b, tuple(x for n in b.shape for x in (1, n)))
    return reshape(spread_a * spread_b, tuple(m * n for m, n in zip(a.shape, b.shape)))


def cross(input, other, dim=None):
    """The cross product of 3-vectors along `dim` (the first dim of size 3 by default)."""
    a, b = pair(input, other)
    shape = np.broadcast_shapes(a.shape, b.shape)
    if dim is None:
        dim = next((i for i, n in enumerate(shape) if n == 3), None)
        if dim is None:
            raise ShapeError(f"cross: no dim of size 3 in shapes {a.shape} and {b.shape}")
    d = one("cross", dim, len(shape))
    if shape[d] != 3:
        raise ShapeError(f"cross: dim {d} has size {shape[d]}, not 3")
    a, b = broadcast_to(a, shape), broadcast_to(b, shape)

    def part(t, i):
        return getitem(t, (slice(None),) * d + (slice(i, i + 1),))

    x = part(a, 1) * part(b, 2) - part(a, 2) * part(b, 1)
    y = part(a, 2) * part(b, 0) - part(a, 0) * part(b, 2)
    z = part(a, 0) * part(b, 1) - part(a, 1) * part(b, 0)
    return concatenate([x, y, z], d)


def cdist(x1, x2, p=2.0):
    """Pairwise p-norm distances between the rows of x1 (…, P, M) and x2 (…, R, M)."""
    a, b = pair(x1, x2)
    if a.ndim < 2 or b.ndim < 2 or a.shape[-1] != b.shape[-1]:
        raise ShapeError(f"cdist: expects (…, P, M) and (…, R, M), got {a.shape} and {b.shape}")
    return (unsqueeze(a, -2) - unsqueeze(b, -3)).norm(p, dim=-1)


def count_nonzero(input, dim=None):
    a = as_tensor(input)._data
    axis = None if dim is None else tuple(
        one("count_nonzero", d, a.ndim) for d in ((dim,) if isinstance(dim, int) else dim))
    return Tensor._make(np.asarray(np.count_nonzero(a, axis=axis), dtype=np.int64))


def argwhere(input):
    """The positions of the non-zero entries, one row each: (n, ndim), int64."""
    a = as_tensor(input)._data
    return Tensor._make(np.argwhere(a).astype(np.int64))
