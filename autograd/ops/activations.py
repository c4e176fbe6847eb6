"""Activation functions that need a primitive of their own, for stability or because NumPy
has no ufunc for them: softplus (its threshold and an overflow-free log(1 + eˣ)), ELU (e^x
evaluated only where x ≤ 0) and erf (for the exact GELU). Compositions of these stay in
nn.functional."""

import math

import numpy as np

from ..op import Op
from ._util import as_tensor, const
from .arithmetic import where
from .unary import exp, sigmoid


class Softplus(Op):
    """out = log(1 + e^(βa)) / β, or a where βa > threshold (PyTorch's linear tail)
    vjp: g·s      jvp: da·s,   s = σ(βa), or 1 where βa > threshold"""

    __slots__ = ("beta", "threshold")

    def __init__(self, beta, threshold):
        self.beta, self.threshold = beta, threshold

    def forward(self, a):
        z = a * self.beta
        return np.where(z > self.threshold, a, np.logaddexp(0, z) / self.beta).astype(a.dtype)

    def _slope(self):
        a = self.inputs[0]
        linear = const(a._data * self.beta > self.threshold, bool)
        return where(linear, 1.0, sigmoid(a * self.beta))

    def vjp(self, out, g):
        return (g * self._slope(),)

    def jvp(self, out, da):
        return da * self._slope()


class Elu(Op):
    """out = a if a > 0 else α(eᵃ - 1)
    vjp: g·s      jvp: da·s,   s = 1 if a > 0 else out + α  (= αeᵃ)"""

    __slots__ = ("alpha",)

    def __init__(self, alpha):
        self.alpha = alpha

    def forward(self, a):
        negative = self.alpha * np.expm1(np.minimum(a, 0))  # no e^a for large a: no overflow
        return np.where(a > 0, a, negative).astype(a.dtype)

    def _slope(self, out):
        return where(const(self.inputs[0]._data > 0, bool), 1.0, out + self.alpha)

    def vjp(self, out, g):
        return (g * self._slope(out),)

    def jvp(self, out, da):
        return da * self._slope(out)


_erf = np.frompyfunc(math.erf, 1, 1)  # NumPy has no erf; math.erf is exact to the last bit


class Erf(Op):
    """out = erf(a) = (2/√π) ∫₀ᵃ e^(-t²) dt      vjp: g·(2/√π)e^(-a²)      jvp: da·(2/√π)e^(-a²)"""

    __slots__ = ()

    def forward(self, a):
        return np.asarray(_erf(a), dtype=a.dtype if a.dtype.kind == "f" else np.float64)

    def _slope(self):
        a = self.inputs[0]
        return exp(-(a * a)) * (2.0 / math.sqrt(math.pi))

    def vjp(self, out, g):
        return (g * self._slope(),)

    def jvp(self, out, da):
        return da * self._slope()


def softplus(a, beta=1.0, threshold=20.0):
    return Softplus(beta, threshold)(as_tensor(a))


def elu(a, alpha=1.0):
    return Elu(alpha)(as_tensor(a))


def erf(a):
    return Erf()(as_tensor(a))
