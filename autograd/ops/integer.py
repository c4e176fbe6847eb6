"""Integer arithmetic with PyTorch's semantics: floor division, the two remainders, rounding
division, and the bitwise operators (`& | ^ ~ << >>`) on integer and bool tensors.

`%` (remainder, the sign of the divisor) and `fmod` (the sign of the dividend) are
differentiable in their float forms; floor division and the bitwise operators are not (their
results are piecewise constant or not numbers at all) and record nothing.
"""

import numpy as np

from ..op import Op
from ..tensor import Tensor
from ._util import as_tensor, const, pair


class Remainder(Op):
    """out = a - b·⌊a/b⌋ (the sign of b, as Python's %)      vjp: (g, -g·⌊a/b⌋)
    jvp: da - db·⌊a/b⌋"""

    __slots__ = ()
    elementwise = True
    quotient = staticmethod(np.floor_divide)

    def forward(self, a, b):
        with np.errstate(divide="ignore", invalid="ignore"):  # x % 0.0 is NaN, as in PyTorch
            return np.remainder(a, b)

    def _quotient(self, out):
        a, b = self.inputs
        with np.errstate(divide="ignore", invalid="ignore"):
            return const(self.quotient(a._data, b._data), out.dtype)

    def vjp(self, out, g):
        return g, -g * self._quotient(out)

    def jvp(self, out, da, db):
        return da - db * self._quotient(out)


class Fmod(Remainder):
    """out = a - b·trunc(a/b) (the sign of a, as C's fmod)      vjp: (g, -g·trunc(a/b))
    jvp: da - db·trunc(a/b)"""

    __slots__ = ()

    @staticmethod
    def quotient(a, b):
        return np.trunc(a / b)

    def forward(self, a, b):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.fmod(a, b)


def _integer_divisor(call, a, b):
    if a._data.dtype.kind in "biu" and b._data.dtype.kind in "biu" and not b._data.all():
        raise ZeroDivisionError(f"{call}: integer division by zero")


def remainder(input, other):
    """a % b with the sign of b (Python's and PyTorch's %)."""
    a, b = pair(input, other)
    _integer_divisor("remainder", a, b)
    if a._data.dtype.kind in "biu":
        return Tensor._make(np.remainder(a._data, b._data))
    return Remainder()(a, b)


def fmod(input, other):
    """a % b with the sign of a (C's fmod)."""
    a, b = pair(input, other)
    _integer_divisor("fmod", a, b)
    if a._data.dtype.kind in "biu":
        return Tensor._make(np.fmod(a._data, b._data))
    return Fmod()(a, b)


def floor_divide(input, other):
    """⌊a / b⌋, an integer for integers; it has no useful derivative and records nothing."""
    a, b = pair(input, other)
    _integer_divisor("floor_divide", a, b)
    with np.errstate(divide="ignore", invalid="ignore"):
        return Tensor._make(np.floor_divide(a._data, b._data))


def div(input, other, *, rounding_mode=None):
    """a / b: true division (integers give the default float), or rounded toward zero
    ("trunc") or down ("floor"); the rounded forms keep integers integer."""
    from .arithmetic import divide

    if rounding_mode is None:
        return divide(input, other)
    if rounding_mode == "floor":
        return floor_divide(input, other)
    if rounding_mode != "trunc":
        raise ValueError(f"div: rounding_mode must be None, 'trunc' or 'floor', got "
                         f"{rounding_mode!r}")
    a, b = pair(input, other)
    _integer_divisor("div", a, b)
    with np.errstate(divide="ignore", invalid="ignore"):
        if a._data.dtype.kind in "biu":
            q = np.floor_divide(a._data, b._data)
            q += (q < 0) & (q * b._data != a._data)  # floor -> toward zero for negatives
            return Tensor._make(q)
        return Tensor._make(np.trunc(a._data / b._data))


def _bitwise(call, ufunc, input, other):
    a, b = pair(input, other)
    for t in (a, b):
        if t._data.dtype.kind not in "biu":
            raise TypeError(f"{call}: only integer and bool tensors have bits, got {t.dtype}")
    return Tensor._make(ufunc(a._data, b._data))


def bitwise_and(input, other):
    return _bitwise("bitwise_and", np.bitwise_and, input, other)


def bitwise_or(input, other):
    return _bitwise("bitwise_or", np.bitwise_or, input, other)


def bitwise_xor(input, other):
    return _bitwise("bitwise_xor", np.bitwise_xor, input, other)


def bitwise_left_shift(input, other):
    return _bitwise("bitwise_left_shift", np.left_shift, input, other)


def bitwise_right_shift(input, other):
    return _bitwise("bitwise_right_shift", np.right_shift, input, other)


def bitwise_not(input):
    """~a: the bits flipped (for bools, logical not)."""
    a = as_tensor(input)
    if a._data.dtype.kind not in "biu":
        raise TypeError(f"bitwise_not: only integer and bool tensors have bits, got {a.dtype}")
    return Tensor._make(np.invert(a._data))


def logical_not(input):
    return Tensor._make(np.logical_not(as_tensor(input)._data))


def logical_and(input, other):
    a, b = pair(input, other)
    return Tensor._make(np.logical_and(a._data, b._data))


def logical_or(input, other):
    a, b = pair(input, other)
    return Tensor._make(np.logical_or(a._data, b._data))
