"""Reductions over axes. The reverse rule of each reshapes the cotangent back to the
keepdims shape and broadcasts it over the reduced axes; mean, var and std are compositions."""

import numpy as np

from ..op import Op
from ..shapes import normalize_axes, reduced_shape
from ._util import as_tensor, const
from .arithmetic import where
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


def sum(a, axis=None, keepdims=False):
    a = as_tensor(a)
    return Sum(normalize_axes("sum", axis, a.ndim), keepdims)(a)


def mean(a, axis=None, keepdims=False):
    a = as_tensor(a)
    axes = normalize_axes("mean", axis, a.ndim)
    count = int(np.prod([a.shape[i] for i in axes]))
    if count == 0:
        raise ValueError(f"mean: cannot average over zero elements of a tensor of shape "
                         f"{a.shape}")
    return Sum(axes, keepdims)(a) * (1.0 / count)


def max(a, axis=None, keepdims=False):
    a = as_tensor(a)
    return Max(normalize_axes("max", axis, a.ndim), keepdims, axis is None and not keepdims)(a)


def min(a, axis=None, keepdims=False):
    a = as_tensor(a)
    return Min(normalize_axes("min", axis, a.ndim), keepdims, axis is None and not keepdims)(a)


def var(a, axis=None, keepdims=False, ddof=0):
    """Σ (a - mean)² / (n - ddof) over the axes."""
    a = as_tensor(a)
    axes = normalize_axes("var", axis, a.ndim)
    _degrees_of_freedom("var", a, axes, ddof)
    return Var(axes, keepdims, ddof)(a)


def std(a, axis=None, keepdims=False, ddof=0):
    a = as_tensor(a)
    axes = normalize_axes("std", axis, a.ndim)
    _degrees_of_freedom("std", a, axes, ddof)
    return Std(axes, keepdims, ddof)(a)


def _degrees_of_freedom(name, a, axes, ddof):
    count = int(np.prod([a.shape[i] for i in axes]))
    if count - ddof <= 0:
        raise ValueError(f"{name}: {count} elements with ddof={ddof} leave no degrees of "
                         "freedom")


def logsumexp(a, axis=None, keepdims=False):
    a = as_tensor(a)
    return LogSumExp(normalize_axes("logsumexp", axis, a.ndim), keepdims)(a)


def log_softmax(a, axis=-1):
    """The log-probabilities a - logsumexp(a) along `axis`, stable for any size of input."""
    a = as_tensor(a)
    return LogSoftmax(normalize_axes("log_softmax", axis, a.ndim))(a)


def softmax(a, axis=-1):
    """exp(log_softmax(a)): never overflows, and rows sum to 1."""
    a = as_tensor(a)
    return LogSoftmax(normalize_axes("softmax", axis, a.ndim))(a).exp()
