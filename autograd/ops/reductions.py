"""Reductions over axes. The reverse rule of each reshapes the cotangent back to the
keepdims shape and broadcasts it over the reduced axes; mean, var and std are compositions."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from ..op import Op
from ..shapes import normalize_axes, reduced_shape
from ._util import as_tensor, const
from .shape import broadcast_to, reshape

if TYPE_CHECKING:
    from ..tensor import Tensor


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

    def forward(self, a):
        return np.sum(a, axis=self.axis, keepdims=self.keepdims)

    def vjp(self, out, g):
        return (self._spread(g),)

    def jvp(self, out, da):
        return Sum(self.axis, self.keepdims)(da)


class Max(_Reduction):
    """out = max_axis a      vjp: g·w      jvp: Σ_axis da·w

    w = 1/k on each of the k entries that attain the maximum (ties share), 0 elsewhere.
    """

    __slots__ = ()
    reduce = staticmethod(np.max)

    def forward(self, a):
        if any(a.shape[i] == 0 for i in self.axis):
            raise ValueError(f"{self.name.lower()}: cannot reduce over an empty axis of a "
                             f"tensor of shape {a.shape}")
        return self.reduce(a, axis=self.axis, keepdims=self.keepdims)

    def _weight(self, out):
        a = self.inputs[0]._data
        hit = a == self.reduce(a, axis=self.axis, keepdims=True)
        return const(hit / hit.sum(axis=self.axis, keepdims=True), out.dtype)

    def vjp(self, out, g):
        return (self._spread(g) * self._weight(out),)

    def jvp(self, out, da):
        return Sum(self.axis, self.keepdims)(da * self._weight(out))


class Min(Max):
    """out = min_axis a      vjp: g·w      jvp: Σ_axis da·w   (w as for Max)"""

    __slots__ = ()
    reduce = staticmethod(np.min)


class LogSumExp(_Reduction):
    """out = log Σ_axis exp(a)      vjp: g·softmax(a)      jvp: Σ_axis da·softmax(a)

    Computed as m + log Σ exp(a - m) with m the (finite) max, so large inputs never overflow;
    all -inf gives -inf.
    """

    __slots__ = ()

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

    def __init__(self, axis):
        self.axis = axis  # a normalised tuple

    def forward(self, a):
        shifted = a - _finite_max(a, self.axis)
        with np.errstate(divide="ignore"):
            return shifted - np.log(np.sum(np.exp(shifted), axis=self.axis, keepdims=True))

    def vjp(self, out, g):
        return (g - out.exp() * g.sum(self.axis, keepdims=True),)

    def jvp(self, out, da):
        return da - (out.exp() * da).sum(self.axis, keepdims=True)


def _finite_max(a, axis):
    """The max over `axis` (kept as size-1 axes) as a shift for exp: 0 where it is not finite
    (all -inf) and for an empty array."""
    m = np.max(a, axis=axis, keepdims=True) if a.size else np.zeros((1,) * a.ndim, a.dtype)
    return np.where(np.isfinite(m), m, 0)


def sum(a: Tensor | ArrayLike, axis: int | tuple[int, ...] | None = None,
        keepdims: bool = False) -> Tensor:
    a = as_tensor(a)
    return Sum(normalize_axes("sum", axis, a.ndim), keepdims)(a)


def mean(a: Tensor | ArrayLike, axis: int | tuple[int, ...] | None = None,
         keepdims: bool = False) -> Tensor:
    a = as_tensor(a)
    axes = normalize_axes("mean", axis, a.ndim)
    count = int(np.prod([a.shape[i] for i in axes]))
    if count == 0:
        raise ValueError(f"mean: cannot average over zero elements of a tensor of shape "
                         f"{a.shape}")
    return Sum(axes, keepdims)(a) * (1.0 / count)


def max(a: Tensor | ArrayLike, axis: int | tuple[int, ...] | None = None, keepdims: bool = False):
    a = as_tensor(a)
    return Max(normalize_axes("max", axis, a.ndim), keepdims)(a)


def min(a: Tensor | ArrayLike, axis: int | tuple[int, ...] | None = None, keepdims: bool = False):
    a = as_tensor(a)
    return Min(normalize_axes("min", axis, a.ndim), keepdims)(a)


def var(a: Tensor | ArrayLike, axis: int | tuple[int, ...] | None = None, keepdims: bool = False,
        ddof: float = 0) -> Tensor:
    """Σ (a - mean)² / (n - ddof) over the axes."""
    a = as_tensor(a)
    axes = normalize_axes("var", axis, a.ndim)
    count = int(np.prod([a.shape[i] for i in axes]))
    if count - ddof <= 0:
        raise ValueError(f"var: {count} elements with ddof={ddof} leave no degrees of freedom")
    centred = a - mean(a, axes, keepdims=True)
    return Sum(axes, keepdims)(centred * centred) * (1.0 / (count - ddof))


def std(a: Tensor | ArrayLike, axis: int | tuple[int, ...] | None = None, keepdims: bool = False,
        ddof: float = 0) -> Tensor:
    return var(a, axis, keepdims, ddof).sqrt()


def logsumexp(a: Tensor | ArrayLike, axis: int | tuple[int, ...] | None = None,
              keepdims: bool = False) -> Tensor:
    a = as_tensor(a)
    return LogSumExp(normalize_axes("logsumexp", axis, a.ndim), keepdims)(a)


def log_softmax(a: Tensor | ArrayLike, axis: int | tuple[int, ...] | None = -1) -> Tensor:
    """The log-probabilities a - logsumexp(a) along `axis`, stable for any size of input."""
    a = as_tensor(a)
    return LogSoftmax(normalize_axes("log_softmax", axis, a.ndim))(a)


def softmax(a: Tensor | ArrayLike, axis: int | tuple[int, ...] | None = -1) -> Tensor:
    """exp(log_softmax(a)): never overflows, and rows sum to 1."""
    return log_softmax(a, axis).exp()
