"""Reductions over axes. The reverse rule of each reshapes the cotangent back to the
keepdims shape and broadcasts it over the reduced axes; mean, var and std are compositions."""

import builtins

import numpy as np

from ..op import Op
from ..shapes import reduced_shape
from ..tensor import Tensor
from ._dialect import UNSET, dims, single
from ._util import as_tensor, const, floating
from .arithmetic import astype, where
from .shape import broadcast_to, reshape


class _Reduction(Op):
    __slots__ = ("axis", "keepdims")

    def __init__(self, axis, keepdims):
        self.axis, self.keepdims = axis, keepdims  # axis: a normalised tuple

    def _spread(self, g):
        """A cotangent of the output's shape, laid back over the input's shape."""
        a = self.inputs[0]
        if not self.keepdims:
            g = reshape(g, reduced_shape(a.shape, self.axis))
        return broadcast_to(g, a.shape)


class Sum(_Reduction):
    """out = Σ_axis a      vjp: g broadcast over axis      jvp: Σ_axis da"""

    __slots__ = ()
    saves = ()

    def forward(self, a):
        return np.sum(a, axis=self.axis, keepdims=self.keepdims)

    def vjp(self, out, g):
        return (self._spread(g),)

    def jvp(self, out, da):
        return Sum(self.axis, self.keepdims)(da)


class Max(_Reduction):
    """out = max_axis a      vjp: g·w      jvp: Σ_axis da·w

    w = 1/k on each of the k entries that attain the maximum (ties share), 0 elsewhere. Where
    the result is NaN, the NaN entries are the ones that attain it (as in PyTorch's max()).
    """

    __slots__ = ("every",)
    saves = (0,)
    reduce = staticmethod(np.max)

    def __init__(self, axis, keepdims, every=False):
        super().__init__(axis, keepdims)
        self.every = every  # called without an axis: PyTorch's max(), not amax(dim)

    def forward(self, a):
        if any(a.shape[i] == 0 for i in self.axis):
            raise ValueError(f"{self.name.lower()}: cannot reduce over an empty axis of a "
                             f"tensor of shape {a.shape}")
        return self.reduce(a, axis=self.axis, keepdims=self.keepdims)

    def _weight(self, out):
        a = self.inputs[0]._data
        m = self.reduce(a, axis=self.axis, keepdims=True)
        hit = (a == m) | (np.isnan(a) & np.isnan(m))
        return const(hit / hit.sum(axis=self.axis, keepdims=True), out.dtype), hit

    def _select(self, spread, out):
        """spread·w. Without an axis (PyTorch's max()) the other entries get 0 even where g
        is NaN or inf; over given axes (amax(dim)) it is a product, as in PyTorch."""
        w, hit = self._weight(out)
        return where(hit, spread * w, 0.0) if self.every else spread * w

    def vjp(self, out, g):
        return (self._select(self._spread(g), out),)

    def jvp(self, out, da):
        return Sum(self.axis, self.keepdims)(self._select(da, out))


class Min(Max):
    """out = min_axis a      vjp: g·w      jvp: Σ_axis da·w   (w as for Max)"""

    __slots__ = ()
    reduce = staticmethod(np.min)


class Var(_Reduction):
    """out = Σ_axis (a - ā)² / (n - ddof)      vjp: g·2(a - ā) / (n - ddof)
    jvp: Σ_axis da·2(a - ā) / (n - ddof)

    One primitive with PyTorch's closed-form rule: the path through the mean ā contributes
    Σ(a - ā) = 0 and is left out, so an inf entry does not turn every gradient into NaN.
    """

    __slots__ = ("ddof",)
    saves = (0,)

    def __init__(self, axis, keepdims, ddof):
        super().__init__(axis, keepdims)
        self.ddof = ddof

    def forward(self, a):
        return self.reduce(a, axis=self.axis, keepdims=self.keepdims, ddof=self.ddof,
                           dtype=_wide(a.dtype)).astype(a.dtype, copy=False)

    reduce = staticmethod(np.var)

    def _count(self):
        a = self.inputs[0]
        return int(np.prod([a.shape[i] for i in self.axis])) - self.ddof

    def _centred(self):
        a = self.inputs[0]
        return a - mean(a, self.axis, keepdims=True)

    def vjp(self, out, g):
        return (self._spread(g * (2.0 / self._count())) * self._centred(),)

    def jvp(self, out, da):
        return Sum(self.axis, self.keepdims)(da * self._centred()) * (2.0 / self._count())


