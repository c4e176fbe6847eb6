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
from .activations import elu, gelu, glu, hardtanh, prelu, silu, softplus, softsign
from .conv import conv1d, conv2d, conv_transpose1d, conv_transpose2d
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
)
from .more_losses import huber_loss, kl_div, multi_margin_loss, smooth_l1_loss
from .pooling import (
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    avg_pool1d,
    avg_pool2d,
    max_pool1d,
    max_pool2d,
)
from .resize import interpolate, pad, pixel_shuffle, pixel_unshuffle, upsample


def _tensor(x, like=None):
    """Tensors pass as they are; raw data becomes a Tensor (of `like`'s dtype, for floats)."""
    if isinstance(x, Tensor):
        return x
    array = np.asarray(x)
    if like is not None and array.dtype.kind in "iuf":
        array = array.astype(like.dtype)
    return Tensor(array)


# --- activations -------------------------------------------------------------------------
def relu(input, inplace=False):
    """max(x, 0)"""
    return ag.relu(_tensor(input))


def leaky_relu(input, negative_slope=0.01, inplace=False):
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
    return _drop(x, p, x.shape, generator)


def _drop(x, p, mask_shape, generator):
    """x times a keep-mask of `mask_shape` (broadcast over x), survivors scaled by 1/(1 - p)."""
    if p == 1:
        return x * 0.0
    rng = init.default_generator() if generator is None else generator
    keep = rng.random(mask_shape) >= p
    return x * Tensor((keep / (1.0 - p)).astype(x.dtype))


def dropout2d(input, p=0.5, training=True, inplace=False, generator=None):
    """Channel dropout for (N, C, H, W) (or (N, C, L)) input: each whole channel of each sample
    is zeroed with probability p, the survivors scaled by 1 / (1 - p)."""
    _check_probability(p, "dropout2d")
    x = _tensor(input)
    if x.ndim not in (3, 4):
        raise ShapeError(f"dropout2d: expected input of shape (N, C, H, W) or (N, C, L), got "
                         f"{x.shape}")
    if not training or p == 0:
        return x
    return _drop(x, p, x.shape[:2] + (1,) * (x.ndim - 2), generator)  # one draw per channel


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
    """y = (x - μ) / √(σ² + eps) · weight + bias, per channel (axis 1) of x (N, C, *).

    Training: μ, σ² are the batch's mean and biased variance over every other axis, and the
    running statistics (if given) move towards them: r ← (1 - momentum)·r + momentum·batch,
    using the unbiased variance for running_var. Not training: μ, σ² are the running statistics.
    """
    x = _tensor(input)
    if x.ndim < 2:
        raise ShapeError(f"batch_norm: expected input of shape (N, C, *), got {x.shape}")
    c = x.shape[1]
    axes = (0,) + tuple(range(2, x.ndim))
    stat_shape = (1, c) + (1,) * (x.ndim - 2)
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


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None,
                  use_input_stats=True, momentum=0.1, eps=1e-5):
    """y = (x - μ) / √(σ² + eps) · weight + bias with μ, σ² taken per sample and channel over
    the spatial axes of x (N, C, *): batch_norm on x seen as (1, N·C, *). Running statistics
    (if given) move towards the batch average of the per-instance ones; with
    use_input_stats=False they are used instead."""
    x = _tensor(input)
    if x.ndim < 3:
        raise ShapeError(f"instance_norm: expected input of shape (N, C, *), got {x.shape}")
    n, c = x.shape[:2]
    tracked = running_mean is not None and running_var is not None
    mean = var = None
    if tracked:  # one copy per sample, averaged back below
        mean, var = np.tile(_array(running_mean), n), np.tile(_array(running_var), n)
    out = batch_norm(x.reshape((1, n * c) + x.shape[2:]), mean, var, None, None,
                     use_input_stats, momentum, eps).reshape(x.shape)
    if tracked and use_input_stats:
        _assign(running_mean, mean.reshape(n, c).mean(axis=0))
        _assign(running_var, var.reshape(n, c).mean(axis=0))
    shape = (1, c) + (1,) * (x.ndim - 2)
    if weight is not None:
        out = out * weight.reshape(shape)
    if bias is not None:
        out = out + bias.reshape(shape)
    return out


# --- indices -----------------------------------------------------------------------------
def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
    """weight[input]: rows of the (num_embeddings, dim) table, output input.shape + (dim,).

    The gradient scatter-adds into the rows used (repeated indices add up), except into row
    `padding_idx`, which gets none; `scale_grad_by_freq` divides each row's gradient by how
    often the batch uses it. With `max_norm`, each row used whose `norm_type`-norm exceeds it
    is first rescaled in place to norm max_norm / (norm + 1e-7)·norm, as PyTorch does.
    """
    index = class_indices(input, "embedding")
    n = weight.shape[0]
    check_index_range(index, n, "embedding", "index")
    if sparse:
        raise NotImplementedError("embedding: sparse gradients are not supported (sparse=False)")
    if padding_idx is not None:
        if not -n <= padding_idx < n:
            raise ValueError(f"embedding: padding_idx {padding_idx} must be within "
                             f"[{-n}, {n - 1}] (num_embeddings={n})")
        padding_idx = padding_idx % n
    if max_norm is not None:
        _renorm_rows(weight, np.unique(index), max_norm, norm_type)
    rows = weight[index]
    if (padding_idx is None and not scale_grad_by_freq) or not rows.requires_grad:
        return rows
    # The value stays rows exactly (rows - fixed is exactly 0); only the gradient is scaled.
    scale = np.ones(index.shape, dtype=weight.dtype)
    if scale_grad_by_freq:
        counts = np.bincount(index.ravel(), minlength=n)
        scale = scale / counts[index]
    if padding_idx is not None:
        scale[index == padding_idx] = 0.0
    fixed = rows.detach()
    return fixed + (rows - fixed) * Tensor(scale[..., None])


def _renorm_rows(weight, rows, max_norm, norm_type):
    """Rescale (in place, unrecorded) each listed row whose norm exceeds max_norm."""
    table = weight._data
    norms = np.linalg.norm(table[rows], ord=norm_type, axis=1)
    big = norms > max_norm
    if big.any():
        factor = (max_norm / (norms[big] + 1e-7)).astype(table.dtype)
        with no_grad():
            weight[rows[big]] = Tensor(table[rows[big]] * factor[:, None])


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

# Convolution-family, pooling, padding and resizing functions.
__all__ += [
    "adaptive_avg_pool1d", "adaptive_avg_pool2d", "avg_pool1d", "avg_pool2d", "conv1d",
    "conv_transpose1d", "conv_transpose2d", "dropout2d", "instance_norm", "interpolate",
    "max_pool1d", "pad", "pixel_shuffle", "pixel_unshuffle", "upsample"
]
from .attention import scaled_dot_product_attention  # noqa: E402  (it uses dropout above)

__all__ += [
    "elu", "gelu", "glu", "hardtanh", "huber_loss", "kl_div", "multi_margin_loss", "prelu", "silu",
    "scaled_dot_product_attention", "smooth_l1_loss", "softsign",
]
