"""Elementwise ops. Inputs broadcast by NumPy's rules; `Op.__call__` makes the broadcast of any
tracked input an explicit `BroadcastTo` node, so every rule below sees inputs of the output's
shape (or constants) and never thinks about broadcasting."""

import numpy as np

from ..op import Op
from ..shapes import broadcast_shapes
from ..tensor import Tensor
from ._util import as_tensor, const, pair


class Add(Op):
    """out = a + b      vjp: (g, g)      jvp: da + db"""

    __slots__ = ()
    elementwise = True

    def forward(self, a, b):
        return a + b

    def vjp(self, out, g):
        return g, g

    def jvp(self, out, da, db):
        return da + db


class Subtract(Op):
    """out = a - b      vjp: (g, -g)      jvp: da - db"""

    __slots__ = ()
    elementwise = True

    def forward(self, a, b):
        return a - b

    def vjp(self, out, g):
        return g, -g

    def jvp(self, out, da, db):
        return da - db


class Multiply(Op):
    """out = a * b      vjp: (g*b, g*a)      jvp: da*b + a*db"""

    __slots__ = ()
    elementwise = True

    def forward(self, a, b):
        return a * b

    def vjp(self, out, g):
        a, b = self.inputs
        return (g * b if a._requires_grad else None), (g * a if b._requires_grad else None)

    def jvp(self, out, da, db):
        a, b = self.inputs
        return da * b + a * db


class Divide(Op):
    """out = a / b      vjp: (g/b, -g*out/b)      jvp: (da - out*db) / b"""

    __slots__ = ()
    elementwise = True

    def forward(self, a, b):
        return a / b

    def vjp(self, out, g):
        a, b = self.inputs
        ga = g / b if a._requires_grad else None
        gb = -(g * out) / b if b._requires_grad else None
        return ga, gb

    def jvp(self, out, da, db):
        return (da - out * db) / self.inputs[1]


class Power(Op):
    """out = a ** b      vjp: (g*b*a**(b-1), g*out*log a)      jvp: da*b*a**(b-1) + db*out*log a

    log a is taken as 0 where a <= 0: there the derivative in b exists only for integer b
    paths we never take, and NaN would poison the gradient of `a` as well.
    """

    __slots__ = ()
    elementwise = True

    def forward(self, a, b):
        return a ** b

    def vjp(self, out, g):
        a, b = self.inputs
        ga = g * b * a ** (b - 1) if a._requires_grad else None
        gb = g * out * _log_positive(a) if b._requires_grad else None
        return ga, gb

    def jvp(self, out, da, db):
        a, b = self.inputs
        d = da * b * a ** (b - 1)
        if b.tangent is not None:
            d = d + db * out * _log_positive(a)
        return d


def _log_positive(a):
    positive = a.data > 0
    return log(where(positive, a, 1.0)) * positive


class Negative(Op):
    """out = -a      vjp: -g      jvp: -da"""

    __slots__ = ()

    def forward(self, a):
        return -a

    def vjp(self, out, g):
        return (-g,)

    def jvp(self, out, da):
        return -da


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
        return (g * (self.inputs[0].data > 0),)

    def jvp(self, out, da):
        return da * (self.inputs[0].data > 0)


class LeakyRelu(Op):
    """out = a if a > 0 else slope·a      vjp: g·s      jvp: da·s,  s = 1 if a > 0 else slope"""

    __slots__ = ("slope",)

    def __init__(self, slope):
        self.slope = slope

    def forward(self, a):
        return np.where(a > 0, a, a * self.slope)

    def _factor(self):
        a = self.inputs[0].data
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
        return (g * np.sign(self.inputs[0].data),)

    def jvp(self, out, da):
        return da * np.sign(self.inputs[0].data)


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
        a = self.inputs[0].data
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


class Maximum(Op):
    """out = max(a, b)      vjp: (g·w, g·(1-w))      jvp: da·w + db·(1-w)

    w = 1 where a > b, 1/2 where a == b (ties share the gradient), 0 elsewhere.
    """

    __slots__ = ()
    elementwise = True

    def forward(self, a, b):
        return np.maximum(a, b)

    def _weight(self, out):
        a, b = self.inputs
        w = (a.data > b.data) + 0.5 * (a.data == b.data)
        return const(w, out.dtype), const(1.0 - w, out.dtype)

    def vjp(self, out, g):
        wa, wb = self._weight(out)
        return g * wa, g * wb

    def jvp(self, out, da, db):
        wa, wb = self._weight(out)
        return da * wa + db * wb