class Std(Var):
    """out = √(Σ_axis (a - ā)² / (n - ddof))      vjp: g·(a - ā) / ((n - ddof)·out)
    jvp: Σ_axis da·(a - ā) / ((n - ddof)·out)

    Where out = 0 (a constant input) the derivative is 0, as in PyTorch, instead of the
    0·inf = NaN of sqrt(var)'s rule, which would spread from one constant feature through a
    whole model.
    """

    __slots__ = ()
    saves = (0, "out")

    reduce = staticmethod(np.std)

    def _scaled(self, g, out):
        """g / ((n - ddof)·out), and 0 where out = 0 (whatever g is there)."""
        zero = out._data == 0
        return where(zero, 0.0, g / (where(zero, 1.0, out) * self._count()))

    def vjp(self, out, g):
        return (self._spread(self._scaled(g, out)) * self._centred(),)

    def jvp(self, out, da):
        return self._scaled(Sum(self.axis, self.keepdims)(da * self._centred()), out)


class LogSumExp(_Reduction):
    """out = log Σ_axis exp(a)      vjp: g·softmax(a)      jvp: Σ_axis da·softmax(a)

    Computed as m + log Σ exp(a - m) with m the (finite) max, so large inputs never overflow;
    all -inf gives -inf.
    """

    __slots__ = ()
    saves = (0, "out")

    def forward(self, a):
        m = _finite_max(a, self.axis)
        with np.errstate(divide="ignore"):
            out = np.log(np.sum(np.exp(a - m), axis=self.axis, keepdims=True)) + m
        return out if self.keepdims else np.squeeze(out, axis=self.axis)

    def _softmax(self, out):
        a = self.inputs[0]
        if not self.keepdims:
            out = reshape(out, reduced_shape(a.shape, self.axis))
        return (a - out).exp()

    def vjp(self, out, g):
        return (self._spread(g) * self._softmax(out),)

    def jvp(self, out, da):
        return Sum(self.axis, self.keepdims)(da * self._softmax(out))


class Prod(_Reduction):
    """out = Π_axis a      vjp: g·Π_{others}      jvp: Σ_axis da·Π_{others}

    Π_{others} (the product of every other entry of the slice) is out / a where no entry is
    0; otherwise it is the product of the entries before times the product of those after,
    two running products, which stay exact (and differentiable) with zeros.
    """

    __slots__ = ()

    def forward(self, a):
        return np.prod(a, axis=self.axis, keepdims=self.keepdims)

    def _others(self, out):
        a = self.inputs[0]
        if (a._data != 0).all():
            kept = out if self.keepdims else reshape(out, reduced_shape(a.shape, self.axis))
            return kept / a
        from .scan import Cumprod
        from .shape import concatenate, transpose
        from .views import Flip

        rest = tuple(i for i in range(a.ndim) if i not in self.axis)
        order = rest + self.axis
        moved = transpose(a, order)
        rows = reshape(moved, moved.shape[:len(rest)] + (-1,))  # (..., n): one slice a row
        last = rows.ndim - 1

        def before(x):  # Π_{i<k} x_i along the last axis
            ones = const(np.ones(x.shape[:-1] + (1,)), x.dtype)
            return Cumprod(last)(concatenate([ones, x[..., :-1]], last))

        def flip(x):
            return Flip((last,))(x)

        others = reshape(before(rows) * flip(before(flip(rows))), moved.shape)
        return transpose(others, tuple(np.argsort(order).tolist()))

    def vjp(self, out, g):
        return (self._spread(g) * self._others(out),)

    def jvp(self, out, da):
        return Sum(self.axis, self.keepdims)(da * self._others(out))


class Norm(_Reduction):
    """out = (Σ_axis |a|ᵖ)^(1/p)      vjp: g·w      jvp: Σ_axis da·w

    w = sign(a)·|a|^(p-1) / out^(p-1) (a / out for p = 2), taken as 0 where out = 0: the
    subgradient PyTorch picks at the kink, so the norm of a zero vector has gradient 0.
    """

    __slots__ = ("p",)

    def __init__(self, p, axis, keepdims):
        super().__init__(axis, keepdims)
        self.p = p

    def forward(self, a):
        m = np.abs(a)
        if self.p == 2:
            return np.sqrt(np.sum(m * m, axis=self.axis, keepdims=self.keepdims))
        return np.sum(m ** self.p, axis=self.axis, keepdims=self.keepdims) ** (1.0 / self.p)

    def _weight(self, out):
        a, p = self.inputs[0], self.p
        if not self.keepdims:
            out = reshape(out, reduced_shape(a.shape, self.axis))
        zero = out._data == 0
        safe = where(zero, 1.0, out)
        if p == 2:
            w = a / safe
        elif p == 1:
            w = const(np.sign(a._data), a.dtype)
        else:
            w = const(np.sign(a._data), a.dtype) * a.abs() ** (p - 1) / safe ** (p - 1)
        return where(zero, 0.0, w)

    def vjp(self, out, g):
        return (self._spread(g) * self._weight(out),)

    def jvp(self, out, da):
        return Sum(self.axis, self.keepdims)(da * self._weight(out))


