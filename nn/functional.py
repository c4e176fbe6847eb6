"""The function forms of the layers and losses, under PyTorch's names: `import nn.functional as F`.

Each is defined once (the layers call these); convolution and pooling live in `nn/conv.py`, the
losses in `nn/losses.py`, and are re-exported here. Every function is a composition of engine
ops, so gradients, higher derivatives and forward mode all come for free.
"""

import numbers

import numpy as np

import autograd as ag
from autograd import ShapeError, Tensor, no_grad

from . import init
from .conv import conv2d, max_pool2d
from .losses import (
    OutOfRangeError,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    check_index_range,
    class_indices,
    cross_entropy,
    hinge_loss,
    l1_loss,
    mse_loss,
    nll_loss,
    softplus,
)


def _tensor(x, like=None):
    """Tensors pass as they are; raw data becomes a Tensor (of `like`'s dtype, for floats)."""
    if isinstance(x, Tensor):
        return x
    array = np.asarray(x)
    if like is not None and array.dtype.kind in "iuf":
        array = array.astype(like.dtype)
    return Tensor(array)


# --- activations -------------------------------------------------------------------------
def relu(input):
    """max(x, 0)"""
    return ag.relu(_tensor(input))


def leaky_relu(input, negative_slope=0.01):
    """x if x > 0 else negative_slope·x"""
    return ag.leaky_relu(_tensor(input), negative_slope)


def sigmoid(input):
    """1 / (1 + e⁻ˣ)"""
    return ag.sigmoid(_tensor(input))


def tanh(input):
    return ag.tanh(_tensor(input))


def softmax(input, dim=-1):
    """exp(x_i) / Σ_j exp(x_j) along `dim`."""
    return ag.softmax(_tensor(input), axis=-1 if dim is None else dim)


def log_softmax(input, dim=-1):
    """x_i - logsumexp(x) along `dim`."""
    return ag.log_softmax(_tensor(input), axis=-1 if dim is None else dim)


# --- linear, dropout ---------------------------------------------------------------------
def linear(input, weight, bias=None):
    """y = x Wᵀ + b for x (*, in_features), W (out_features, in_features), b (out_features,)."""
    return ag.linear(_tensor(input, weight), weight, bias)


def _check_probability(p, name):
    if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0.0 <= p <= 1.0:
        raise ValueError(f"{name}: dropout probability has to be between 0 and 1, got {p!r}")


def dropout(input, p=0.5, training=True, inplace=False, generator=None):
    """Inverted dropout: each entry is zeroed with probability p and the survivors are scaled
    by 1 / (1 - p), so the expected output is x; the identity when not training (or p = 0).
    The mask comes from `generator`, else from nn.init's shared generator. `inplace` is
    accepted for PyTorch compatibility; the result is always a new tensor."""
    _check_probability(p, "dropout")
    x = _tensor(input)
    if not training or p == 0:
        return x
    if p == 1:
        return x * 0.0
    with ag.no_grad():  # the mask is a constant factor, drawn by an op: a compiled replay
        mask = DropoutMask(p, generator)(x)  # re-runs the op, so each replay draws afresh
    return x * mask


class DropoutMask(ag.Op):
    """out = (u >= p) / (1 - p) with u uniform in [0, 1) of a's shape, in a's dtype
    (a gives only the shape; no gradient flows through the mask)."""

    __slots__ = ("p", "generator")

    def __init__(self, p, generator):
        self.p, self.generator = p, generator

    def forward(self, a):
        rng = init.default_generator() if self.generator is None else self.generator
        keep = rng.random(a.shape) >= self.p
        return (keep / (1.0 - self.p)).astype(a.dtype)

    def vjp(self, out, g):
        return (None,)


