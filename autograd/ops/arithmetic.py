"""Elementwise ops of two operands (and negation). Inputs broadcast by NumPy's rules;
`Op.__call__` makes the broadcast of any tracked input an explicit `BroadcastTo` node, so every
rule below sees inputs of the output's shape (or constants) and never thinks about broadcasting."""

import numpy as np

from ..op import Op
from ..shapes import ShapeError, broadcast_shapes
from ..tensor import Tensor
from ._util import as_tensor, const, floating, pair, scalar
from .unary import log


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
        return da * b * a ** (b - 1) + db * out * _log_positive(a)


def _log_positive(a):
    positive = a._data > 0
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
        w = (a._data > b._data) + 0.5 * (a._data == b._data)
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
        w = (a._data < b._data) + 0.5 * (a._data == b._data)
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


def add(input, other, alpha=1):
    """a + alpha·b. (`alpha` is not keyword-only, as in PyTorch, because a keyword-only
    default costs a dict lookup on every call, and `+` calls this.)"""
    if alpha != 1:
        other = multiply(other, alpha)
    return Add()(*pair(input, other))


def subtract(input, other, alpha=1):
    """a - alpha·b."""
    if alpha != 1:
        other = multiply(other, alpha)
    return Subtract()(*pair(input, other))


def multiply(a, b):
    return Multiply()(*pair(a, b))


def divide(a, b):
    """True division: integers divide in the default float dtype, as in PyTorch."""
    a, b = pair(a, b)
    if a._data.dtype.kind in "biu":
        a, b = floating(a), floating(b)
    return Divide()(a, b)


def power(a, b):
    return Power()(*pair(a, b))


def negative(a):
    return Negative()(as_tensor(a))


def maximum(a, b):
    return Maximum()(*pair(a, b))


def minimum(a, b):
    return Minimum()(*pair(a, b))


def where(condition, input=None, other=None):
    """Elementwise choice `input` where `condition` else `other`; `condition` is a bool array
    or Tensor and gets no gradient. Python numbers follow `ag.tensor` (where(c, 1, 3) is
    int64). With the condition alone: the positions where it holds, one index tensor per
    dim (as `nonzero(as_tuple=True)`)."""
    cond = np.asarray(condition._data if isinstance(condition, Tensor) else condition,
                      dtype=bool)
    if input is None and other is None:
        from .search import nonzero

        return nonzero(cond, as_tuple=True)
    if input is None or other is None:
        raise TypeError("where: give both input and other, or the condition alone")
    a, b = pair(input, other)
    broadcast_shapes("where", cond.shape, a.shape, b.shape)
    return Where(cond)(a, b)


def masked_fill(input, mask, value):
    """`input` with `value` wherever `mask` is True; `value` (a number or 0-d tensor) takes
    input's dtype, and `mask` must broadcast to input's shape."""
    a = as_tensor(input)
    mask = np.asarray(mask._data if isinstance(mask, Tensor) else mask)
    if mask.dtype != bool:
        raise TypeError(f"masked_fill: the mask must be bool, got {mask.dtype}")
    if broadcast_shapes("masked_fill", a.shape, mask.shape) != a.shape:
        raise ShapeError(f"masked_fill: mask of shape {mask.shape} does not broadcast to the "
                         f"input's shape {a.shape}")
    if isinstance(value, Tensor):
        if value.ndim:
            raise ShapeError(f"masked_fill: value must be a number or a 0-d tensor, got shape "
                             f"{value.shape}")
        value = astype(value, a.dtype)
    else:
        value = scalar(value, a.dtype)
    return Where(mask)(value, a)


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
    return Tensor._make(ufunc(a._data, b._data))


def eq(input, other):
    return compare(np.equal, input, other)


def ne(input, other):
    return compare(np.not_equal, input, other)


def lt(input, other):
    return compare(np.less, input, other)


def le(input, other):
    return compare(np.less_equal, input, other)


def gt(input, other):
    return compare(np.greater, input, other)


def ge(input, other):
    return compare(np.greater_equal, input, other)
