"""Matrix products."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from ..op import Op
from ..shapes import ShapeError
from ._util import pair
from .shape import reshape, sum_to

if TYPE_CHECKING:
    from ..tensor import Tensor


class MatMul(Op):
    """out = a @ b      vjp: (g @ bᵀ, aᵀ @ g)      jvp: da @ b + a @ db

    A 1-D a is lifted to a row and a 1-D b to a column, as NumPy does; batch axes broadcast.
    The rule works on the lifted shapes, sums over broadcast batch axes, and drops the lift.
    """

    __slots__ = ()
    saves = (0, 1)

    def forward(self, a, b):
        return a @ b

    def vjp(self, out, g):
        a, b = self.inputs
        a2 = a if a.ndim > 1 else reshape(a, (1,) + a.shape)
        b2 = b if b.ndim > 1 else reshape(b, b.shape + (1,))
        batch = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
        g = reshape(g, batch + (a2.shape[-2], b2.shape[-1]))
        ga = reshape(sum_to(g @ _swap(b2), a2.shape), a.shape) if a._requires_grad else None
        gb = None
        if b._requires_grad:
            if a.ndim == 2 and b.ndim == 2 and _transposed(b._data):
                # b is a transposed view (Linear's W.T): (gᵀ a)ᵀ is the same product, laid out
                # like W itself, so W's gradient and its update run over contiguous memory.
                gb = _swap(_swap(g) @ a2)
            else:
                gb = reshape(sum_to(_swap(a2) @ g, b2.shape), b.shape)
        return ga, gb

    def jvp(self, out, da, db):
        a, b = self.inputs
        return da @ b + a @ db


class Linear(Op):
    """out = x Wᵀ + b      vjp: (g W, gᵀ x, Σ g)      jvp: dx Wᵀ + x dWᵀ + db

    PyTorch's `linear` as one primitive, for speed: the bias is added into the product's own
    fresh array, and W's gradient comes out in W's layout. x is (*, in), W (out, in), b (out,);
    the leading axes of x are flattened into one batch axis for W's and b's gradients.
    """

    __slots__ = ()
    saves = (0, 1)

    def forward(self, x, w, b):
        out = x @ w.T
        if np.result_type(out, b) == out.dtype:
            out += b
            return out
        return out + b

    def vjp(self, out, g):
        x, w, b = self.inputs
        rows = reshape(g, (-1, g.shape[-1]))  # (B, out)
        gx = g @ w if x._requires_grad else None
        gw = _swap(rows) @ reshape(x, (-1, x.shape[-1])) if w._requires_grad else None
        gb = rows.sum(0) if b._requires_grad else None
        return gx, gw, gb

    def jvp(self, out, dx, dw, db):
        x, w, b = self.inputs
        return dx @ _swap(w) + x @ _swap(dw) + db


def _transposed(array):
    return array.flags.f_contiguous and not array.flags.c_contiguous


def _swap(x):
    """x with its last two axes exchanged (a batched transpose)."""
    axes = list(range(x.ndim))
    axes[-1], axes[-2] = axes[-2], axes[-1]
    return x.transpose(axes)


def linear(x: Tensor | ArrayLike, w: Tensor | ArrayLike,
           b: Tensor | ArrayLike | None = None) -> Tensor:
    """x Wᵀ + b, with x (*, in), W (out, in) and b (out,) as in `torch.nn.functional.linear`."""
    x, w = pair(x, w)
    if x.ndim == 0 or w.ndim != 2 or x.shape[-1] != w.shape[1]:
        raise ShapeError(f"linear: input of shape {x.shape} does not match weight of shape "
                         f"{w.shape}: expected (*, {w.shape[-1] if w.ndim else '?'})")
    if b is None:
        return matmul(x, _swap(w))
    b = pair(x, b)[1]
    if b.shape != (w.shape[0],):
        raise ShapeError(f"linear: bias of shape {b.shape} does not match weight of shape "
                         f"{w.shape}: expected ({w.shape[0]},)")
    return Linear()(x, w, b)


def matmul(a: Tensor | ArrayLike, b: Tensor | ArrayLike) -> Tensor:
    a, b = pair(a, b)
    if a.ndim == 0 or b.ndim == 0:
        raise ShapeError(f"matmul: cannot multiply {a.shape} by {b.shape} "
                         "(0-d operands; use * for scalars)")
    inner_b = b.shape[-2] if b.ndim > 1 else b.shape[0]
    if a.shape[-1] != inner_b:
        raise ShapeError(f"matmul: cannot multiply {a.shape} by {b.shape}")
    if a.ndim > 2 and b.ndim > 2:
        try:
            np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        except ValueError:
            raise ShapeError(f"matmul: cannot multiply {a.shape} by {b.shape} "
                             "(batch axes do not broadcast)") from None
    return MatMul()(a, b)


def mm(input, mat2):
    """The product of two matrices (no broadcasting, as in PyTorch)."""
    a, b = pair(input, mat2)
    if a.ndim != 2 or b.ndim != 2:
        raise ShapeError(f"mm: expects two matrices, got shapes {a.shape} and {b.shape}")
    return matmul(a, b)


def bmm(input, mat2):
    """Batched matrix products: (B, n, m) @ (B, m, p) -> (B, n, p)."""
    a, b = pair(input, mat2)
    if a.ndim != 3 or b.ndim != 3 or a.shape[0] != b.shape[0]:
        raise ShapeError(f"bmm: expects two batches of matrices of one batch size, got shapes "
                         f"{a.shape} and {b.shape}")
    return matmul(a, b)


def mv(input, vec):
    a, b = pair(input, vec)
    if a.ndim != 2 or b.ndim != 1:
        raise ShapeError(f"mv: expects a matrix and a vector, got shapes {a.shape} and {b.shape}")
    return matmul(a, b)


def dot(input, other):
    """Σ aᵢbᵢ of two vectors of one length."""
    a, b = pair(input, other)
    if a.ndim != 1 or b.ndim != 1 or a.shape != b.shape:
        raise ShapeError(f"dot: expects two vectors of one length, got shapes {a.shape} and "
                         f"{b.shape}")
    return matmul(a, b)


def outer(input, vec2):
    """outᵢⱼ = aᵢ·bⱼ of two vectors."""
    a, b = pair(input, vec2)
    if a.ndim != 1 or b.ndim != 1:
        raise ShapeError(f"outer: expects two vectors, got shapes {a.shape} and {b.shape}")
    return reshape(a, (-1, 1)) * reshape(b, (1, -1))


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """beta·input + alpha·(mat1 @ mat2)."""
    return _scaled(input, beta) + _scaled(mm(mat1, mat2), alpha)


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """beta·input + alpha·(batch1 @ batch2), batch by batch."""
    return _scaled(input, beta) + _scaled(bmm(batch1, batch2), alpha)


def _scaled(x, factor):
    return x if factor == 1 else x * factor


def tensordot(a, b, dims=2):
    """Σ over the last `dims` dims of a and the first `dims` of b (or the listed pairs)."""
    from .einsum import einsum

    a, b = pair(a, b)
    if isinstance(dims, int):
        dims = (list(range(a.ndim - dims, a.ndim)), list(range(dims)))
    da, db = ([d] if isinstance(d, int) else list(d) for d in dims)
    da, db = [d % a.ndim for d in da], [d % b.ndim for d in db]
    letters = iter("abcdefghijklmnopqrstuvwxyz")
    sa = [next(letters) for _ in range(a.ndim)]
    sb = [next(letters) for _ in range(b.ndim)]
    for i, j in zip(da, db):
        sb[j] = sa[i]
    out = [c for i, c in enumerate(sa) if i not in da] + [c for j, c in enumerate(sb)
                                                         if j not in db]
    return einsum(f"{''.join(sa)},{''.join(sb)}->{''.join(out)}", a, b)
