"""Activation functions beyond ReLU/LeakyReLU/Sigmoid/Tanh/Softmax (which live in
nn/layers.py): each as a function under PyTorch's `F.` name and as a Module.

Softplus, ELU and erf (under the exact GELU) are engine primitives (autograd/ops/activations.py)
for stability; the rest are compositions of engine ops. `inplace=True` is accepted for
PyTorch compatibility; the result is always a new tensor.
"""

import math

import numpy as np

import autograd as ag
from autograd import ShapeError, Tensor
from autograd.ops import activations as ops

from .module import Module, Parameter


def _tensor(x):
    return x if isinstance(x, Tensor) else Tensor(x)


# --- functional --------------------------------------------------------------------------
def elu(input, alpha=1.0, inplace=False):
    """x if x > 0 else α(eˣ - 1)"""
    return ops.elu(_tensor(input), alpha)


def gelu(input, approximate="none"):
    """x·Φ(x) = x/2·(1 + erf(x/√2)); approximate="tanh": x/2·(1 + tanh(√(2/π)(x + 0.044715x³)))."""
    x = _tensor(input)
    if approximate == "none":
        return x * 0.5 * (ops.erf(x * (1 / math.sqrt(2))) + 1.0)
    if approximate == "tanh":
        inner = (x + x * x * x * 0.044715) * math.sqrt(2 / math.pi)
        return x * 0.5 * (ag.tanh(inner) + 1.0)
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


def silu(input, inplace=False):
    """x·σ(x) (also called swish)"""
    x = _tensor(input)
    return x * ag.sigmoid(x)


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + e^(βx)) / β, and x itself where βx > threshold (as PyTorch)."""
    if beta == 0:
        raise ValueError("softplus: beta must be non-zero")
    return ops.softplus(_tensor(input), beta, threshold)


def softsign(input):
    """x / (1 + |x|)"""
    x = _tensor(input)
    return x / (ag.abs(x) + 1.0)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """min(max(x, min_val), max_val); the gradient is 1 strictly inside, 0 at and beyond the
    edges (as PyTorch)."""
    if min_val > max_val:
        raise ValueError(f"hardtanh: min_val ({min_val}) cannot be greater than max_val "
                         f"({max_val})")
    x = _tensor(input)
    inside = (x._data > min_val) & (x._data < max_val)
    return ag.where(inside, x, Tensor(np.clip(x._data, min_val, max_val)))


def prelu(input, weight):
    """x if x > 0 else a·x, with a learnable slope per channel (axis 1) or one shared slope."""
    x = _tensor(input)
    count = weight.numel() if isinstance(weight, Tensor) else np.size(weight)
    if count != 1:
        channels = x.shape[1] if x.ndim >= 2 else 1
        if weight.ndim != 1 or count != channels:
            raise ShapeError(f"prelu: weight of shape {tuple(weight.shape)} does not match the "
                             f"{channels} channels of an input of shape {x.shape}")
        weight = weight.reshape((count,) + (1,) * (x.ndim - 2))
    return ag.where(x._data > 0, x, weight * x)


def glu(input, dim=-1):
    """a·σ(b), where a and b are the two halves of the input along `dim`."""
    x = _tensor(input)
    axis = dim % x.ndim if x.ndim else 0
    if x.ndim == 0 or x.shape[axis] % 2:
        raise ShapeError(f"glu: halving dimension must be even, but dimension {dim} of shape "
                         f"{x.shape} is not")
    half = x.shape[axis] // 2
    first = (slice(None),) * axis + (slice(None, half),)
    second = (slice(None),) * axis + (slice(half, None),)
    return x[first] * ag.sigmoid(x[second])


# --- modules -----------------------------------------------------------------------------
class _Inplace(Module):
    """An activation whose only option is PyTorch's `inplace` (accepted, never in place)."""

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class ELU(_Inplace):
    """x if x > 0 else α(eˣ - 1)."""

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__(inplace)
        self.alpha = alpha

    def forward(self, input):
        return elu(input, self.alpha)

    def extra_repr(self):
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class GELU(Module):
    """x·Φ(x), Φ the standard normal CDF (exact, or its tanh approximation)."""

    def __init__(self, approximate="none"):
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, input):
        return gelu(input, self.approximate)

    def extra_repr(self):
        return f"approximate={self.approximate!r}"


class SiLU(_Inplace):
    """x·σ(x)."""

    def forward(self, input):
        return silu(input)


class Softplus(Module):
    """log(1 + e^(βx)) / β, linear above threshold/β."""

    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input):
        return softplus(input, self.beta, self.threshold)

    def extra_repr(self):
        return f"beta={self.beta}, threshold={self.threshold}"


class Softsign(Module):
    """x / (1 + |x|)."""

    def forward(self, input):
        return softsign(input)


class Hardtanh(_Inplace):
    """x clipped to [min_val, max_val]."""

    def __init__(self, min_val=-1.0, max_val=1.0, inplace=False):
        super().__init__(inplace)
        if min_val > max_val:
            raise ValueError(f"Hardtanh: min_val ({min_val}) cannot be greater than max_val "
                             f"({max_val})")
        self.min_val, self.max_val = min_val, max_val

    def forward(self, input):
        return hardtanh(input, self.min_val, self.max_val)

    def extra_repr(self):
        return (f"min_val={self.min_val}, max_val={self.max_val}"
                + (", inplace=True" if self.inplace else ""))


class GLU(Module):
    """Gated linear unit: a·σ(b) for the two halves a, b of the input along `dim`."""

    def __init__(self, dim=-1):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return glu(input, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class PReLU(Module):
    """x if x > 0 else a·x with a learnable `weight` a: one slope, or one per channel
    (num_parameters = C of an (N, C, ...) input), each initialised to `init`."""

    def __init__(self, num_parameters=1, init=0.25):
        super().__init__()
        if isinstance(num_parameters, bool) or not isinstance(num_parameters, int) or \
                num_parameters < 1:
            raise ValueError(f"PReLU: num_parameters must be a positive int, got "
                             f"{num_parameters!r}")
        self.num_parameters, self.init = num_parameters, init
        self.weight = Parameter(np.full(num_parameters, init))

    def reset_parameters(self):
        self.weight._data[...] = self.init

    def forward(self, input):
        return prelu(input, self.weight)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"


__all__ = [
    "ELU", "GELU", "GLU", "Hardtanh", "PReLU", "SiLU", "Softplus", "Softsign", "elu", "gelu",
    "glu", "hardtanh", "prelu", "silu", "softplus", "softsign",
]