class LogSoftmax(Op):
    """out = a - logsumexp_axis(a)      vjp: g - softmax·Σ_axis g      jvp: da - Σ_axis softmax·da

    (softmax = exp(out).) One primitive, for speed and accuracy: the inputs are shifted by
    their max before exp, and the shifted values are reused, so large inputs neither overflow
    nor lose the answer's digits (a - logsumexp(a) would at |a| ≈ 1000 in float32).
    """

    __slots__ = ("axis",)
    saves = ("out",)

    def __init__(self, axis):
        self.axis = axis  # a normalised tuple

    def forward(self, a):
        m = np.max(a, axis=self.axis, keepdims=True) if a.size else np.zeros((), a.dtype)
        # (a +inf entry makes its row NaN, as in PyTorch; a row of -inf has no max to shift by)
        shifted = a - np.where(np.isneginf(m), np.zeros((), a.dtype), m)
        with np.errstate(divide="ignore"):
            return shifted - np.log(np.sum(np.exp(shifted), axis=self.axis, keepdims=True))

    def vjp(self, out, g):
        return (g - out.exp() * g.sum(self.axis, keepdims=True),)

    def jvp(self, out, da):
        return da - (out.exp() * da).sum(self.axis, keepdims=True)


def _wide(dtype):
    """The dtype to accumulate squares in: float32's 1e30 squared overflows, float64's does
    not (PyTorch's float32 std of such values is finite too)."""
    return np.float64 if dtype.kind == "f" and dtype.itemsize < 8 else None


def _finite_max(a, axis):
    """The max over `axis` (kept as size-1 axes) as a shift for exp: 0 where it is not finite
    (all -inf) and for an empty array."""
    m = np.max(a, axis=axis, keepdims=True) if a.size else np.zeros((1,) * a.ndim, a.dtype)
    return np.where(np.isfinite(m), m, 0)


def sum(input, dim=None, keepdim=None, *, dtype=None, axis=UNSET, keepdims=UNSET):
    """Σ over `dim` (all by default); `dtype=` casts first, as PyTorch's does."""
    a = as_tensor(input) if dtype is None else astype(input, dtype)
    axes, keep, _ = dims("sum", a.ndim, dim, keepdim, axis, keepdims)
    return Sum(axes, keep)(a)


def mean(input, dim=None, keepdim=None, *, dtype=None, axis=UNSET, keepdims=UNSET):
    """Σ / count over `dim`; integer input is averaged in the default float dtype, and an
    average over zero elements is NaN (PyTorch's answer)."""
    a = floating(input) if dtype is None else astype(input, dtype)
    axes, keep, _ = dims("mean", a.ndim, dim, keepdim, axis, keepdims)
    count = _count(a, axes)
    return Sum(axes, keep)(a) * (1.0 / count if count else float("nan"))


def var(input, dim=None, unbiased=None, keepdim=None, *, correction=None, axis=UNSET,
        keepdims=UNSET, ddof=UNSET):
    """Σ (a - mean)² / max(0, N - correction) over `dim`.

    The PyTorch spelling is unbiased by default (correction=1; `unbiased=False` means 0); a
    NumPy-spelled call (`axis=`, `keepdims=` or `ddof=`) defaults to ddof=0, as NumPy does.
    N ≤ correction gives inf, or NaN for 0/0, as in PyTorch.
    """
    a = floating(input)
    axes, keep, numpy_spelled = dims("var", a.ndim, dim, keepdim, axis, keepdims)
    c = _correction("var", unbiased, correction, ddof, numpy_spelled)
    divisor = builtins.max(0, _count(a, axes) - c)
    if divisor:  # one primitive: its rule is finite at a constant input (0, as PyTorch)
        return Var(axes, keep, c)(a)
    centred = a - mean(a, axes, True)
    total = Sum(axes, keep)(centred * centred)
    if divisor:
        return total * (1.0 / divisor)
    with np.errstate(invalid="ignore"):
        return total * float("inf")