class Minimum(Maximum):
    """out = min(a, b)      vjp: (g·w, g·(1-w))      jvp: da·w + db·(1-w)

    w = 1 where a < b, 1/2 where a == b, 0 elsewhere.
    """

    __slots__ = ()

    def forward(self, a, b):
        return np.minimum(a, b)

    def _weight(self, out):
        a, b = self.inputs
        w = (a.data < b.data) + 0.5 * (a.data == b.data)
        return const(w, out.dtype), const(1.0 - w, out.dtype)


class Where(Op):
    """out = a where cond else b      vjp: (g·cond, g·¬cond)      jvp: where(cond, da, db)"""

    __slots__ = ("cond",)
    elementwise = True

    def __init__(self, cond):
        self.cond = cond

    def forward(self, a, b):
        return np.where(self.cond, a, b)

    def vjp(self, out, g):
        cond = np.broadcast_to(self.cond, out.shape)
        return g * cond, g * ~cond

    def jvp(self, out, da, db):
        return Where(self.cond)(da, db)


class AsType(Op):
    """out = a as dtype      vjp: g as a's dtype      jvp: da as dtype"""

    __slots__ = ("dtype",)

    def __init__(self, dtype):
        self.dtype = dtype

    def forward(self, a):
        return a.astype(self.dtype)

    def vjp(self, out, g):
        return (astype(g, self.inputs[0].dtype),)

    def jvp(self, out, da):
        return astype(da, self.dtype)


# --- the functions users call ----------------------------------------------------------------

def add(a, b):
    return Add()(*pair(a, b))


def subtract(a, b):
    return Subtract()(*pair(a, b))


def multiply(a, b):
    return Multiply()(*pair(a, b))


def divide(a, b):
    return Divide()(*pair(a, b))


def power(a, b):
    return Power()(*pair(a, b))


def negative(a):
    return Negative()(as_tensor(a))


def exp(a):
    return Exp()(as_tensor(a))


def log(a):
    return Log()(as_tensor(a))


def sqrt(a):
    return Sqrt()(as_tensor(a))


def tanh(a):
    return Tanh()(as_tensor(a))


def sigmoid(a):
    return Sigmoid()(as_tensor(a))


def relu(a):
    return Relu()(as_tensor(a))


def leaky_relu(a, slope=0.01):
    return LeakyRelu(slope)(as_tensor(a))


def abs(a):
    return Abs()(as_tensor(a))


def sin(a):
    return Sin()(as_tensor(a))


def cos(a):
    return Cos()(as_tensor(a))


def clip(a, lo=None, hi=None):
    if lo is None and hi is None:
        raise ValueError("clip: give at least one of lo and hi")
    if lo is not None and hi is not None and lo > hi:
        raise ValueError(f"clip: lo ({lo}) is greater than hi ({hi})")
    return Clip(lo, hi)(as_tensor(a))


def maximum(a, b):
    return Maximum()(*pair(a, b))


def minimum(a, b):
    return Minimum()(*pair(a, b))


def where(cond, a, b):
    """Elementwise choice; `cond` is a bool array or Tensor and gets no gradient."""
    cond = np.asarray(cond.data if isinstance(cond, Tensor) else cond, dtype=bool)
    a, b = pair(a, b)
    broadcast_shapes("where", cond.shape, a.shape, b.shape)
    return Where(cond)(a, b)


def astype(a, dtype):
    a = as_tensor(a)
    dtype = np.dtype(dtype)
    if dtype == a.dtype:
        return a
    if a._requires_grad and dtype.kind != "f":
        raise TypeError(f"astype: cannot cast a tensor that requires grad to {dtype}")
    return AsType(dtype)(a)


def compare(ufunc, a, b):
    """Comparisons give bool tensors and record nothing (they have no gradient)."""
    a, b = pair(a, b)
    if a.shape != b.shape:
        broadcast_shapes(ufunc.__name__, a.shape, b.shape)
    return Tensor._make(ufunc(a.data, b.data))
