"""More elementwise functions of one tensor: logarithms and exponentials in other bases and
near 1, trigonometry beyond sin and cos, and the step functions (sign, floor, ceil, round,
trunc), whose derivative is 0 wherever it exists. Integer input is computed in the default
float dtype, as in PyTorch."""

import numpy as np

from ..op import Op
from ._util import as_tensor, floating, pair

_LN10, _LN2 = float(np.log(10.0)), float(np.log(2.0))


class Log10(Op):
    """out = log₁₀ a      vjp: g / (a ln 10)      jvp: da / (a ln 10)"""

    __slots__ = ()

    def forward(self, a):
        return np.log10(a)

    def vjp(self, out, g):
        return (g / (self.inputs[0] * _LN10),)

    def jvp(self, out, da):
        return da / (self.inputs[0] * _LN10)


class Log2(Op):
    """out = log₂ a      vjp: g / (a ln 2)      jvp: da / (a ln 2)"""

    __slots__ = ()

    def forward(self, a):
        return np.log2(a)

    def vjp(self, out, g):
        return (g / (self.inputs[0] * _LN2),)

    def jvp(self, out, da):
        return da / (self.inputs[0] * _LN2)


class Log1p(Op):
    """out = log(1 + a), exact for small a      vjp: g / (1 + a)      jvp: da / (1 + a)"""

    __slots__ = ()

    def forward(self, a):
        return np.log1p(a)

    def vjp(self, out, g):
        return (g / (self.inputs[0] + 1.0),)

    def jvp(self, out, da):
        return da / (self.inputs[0] + 1.0)


class Expm1(Op):
    """out = eᵃ - 1, exact for small a      vjp: g·(out + 1)      jvp: da·(out + 1)"""

    __slots__ = ()

    def forward(self, a):
        return np.expm1(a)

    def vjp(self, out, g):
        return (g * (out + 1.0),)

    def jvp(self, out, da):
        return da * (out + 1.0)


class Tan(Op):
    """out = tan a      vjp: g·(1 + out²)      jvp: da·(1 + out²)"""

    __slots__ = ()

    def forward(self, a):
        return np.tan(a)

    def vjp(self, out, g):
        return (g * (out * out + 1.0),)

    def jvp(self, out, da):
        return da * (out * out + 1.0)


class Arcsin(Op):
    """out = asin a      vjp: g / √(1 - a²)      jvp: da / √(1 - a²)"""

    __slots__ = ()

    def forward(self, a):
        return np.arcsin(a)

    def _slope(self):
        a = self.inputs[0]
        return (1.0 - a * a).sqrt()

    def vjp(self, out, g):
        return (g / self._slope(),)

    def jvp(self, out, da):
        return da / self._slope()


class Arccos(Arcsin):
    """out = acos a      vjp: -g / √(1 - a²)      jvp: -da / √(1 - a²)"""

    __slots__ = ()

    def forward(self, a):
        return np.arccos(a)

    def vjp(self, out, g):
        return (-g / self._slope(),)

    def jvp(self, out, da):
        return -da / self._slope()


class Arctan(Op):
    """out = atan a      vjp: g / (1 + a²)      jvp: da / (1 + a²)"""

    __slots__ = ()

    def forward(self, a):
        return np.arctan(a)

    def vjp(self, out, g):
        a = self.inputs[0]
        return (g / (a * a + 1.0),)

    def jvp(self, out, da):
        a = self.inputs[0]
        return da / (a * a + 1.0)


class Sinh(Op):
    """out = sinh a      vjp: g·cosh a      jvp: da·cosh a"""

    __slots__ = ()

    def forward(self, a):
        return np.sinh(a)

    def vjp(self, out, g):
        return (g * cosh(self.inputs[0]),)

    def jvp(self, out, da):
        return da * cosh(self.inputs[0])


class Cosh(Op):
    """out = cosh a      vjp: g·sinh a      jvp: da·sinh a"""

    __slots__ = ()

    def forward(self, a):
        return np.cosh(a)

    def vjp(self, out, g):
        return (g * sinh(self.inputs[0]),)

    def jvp(self, out, da):
        return da * sinh(self.inputs[0])


class Arctan2(Op):
    """out = atan2(a, b), the angle of (b, a)      vjp: (g·b, -g·a) / (a² + b²)
    jvp: (da·b - db·a) / (a² + b²)"""

    __slots__ = ()
    elementwise = True

    def forward(self, a, b):
        return np.arctan2(a, b)

    def _radius2(self):
        a, b = self.inputs
        return a * a + b * b

    def vjp(self, out, g):
        a, b = self.inputs
        r2 = self._radius2()
        return g * b / r2, -g * a / r2

    def jvp(self, out, da, db):
        a, b = self.inputs
        return (da * b - db * a) / self._radius2()