def std(input, dim=None, unbiased=None, keepdim=None, *, correction=None, axis=UNSET,
        keepdims=UNSET, ddof=UNSET):
    """√var, with var's spellings and defaults."""
    a = floating(input)
    axes, keep, numpy_spelled = dims("std", a.ndim, dim, keepdim, axis, keepdims)
    c = _correction("std", unbiased, correction, ddof, numpy_spelled)
    if _count(a, axes) - c > 0:  # one primitive: gradient 0 at a constant input, as PyTorch
        return Std(axes, keep, c)(a)
    return var(input, dim, unbiased, keepdim, correction=correction, axis=axis,
               keepdims=keepdims, ddof=ddof).sqrt()


def var_mean(input, dim=None, unbiased=None, keepdim=None, *, correction=None):
    """(var, mean) over `dim`, var with var's defaults."""
    return (var(input, dim, unbiased, keepdim, correction=correction),
            mean(input, dim, keepdim))


def std_mean(input, dim=None, unbiased=None, keepdim=None, *, correction=None):
    """(std, mean) over `dim`, std with std's defaults."""
    return (std(input, dim, unbiased, keepdim, correction=correction),
            mean(input, dim, keepdim))


def _count(a, axes):
    return int(np.prod([a.shape[i] for i in axes]))


def _correction(call, unbiased, correction, ddof, numpy_spelled):
    given = [n for n, v in (("unbiased", unbiased), ("correction", correction)) if v is not None]
    if ddof is not UNSET:
        given.append("ddof")
    if len(given) > 1:
        raise TypeError(f"{call}: got both {given[0]}= and {given[1]}=; give one")
    if ddof is not UNSET:
        return ddof
    if correction is not None:
        return correction
    if unbiased is not None:
        return int(bool(unbiased))
    return 0 if numpy_spelled else 1


def logsumexp(input, dim=None, keepdim=None, *, axis=UNSET, keepdims=UNSET):
    a = floating(input)
    axes, keep, _ = dims("logsumexp", a.ndim, dim, keepdim, axis, keepdims)
    return LogSumExp(axes, keep)(a)


def log_softmax(input, dim=None, *, dtype=None, axis=UNSET, _call="log_softmax"):
    """The log-probabilities a - logsumexp(a) along `dim` (the last by default), stable for
    any size of input. A 0-d tensor is its own only entry: its log-probability is 0."""
    a = floating(input) if dtype is None else astype(input, dtype)
    d = single(_call, a.ndim, dim, axis, default=-1 % builtins.max(a.ndim, 1))
    return LogSoftmax((d,) if a.ndim else ())(a)


def softmax(input, dim=None, *, dtype=None, axis=UNSET):
    """exp(log_softmax(a)): never overflows, and rows sum to 1."""
    return log_softmax(input, dim, dtype=dtype, axis=axis, _call="softmax").exp()


def prod(input, dim=None, keepdim=None, *, dtype=None, axis=UNSET, keepdims=UNSET):
    a = as_tensor(input) if dtype is None else astype(input, dtype)
    axes, keep, _ = dims("prod", a.ndim, dim, keepdim, axis, keepdims)
    if a._data.dtype.kind in "biu":  # integers multiply in int64, as in PyTorch
        return Tensor._make(np.prod(a._data, axis=axes, keepdims=keep, dtype=np.int64))
    return Prod(axes, keep)(a)


def norm(input, p="fro", dim=None, keepdim=False, dtype=None, *, axis=UNSET, keepdims=UNSET):
    """The p-norm over `dim` (all entries by default): (Σ|a|ᵖ)^(1/p); "fro" is p = 2,
    ±inf the largest/smallest |a|, 0 the count of non-zero entries."""
    a = floating(input) if dtype is None else astype(input, dtype)
    axes, keep, _ = dims("norm", a.ndim, dim, keepdim or None, axis, keepdims)
    if p == "fro":
        p = 2
    if not isinstance(p, (int, float)) or p != p or p < 0 and p != -np.inf:
        raise ValueError(f"norm: p must be 'fro', a non-negative number or ±inf, got {p!r}")
    if p == np.inf:
        return Max(axes, keep)(a.abs())
    if p == -np.inf:
        return Min(axes, keep)(a.abs())
    if p == 0:
        return Tensor._make(np.sum(a._data != 0, axis=axes, keepdims=keep).astype(a.dtype))
    return Norm(p, axes, keep)(a)
