"""Matrix functions beyond products: the inverse and the determinant (batched over leading
dims), as primitives whose rules are written with matrix products of the inverse."""

import numpy as np

from ..op import Op
from ..shapes import ShapeError
from ._util import floating
from .linalg import _swap


class Inverse(Op):
    """out = A⁻¹      vjp: -outᵀ g outᵀ      jvp: -out dA out"""

    __slots__ = ()

    def forward(self, a):
        try:
            return np.linalg.inv(a)
        except np.linalg.LinAlgError:
            raise ValueError(f"inverse: the matrix (shape {a.shape}) is singular") from None

    def vjp(self, out, g):
        t = _swap(out)
        return (-(t @ g @ t),)

    def jvp(self, out, da):
        return -(out @ da @ out)


class Det(Op):
    """out = det A      vjp: g·out·A⁻ᵀ      jvp: out·tr(A⁻¹ dA)

    (Jacobi's formula; A must be invertible for these rules.)
    """

    __slots__ = ()

    def forward(self, a):
        return np.linalg.det(a)

    def _inverse(self):
        return Inverse()(self.inputs[0])

    def vjp(self, out, g):
        scale = (g * out).reshape(out.shape + (1, 1))
        return (scale * _swap(self._inverse()),)

    def jvp(self, out, da):
        return out * (self._inverse() * _swap(da)).sum((-2, -1))


def _square(call, a):
    a = floating(a)
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise ShapeError(f"{call}: expects square matrices (…, n, n), got shape {a.shape}")
    return a


def inverse(input):
    """A⁻¹ of each square matrix in the last two dims."""
    return Inverse()(_square("inverse", input))


def det(input):
    """The determinant of each square matrix in the last two dims."""
    return Det()(_square("det", input))


def logdet(input):
    """log det A (NaN where the determinant is negative, as in PyTorch)."""
    return det(input).log()
