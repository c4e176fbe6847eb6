"""Elementwise ops of two operands (and negation). Inputs broadcast by NumPy's rules;
`Op.__call__` makes the broadcast of any tracked input an explicit `BroadcastTo` node, so every
rule below sees inputs of the output's shape (or constants) and never thinks about broadcasting."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from ..op import Op
from ..shapes import broadcast_shapes
from ..tensor import Tensor
from ._util import as_tensor, const, pair
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


def add(a: Tensor | ArrayLike, b: Tensor | ArrayLike) -> Tensor:
    return Add()(*pair(a, b))


def subtract(a: Tensor | ArrayLike, b: Tensor | ArrayLike) -> Tensor:
    return Subtract()(*pair(a, b))


def multiply(a: Tensor | ArrayLike, b: Tensor | ArrayLike) -> Tensor:
    return Multiply()(*pair(a, b))


def divide(a: Tensor | ArrayLike, b: Tensor | ArrayLike) -> Tensor:
    return Divide()(*pair(a, b))


def power(a: Tensor | ArrayLike, b: Tensor | ArrayLike) -> Tensor:
    return Power()(*pair(a, b))


def negative(a: Tensor | ArrayLike) -> Tensor:
    return Negative()(as_tensor(a))


def maximum(a: Tensor | ArrayLike, b: Tensor | ArrayLike) -> Tensor:
    return Maximum()(*pair(a, b))


def minimum(a: Tensor | ArrayLike, b: Tensor | ArrayLike) -> Tensor:
    return Minimum()(*pair(a, b))


def where(cond: Any, a: Tensor | ArrayLike, b: Tensor | ArrayLike) -> Tensor:
    """Elementwise choice; `cond` is a bool array or Tensor and gets no gradient."""
    cond = np.asarray(cond._data if isinstance(cond, Tensor) else cond, dtype=bool)
    a, b = pair(a, b)
    broadcast_shapes("where", cond.shape, a.shape, b.shape)
    return Where(cond)(a, b)


def astype(a: Tensor | ArrayLike, dtype: DTypeLike) -> Tensor:
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