class Step(Op):
    """out = a piecewise-constant function of a (sign, floor, ceil, round, trunc)
    vjp: 0      jvp: 0   (the derivative wherever it exists, and PyTorch's choice elsewhere)"""

    __slots__ = ("fn",)

    def __init__(self, fn):
        self.fn = fn

    def forward(self, a):
        return self.fn(a)

    def vjp(self, out, g):
        return (g * 0.0,)

    def jvp(self, out, da):
        return da * 0.0

    def __repr__(self):
        return f"Step({self.fn.__name__})"


def log10(input):
    return Log10()(floating(input))


def log2(input):
    return Log2()(floating(input))


def log1p(input):
    return Log1p()(floating(input))


def expm1(input):
    return Expm1()(floating(input))


def rsqrt(input):
    """1 / √a."""
    return 1.0 / floating(input).sqrt()


def square(input):
    """a·a (an integer tensor stays integer)."""
    a = as_tensor(input)
    return a * a


def reciprocal(input):
    return 1.0 / floating(input)


def tan(input):
    return Tan()(floating(input))


def asin(input):
    return Arcsin()(floating(input))


def acos(input):
    return Arccos()(floating(input))


def atan(input):
    return Arctan()(floating(input))


def sinh(input):
    return Sinh()(floating(input))


def cosh(input):
    return Cosh()(floating(input))


def atan2(input, other):
    a, b = pair(input, other)
    return Arctan2()(floating(a), floating(b))


def lerp(input, end, weight):
    """input + weight·(end - input)."""
    a = as_tensor(input)
    return a + (end - a) * weight


def logaddexp(input, other):
    """log(eᵃ + eᵇ), computed as max + log1p(e^-|a-b|) so it never overflows."""
    a, b = pair(floating(input), floating(other))
    from .arithmetic import maximum

    return maximum(a, b) + log1p((-(a - b).abs()).exp())


def exp2(input):
    """2ᵃ."""
    return 2.0 ** floating(input)


def deg2rad(input):
    return floating(input) * (np.pi / 180.0)


def rad2deg(input):
    return floating(input) * (180.0 / np.pi)


def fmax(input, other):
    """The elementwise maximum, where a NaN loses to a number."""
    from .arithmetic import maximum, where

    a, b = pair(input, other)
    return maximum(where(a._data != a._data, b, a), where(b._data != b._data, a, b))


def fmin(input, other):
    """The elementwise minimum, where a NaN loses to a number."""
    from .arithmetic import minimum, where

    a, b = pair(input, other)
    return minimum(where(a._data != a._data, b, a), where(b._data != b._data, a, b))


def nan_to_num(input, nan=0.0, posinf=None, neginf=None):
    """NaN -> `nan`, ±inf -> `posinf`/`neginf` (the dtype's largest/smallest by default);
    the gradient passes where the entry is kept."""
    from .arithmetic import where

    a = as_tensor(input)
    if a._data.dtype.kind != "f":
        return a
    info = np.finfo(a._data.dtype)
    x = a._data
    a = where(x != x, nan, a)
    a = where(x == np.inf, info.max if posinf is None else posinf, a)
    return where(x == -np.inf, info.min if neginf is None else neginf, a)


def _step(fn, input):
    a = as_tensor(input)
    if a._data.dtype.kind in "biu":  # an integer is its own floor, ceil, round and trunc
        return a * 1 if fn is not np.sign else Step(fn)(a)
    return Step(fn)(a)


def sgn(input):
    """sign, under its other name (PyTorch's for real tensors)."""
    return sign(input)


def sign(input):
    """-1, 0 or 1 by the sign of each entry."""
    return _step(np.sign, input)


def floor(input):
    return _step(np.floor, input)


def ceil(input):
    return _step(np.ceil, input)


def round(input, decimals=0):
    """Rounded half to even, as PyTorch and NumPy both do; `decimals` digits after the point."""
    if decimals:
        scale = 10.0 ** decimals
        return _step(np.round, as_tensor(input) * scale) / scale
    return _step(np.round, input)


def trunc(input):
    return _step(np.trunc, input)


def frac(input):
    """a - trunc(a)."""
    a = as_tensor(input)
    return a - trunc(a)
