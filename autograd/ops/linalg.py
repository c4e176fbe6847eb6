"""Matrix products."""

import numpy as np

from ..op import Op
from ..shapes import ShapeError
from ._util import pair
from .shape import reshape, sum_to


class MatMul(Op):
    """out = a @ b      vjp: (g @ bᵀ, aᵀ @ g)      jvp: da @ b + a @ db

    A 1-D a is lifted to a row and a 1-D b to a column, as NumPy does; batch axes broadcast.
    The rule works on the lifted shapes, sums over broadcast batch axes, and drops the lift.
    """

    __slots__ = ()

    def forward(self, a, b):
        return a @ b

    def vjp(self, out, g):
        a, b = self.inputs
        a2 = a if a.ndim > 1 else reshape(a, (1,) + a.shape)
        b2 = b if b.ndim > 1 else reshape(b, b.shape + (1,))
        batch = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
        g = reshape(g, batch + (a2.shape[-2], b2.shape[-1]))
        ga = reshape(sum_to(g @ _swap(b2), a2.shape), a.shape) if a._requires_grad else None
        gb = reshape(sum_to(_swap(a2) @ g, b2.shape), b.shape) if b._requires_grad else None
        return ga, gb

    def jvp(self, out, da, db):
        a, b = self.inputs
        return da @ b + a @ db


def _swap(x):
    """x with its last two axes exchanged (a batched transpose)."""
    axes = list(range(x.ndim))
    axes[-1], axes[-2] = axes[-2], axes[-1]
    return x.transpose(axes)


def matmul(a, b):
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
