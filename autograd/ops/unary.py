"""Elementwise functions of one tensor: exponentials, activations, trigonometry, clipping."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from ..op import Op
from ._util import as_tensor, const

if TYPE_CHECKING:
    from ..tensor import Tensor


class Exp(Op):
    """out = exp(a)      vjp: g*out      jvp: da*out"""

    __slots__ = ()

    def forward(self, a):
        return np.exp(a)

    def vjp(self, out, g):
        return (g * out,)

    def jvp(self, out, da):
        return da * out


class Log(Op):
    """out = log(a)      vjp: g/a      jvp: da/a"""

    __slots__ = ()

    def forward(self, a):
        return np.log(a)

    def vjp(self, out, g):
        return (g / self.inputs[0],)

    def jvp(self, out, da):
        return da / self.inputs[0]


class Sqrt(Op):
    """out = √a      vjp: g / (2·out)      jvp: da / (2·out)"""

    __slots__ = ()

    def forward(self, a):
        return np.sqrt(a)

    def vjp(self, out, g):
        return (g / (out * 2.0),)

    def jvp(self, out, da):
        return da / (out * 2.0)


class Tanh(Op):
    """out = tanh(a)      vjp: g·(1 - out²)      jvp: da·(1 - out²)"""

    __slots__ = ()

    def forward(self, a):
        return np.tanh(a)

    def vjp(self, out, g):
        return (g * (1.0 - out * out),)

    def jvp(self, out, da):
        return da * (1.0 - out * out)


class Sigmoid(Op):
    """out = 1 / (1 + e⁻ᵃ)      vjp: g·out·(1 - out)      jvp: da·out·(1 - out)

    Computed from e^-|a|, which never overflows: for a ≥ 0 out = 1/(1+e^-a), else e^a/(1+e^a).
    """

    __slots__ = ()

    def forward(self, a):
        e = np.exp(-np.abs(a))
        return np.where(a >= 0, 1.0, e) / (1.0 + e)

    def vjp(self, out, g):
        return (g * (out * (1.0 - out)),)

    def jvp(self, out, da):
        return da * (out * (1.0 - out))


class Relu(Op):
    """out = max(a, 0)      vjp: g·[a > 0]      jvp: da·[a > 0]"""

    __slots__ = ()

    def forward(self, a):
        return np.maximum(a, 0)

    def vjp(self, out, g):
        return (g * (self.inputs[0]._data > 0),)

    def jvp(self, out, da):
        return da * (self.inputs[0]._data > 0)


class LeakyRelu(Op):
    """out = a if a > 0 else slope·a      vjp: g·s      jvp: da·s,  s = 1 if a > 0 else slope"""

    __slots__ = ("slope",)

    def __init__(self, slope):
        self.slope = slope

    def forward(self, a):
        return np.where(a > 0, a, a * self.slope)

    def _factor(self):
        a = self.inputs[0]._data
        return const(np.where(a > 0, 1.0, self.slope), a.dtype)

    def vjp(self, out, g):
        return (g * self._factor(),)

    def jvp(self, out, da):
        return da * self._factor()


class Abs(Op):
    """out = |a|      vjp: g·sign(a)      jvp: da·sign(a)   (sign(0) = 0)"""

    __slots__ = ()

    def forward(self, a):
        return np.abs(a)

    def vjp(self, out, g):
        return (g * np.sign(self.inputs[0]._data),)

    def jvp(self, out, da):
        return da * np.sign(self.inputs[0]._data)


class Sin(Op):
    """out = sin(a)      vjp: g·cos(a)      jvp: da·cos(a)"""

    __slots__ = ()

    def forward(self, a):
        return np.sin(a)

    def vjp(self, out, g):
        return (g * cos(self.inputs[0]),)

    def jvp(self, out, da):
        return da * cos(self.inputs[0])


class Cos(Op):
    """out = cos(a)      vjp: -g·sin(a)      jvp: -da·sin(a)"""

    __slots__ = ()

    def forward(self, a):
        return np.cos(a)

    def vjp(self, out, g):
        return (-(g * sin(self.inputs[0])),)

    def jvp(self, out, da):
        return -(da * sin(self.inputs[0]))


class Clip(Op):
    """out = min(max(a, lo), hi)      vjp: g·[lo ≤ a ≤ hi]      jvp: da·[lo ≤ a ≤ hi]"""

    __slots__ = ("lo", "hi")

    def __init__(self, lo, hi):
        self.lo, self.hi = lo, hi

    def forward(self, a):
        return np.clip(a, self.lo, self.hi)

    def _inside(self):
        a = self.inputs[0]._data
        inside = np.ones(a.shape, dtype=bool)
        if self.lo is not None:
            inside &= a >= self.lo
        if self.hi is not None:
            inside &= a <= self.hi
        return inside

    def vjp(self, out, g):
        return (g * self._inside(),)

    def jvp(self, out, da):
        return da * self._inside()


def exp(a: Tensor | ArrayLike) -> Tensor:
    return Exp()(as_tensor(a))


def log(a: Tensor | ArrayLike) -> Tensor:
    return Log()(as_tensor(a))


def sqrt(a: Tensor | ArrayLike) -> Tensor:
    return Sqrt()(as_tensor(a))


def tanh(a: Tensor | ArrayLike) -> Tensor:
    return Tanh()(as_tensor(a))


def sigmoid(a: Tensor | ArrayLike) -> Tensor:
    return Sigmoid()(as_tensor(a))


def relu(a: Tensor | ArrayLike) -> Tensor:
    return Relu()(as_tensor(a))


def leaky_relu(a: Tensor | ArrayLike, slope: float = 0.01) -> Tensor:
    return LeakyRelu(slope)(as_tensor(a))


def abs(a: Tensor | ArrayLike) -> Tensor:
    return Abs()(as_tensor(a))


def sin(a: Tensor | ArrayLike) -> Tensor:
    return Sin()(as_tensor(a))


def cos(a: Tensor | ArrayLike) -> Tensor:
    return Cos()(as_tensor(a))


def clip(a: Tensor | ArrayLike, lo: float | None = None, hi: float | None = None) -> Tensor:
    if lo is None and hi is None:
        raise ValueError("clip: give at least one of lo and hi")
    if lo is not None and hi is not None and lo > hi:
        raise ValueError(f"clip: lo ({lo}) is greater than hi ({hi})")
    return Clip(lo, hi)(as_tensor(a))
