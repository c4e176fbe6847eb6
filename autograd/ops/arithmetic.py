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
    saves = ()
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
    saves = ()
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
    saves = (0, 1)
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
    """out = a / b      vjp: (g/b, -g·(out/b))      jvp: (da - out*db) / b"""

    __slots__ = ()
    saves = (1, "out")
    elementwise = True

    def forward(self, a, b):
        return a / b

    def vjp(self, out, g):
        a, b = self.inputs
        ga = g / b if a._requires_grad else None
        gb = -g * (out / b) if b._requires_grad else None
        return ga, gb

    def jvp(self, out, da, db):
        return (da - out * db) / self.inputs[1]


class Power(Op):
    """out = a ** b      vjp: (g·∂a, g·∂b)      jvp: da·∂a + db·∂b
    ∂a = b·a**(b-1), ∂b = out·log a

    PyTorch's values at the edges: ∂a = 0 where b = 0 (x**0 is constant, even at x = 0, where
    the formula gives 0·inf); ∂b = 0 where a = 0 and b ≥ 0 (there 0**b is constant near b),
    else out·log a: -inf for 0**b with b < 0, NaN for a negative base (log is undefined there:
    the gradient says so rather than being a silent 0).
    """

    __slots__ = ()
    saves = (0, 1, "out")
    elementwise = True

    def forward(self, a, b):
        return a ** b

    def _da(self, g):
        """g·∂a, and 0 where b = 0 (whatever g is there: PyTorch masks the product)."""
        a, b = self.inputs
        d = g * (b * a ** (b - 1))
        constant = b._data == 0
        return where(constant, 0.0, d) if constant.any() else d

    def _db(self, g, out):
        """g·∂b, with ∂b = 0 where a = 0 and b ≥ 0 (a product: a NaN g stays NaN there)."""
        a, b = self.inputs
        d = out * log(a)
        constant = (a._data == 0) & (b._data >= 0)
        return g * (where(constant, 0.0, d) if constant.any() else d)

    def vjp(self, out, g):
        a, b = self.inputs
        return (self._da(g) if a._requires_grad else None,
                self._db(g, out) if b._requires_grad else None)

    def jvp(self, out, da, db):
        # A term with a zero tangent (an operand that carries none) is left out, as in
        # PyTorch: 0·∂b would be NaN wherever ∂b is (a negative base) and poison the rest.
        terms = []
        if da._data.any():
            terms.append(self._da(da))
        if db._data.any():
            terms.append(self._db(db, out))
        if not terms:
            return const(np.zeros(out.shape), out.dtype)
        return terms[0] + terms[1] if len(terms) == 2 else terms[0]


class Negative(Op):
    """out = -a      vjp: -g      jvp: -da"""

    __slots__ = ()
    saves = ()

    def forward(self, a):
        return -a

    def vjp(self, out, g):
        return (-g,)

    def jvp(self, out, da):
        return -da


class Maximum(Op):
    """out = max(a, b)      vjp: (g·wa, g·wb)      jvp: da·wa + db·wb

    PyTorch's weights: 1/2 each where a == b (ties share the gradient); else 1, except 0 for
    the smaller side (0 even where g is NaN: a mask, not a product). A NaN compares false both
    ways, so both sides of a NaN get 1 and the NaN shows in the gradient.
    """

    __slots__ = ()
    saves = (0, 1)
    elementwise = True

    def forward(self, a, b):
        return np.maximum(a, b)

    def _weight(self, out):
        a, b = self.inputs[0]._data, self.inputs[1]._data
        w = const(np.where(a == b, 0.5, 1.0), out.dtype)
        return (w, ~self.smaller(a, b)), (w, ~self.smaller(b, a))

    smaller = staticmethod(np.less)  # where an operand loses

    def vjp(self, out, g):
        (wa, ma), (wb, mb) = self._weight(out)
        return where(ma, g * wa, 0.0), where(mb, g * wb, 0.0)

    def jvp(self, out, da, db):
        (wa, ma), (wb, mb) = self._weight(out)
        return where(ma, da * wa, 0.0) + where(mb, db * wb, 0.0)


class Minimum(Maximum):
    """out = min(a, b)      vjp: (g·wa, g·wb)      jvp: da·wa + db·wb   (as Maximum, the
    larger side losing)"""

    __slots__ = ()
    smaller = staticmethod(np.greater)

    def forward(self, a, b):
        return np.minimum(a, b)


class Where(Op):
    """out = a where cond else b      vjp: (g where cond, g where ¬cond; else 0)
    jvp: where(cond, da, db)"""

    __slots__ = ("cond",)
    saves = ()
    elementwise = True

    def __init__(self, cond):
        self.cond = cond

    def forward(self, a, b):
        return np.where(self.cond, a, b)

    def vjp(self, out, g):
        cond = np.broadcast_to(self.cond, out.shape)
        return Where(cond)(g, _zero(g)), Where(cond)(_zero(g), g)

    def jvp(self, out, da, db):
        return Where(self.cond)(da, db)


class AsType(Op):
    """out = a as dtype      vjp: g as a's dtype      jvp: da as dtype"""

    __slots__ = ("dtype",)
    saves = ()

    def __init__(self, dtype):
        self.dtype = dtype

    def forward(self, a):
        return a.astype(self.dtype)

    def vjp(self, out, g):
        return (astype(g, self.inputs[0].dtype),)

    def jvp(self, out, da):
        return astype(da, self.dtype)


def _zero(like):
    return const(0.0, like.dtype)


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
    if isinstance(b, Tensor) and isinstance(a, (int, float)) and not isinstance(a, bool) \
            and b._data.dtype.kind == "f":
        # PyTorch computes number / tensor as reciprocal(tensor) · number: the values and
        # the gradient's edges (0 / x at a tiny x) follow from that.
        return multiply(power(b, -1.0), a)
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
