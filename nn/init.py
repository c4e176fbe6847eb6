"""Initialisers under PyTorch's names (`uniform_`, `kaiming_uniform_`, ...), and the random
generator that they, dropout and shuffling share.

Each initialiser fills a tensor's array in place and returns the tensor. Random draws come
from `generator=` if given, else from the library's one generator (`autograd.random`):
`nn.init.manual_seed(s)` (also `nn.manual_seed`, `autograd.manual_seed`) reseeds it, so a model
built after the same seed is the same model. It starts from a fixed seed, so runs are
reproducible by default.
"""

import math

import numpy as np

from autograd import Tensor, no_grad
from autograd import random as _random


def manual_seed(seed):
    """Seed the library's one generator (factories, initialisers, dropout, shuffling): the
    same as `autograd.manual_seed`."""
    return _random.manual_seed(seed)


def default_generator():
    """The shared `np.random.Generator` that draws when no `generator=` is given."""
    return _random.default_generator.rng


def _rng(generator):
    return _random.numpy_rng(generator, "init")


def _fill(tensor, values, name):
    """Write `values` into the tensor's array (cast to its dtype), as an untracked update."""
    if isinstance(tensor, np.ndarray):
        tensor[...] = values
        return tensor
    if not isinstance(tensor, Tensor):
        raise TypeError(f"init.{name}: expected a Tensor or ndarray, got {type(tensor).__name__}")
    if tensor.dtype.kind != "f":
        raise TypeError(f"init.{name}: expected a floating tensor, got dtype {tensor.dtype}")
    with no_grad():
        tensor[...] = np.asarray(values, dtype=tensor.dtype)
    return tensor


def calculate_gain(nonlinearity, param=None):
    """The gain that keeps activations' variance steady through `nonlinearity`:
    1 for linear/conv/sigmoid, 5/3 for tanh, √2 for relu, √(2 / (1 + slope²)) for leaky_relu
    (slope = `param`, default 0.01), 3/4 for selu."""
    linear = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
              "conv_transpose3d", "sigmoid")
    if nonlinearity in linear:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            slope = param
        else:
            raise ValueError(f"calculate_gain: negative_slope {param!r} is not a valid number")
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"calculate_gain: unsupported nonlinearity {nonlinearity!r}")


def _calculate_fan_in_and_fan_out(tensor):
    """fan_in = shape[1]·receptive field, fan_out = shape[0]·receptive field, where the
    receptive field is the product of shape[2:] (1 for a Linear weight (out, in))."""
    shape = tensor.shape
    if len(shape) < 2:
        raise ValueError(f"init: fan in and fan out cannot be computed for a tensor of shape "
                         f"{tuple(shape)} (fewer than 2 dimensions)")
    receptive = int(np.prod(shape[2:])) if len(shape) > 2 else 1
    return shape[1] * receptive, shape[0] * receptive


def _fan(tensor, mode, name):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"init.{name}: mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    fan = fan_in if mode == "fan_in" else fan_out
    if fan == 0:
        raise ValueError(f"init.{name}: cannot initialise a tensor of shape {tensor.shape} "
                         "with a zero fan")
    return fan


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    """Fill with draws from U(a, b)."""
    if not a <= b:
        raise ValueError(f"init.uniform_: need a <= b, got a={a}, b={b}")
    return _fill(tensor, _rng(generator).uniform(a, b, tensor.shape), "uniform_")


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    """Fill with draws from N(mean, std²)."""
    if not std >= 0:
        raise ValueError(f"init.normal_: std must be >= 0, got {std}")
    return _fill(tensor, _rng(generator).normal(mean, std, tensor.shape), "normal_")


def constant_(tensor, val):
    """Fill with the value `val`."""
    return _fill(tensor, np.full(tensor.shape, val), "constant_")


def zeros_(tensor):
    return constant_(tensor, 0.0)


def ones_(tensor):
    return constant_(tensor, 1.0)


def xavier_uniform_(tensor, gain=1.0, generator=None):
    """Glorot: U(-b, b) with b = gain·√(6 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor, gain=1.0, generator=None):
    """Glorot: N(0, σ²) with σ = gain·√(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), generator)


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """He: U(-b, b) with b = gain·√(3 / fan), gain = calculate_gain(nonlinearity, a).

    Linear and Conv2d use a = √5, which makes b = 1/√fan_in (PyTorch's default)."""
    fan = _fan(tensor, mode, "kaiming_uniform_")
    bound = calculate_gain(nonlinearity, a) * math.sqrt(3.0 / fan)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """He: N(0, σ²) with σ = gain / √fan, gain = calculate_gain(nonlinearity, a)."""
    fan = _fan(tensor, mode, "kaiming_normal_")
    return normal_(tensor, 0.0, calculate_gain(nonlinearity, a) / math.sqrt(fan), generator)