# --- normalisation -----------------------------------------------------------------------
def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """(x - mean) / √(var + eps) · weight + bias, mean and (biased) var over the trailing
    `normalized_shape` axes of each sample."""
    x = _tensor(input)
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if not shape or x.shape[x.ndim - len(shape):] != shape or x.ndim < len(shape):
        raise ShapeError(f"layer_norm: input of shape {x.shape} does not end in the normalized "
                         f"shape {shape}")
    axes = tuple(range(x.ndim - len(shape), x.ndim))
    centred = x - x.mean(axes, keepdims=True)
    var = (centred * centred).mean(axes, keepdims=True)
    out = centred / (var + eps).sqrt()
    if weight is not None:
        out = out * weight
    if bias is not None:
        out = out + bias
    return out


def _assign(buffer, values):
    """Write into a running-statistics buffer (Tensor or ndarray) without recording."""
    if isinstance(buffer, Tensor):
        with no_grad():
            buffer[...] = Tensor(values.astype(buffer.dtype))
    else:
        buffer[...] = values


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    """y = (x - μ) / √(σ² + eps) · weight + bias, per channel (axis 1) of x (N, C) or (N, C, L).

    Training: μ, σ² are the batch's mean and biased variance over N (and L), and the running
    statistics (if given) move towards them: r ← (1 - momentum)·r + momentum·batch, using the
    unbiased variance for running_var. Not training: μ, σ² are the running statistics.
    """
    x = _tensor(input)
    if x.ndim not in (2, 3):
        raise ShapeError(f"batch_norm: expected input of shape (N, C) or (N, C, L), got "
                         f"{x.shape}")
    c = x.shape[1]
    axes = (0,) if x.ndim == 2 else (0, 2)
    stat_shape = (1, c) if x.ndim == 2 else (1, c, 1)
    if training or running_mean is None or running_var is None:
        count = x.size // c
        if training and count <= 1:
            raise ValueError(f"batch_norm: expected more than 1 value per channel when "
                             f"training, got input of shape {x.shape}")
        mean = x.mean(axes, keepdims=True)
        centred = x - mean
        var = (centred * centred).mean(axes, keepdims=True)
        if training and running_mean is not None and running_var is not None:
            batch_mean = mean._data.reshape(c)
            batch_var = var._data.reshape(c) * (count / (count - 1))
            _assign(running_mean, (1 - momentum) * _array(running_mean) + momentum * batch_mean)
            _assign(running_var, (1 - momentum) * _array(running_var) + momentum * batch_var)
    else:
        mean = _tensor(running_mean, x).reshape(stat_shape)
        var = _tensor(running_var, x).reshape(stat_shape)
        centred = x - mean
    out = centred / (var + eps).sqrt()
    if weight is not None:
        out = out * weight.reshape(stat_shape)
    if bias is not None:
        out = out + bias.reshape(stat_shape)
    return out


def _array(x):
    return x._data if isinstance(x, Tensor) else np.asarray(x)


# --- indices -----------------------------------------------------------------------------
def embedding(input, weight):
    """weight[input]: rows of the (num_embeddings, dim) table, output input.shape + (dim,).
    The gradient scatter-adds into the rows used (repeated indices add up)."""
    index = class_indices(input, "embedding")
    check_index_range(index, weight.shape[0], "embedding", "index")
    return weight[index]


def one_hot(tensor, num_classes=-1):
    """An int64 tensor of shape tensor.shape + (num_classes,): 1 at each index, 0 elsewhere.
    num_classes=-1 means max(tensor) + 1."""
    index = class_indices(tensor, "one_hot")
    if num_classes == -1:
        num_classes = int(index.max()) + 1 if index.size else 0
    check_index_range(index, num_classes, "one_hot", "index")
    return Tensor(np.eye(num_classes, dtype=np.int64)[index])


__all__ = [
    "OutOfRangeError", "batch_norm", "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "conv2d", "cross_entropy", "dropout", "embedding", "hinge_loss", "l1_loss", "layer_norm",
    "leaky_relu", "linear", "log_softmax", "max_pool2d", "mse_loss", "nll_loss", "one_hot",
    "relu", "sigmoid", "softmax", "softplus", "tanh",
]
