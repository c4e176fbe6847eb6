"""Elementwise functions of one tensor: exponentials, activations, trigonometry, clipping."""

import builtins

import numpy as np

from ..op import Op
from ..tensor import Tensor
from ._util import as_tensor, const, floating


class Exp(Op):
    """out = exp(a)      vjp: g*out      jvp: da*out"""

    __slots__ = ()
    saves = ("out",)

    def forward(self, a):
        return np.exp(a)

    def vjp(self, out, g):
        return (g * out,)

    def jvp(self, out, da):
        return da * out


class Log(Op):
    """out = log(a)      vjp: g/a      jvp: da/a"""

    __slots__ = ()
    saves = (0,)

    def forward(self, a):
        return np.log(a)

    def vjp(self, out, g):
        return (g / self.inputs[0],)

    def jvp(self, out, da):
        return da / self.inputs[0]


class Sqrt(Op):
    """out = √a      vjp: g / (2·out)      jvp: da / (2·out)"""

    __slots__ = ()
    saves = ("out",)

    def forward(self, a):
        return np.sqrt(a)

    def vjp(self, out, g):
        return (g / (out * 2.0),)

    def jvp(self, out, da):
        return da / (out * 2.0)


class Tanh(Op):
    """out = tanh(a)      vjp: g·(1 - out²)      jvp: da·(1 - out²)"""

    __slots__ = ()
    saves = ("out",)

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
    saves = ("out",)

    def forward(self, a):
        e = np.exp(-np.abs(a))
        return np.where(a >= 0, 1.0, e) / (1.0 + e)

    def vjp(self, out, g):
        return (g * (out * (1.0 - out)),)

    def jvp(self, out, da):
        return da * (out * (1.0 - out))


class Relu(Op):
    """out = max(a, 0)      vjp: g where not a ≤ 0, else 0      jvp: the same of da

    PyTorch's mask: a NaN input passes its gradient on (so the NaN shows), and a masked entry
    is 0 even where g is NaN or inf (a choice, not a product with 0). Clip masks alike."""

    __slots__ = ()
    saves = (0,)

    def forward(self, a):
        return np.maximum(0, a)  # 0 first: relu(-0.0) is -0.0, as in PyTorch

    def vjp(self, out, g):
        return (arithmetic.where(~(self.inputs[0]._data <= 0), g, 0.0),)

    def jvp(self, out, da):
        return arithmetic.where(~(self.inputs[0]._data <= 0), da, 0.0)


class LeakyRelu(Op):
    """out = a if a > 0 else slope·a      vjp: g·s      jvp: da·s,  s = 1 if a > 0 else slope"""

    __slots__ = ("slope",)
    saves = (0,)

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
    """out = |a|      vjp: g·sign(a)      jvp: da·sign(a)   (sign(0) = sign(NaN) = 0, as PyTorch)"""

    __slots__ = ()
    saves = (0,)

    def forward(self, a):
        return np.abs(a)

    def _sign(self):
        a = self.inputs[0]._data
        return const((a > 0).astype(np.int8) - (a < 0), a.dtype)

    def vjp(self, out, g):
        return (g * self._sign(),)

    def jvp(self, out, da):
        return da * self._sign()


class Sin(Op):
    """out = sin(a)      vjp: g·cos(a)      jvp: da·cos(a)"""

    __slots__ = ()
    saves = (0,)

    def forward(self, a):
        return np.sin(a)

    def vjp(self, out, g):
        return (g * cos(self.inputs[0]),)

    def jvp(self, out, da):
        return da * cos(self.inputs[0])


class Cos(Op):
    """out = cos(a)      vjp: -g·sin(a)      jvp: -da·sin(a)"""

    __slots__ = ()
    saves = (0,)

    def forward(self, a):
        return np.cos(a)

    def vjp(self, out, g):
        return (-(g * sin(self.inputs[0])),)

    def jvp(self, out, da):
        return -(da * sin(self.inputs[0]))


class Clip(Op):
    """out = min(max(a, lo), hi)      vjp: g where lo ≤ a ≤ hi, else 0      jvp: the same"""

    __slots__ = ("lo", "hi")
    saves = (0,)

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
        return (arithmetic.where(self._inside(), g, 0.0),)

    def jvp(self, out, da):
        return arithmetic.where(self._inside(), da, 0.0)


# Integer input is computed in the default float dtype (`floating`), as in PyTorch; a float
# tensor goes straight to the op (these functions run for every activation).
def exp(a):
    return Exp()(a if a.__class__ is Tensor and a._data.dtype.kind == "f" else floating(a))


def log(a):
    return Log()(a if a.__class__ is Tensor and a._data.dtype.kind == "f" else floating(a))


def sqrt(a):
    return Sqrt()(a if a.__class__ is Tensor and a._data.dtype.kind == "f" else floating(a))


def tanh(a):
    return Tanh()(a if a.__class__ is Tensor and a._data.dtype.kind == "f" else floating(a))


def sigmoid(a):
    return Sigmoid()(a if a.__class__ is Tensor and a._data.dtype.kind == "f" else floating(a))


def relu(a):
    return Relu()(as_tensor(a))


def leaky_relu(a, slope=0.01):
    return LeakyRelu(slope)(as_tensor(a))


def abs(a):
    return Abs()(as_tensor(a))


def sin(a):
    return Sin()(a if a.__class__ is Tensor and a._data.dtype.kind == "f" else floating(a))


def cos(a):
    return Cos()(a if a.__class__ is Tensor and a._data.dtype.kind == "f" else floating(a))


def clip(input, min=None, max=None, *, lo=None, hi=None):
    """Each entry limited to [min, max] (`lo`/`hi` are other names for the two bounds). With
    min > max every entry becomes max, as in PyTorch and NumPy. Tensor bounds that require
    grad get gradients (through maximum and minimum)."""
    min, max = _bound("min", min, "lo", lo), _bound("max", max, "hi", hi)
    if min is None and max is None:
        raise ValueError("clip: give at least one of min and max")
    a = as_tensor(input)
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        from .arithmetic import maximum, minimum

        out = a if min is None else maximum(a, min)
        return out if max is None else minimum(out, max)
    if a._data.dtype.kind in "biu" and builtins.any(isinstance(x, float) for x in (min, max)):
        a = floating(a)  # an integer tensor clamped to a float bound is a float, as in PyTorch
    return Clip(min, max)(a)


clamp = clip


def _bound(name, value, alias, other):
    if other is None:
        return value
    if value is not None:
        raise TypeError(f"clip: got both {name}= and {alias}=; give one")
    return other


from . import arithmetic  # noqa: E402  (arithmetic imports this module; used at call time)
