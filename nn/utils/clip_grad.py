"""Gradient utilities for training loops: clipping by global norm or by value."""

import math

import numpy as np

from autograd import Tensor


def _with_grads(parameters):
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    return [p for p in params if p.grad is not None]


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False):
    """Scale all gradients together so that their joint norm is at most `max_norm`.

    total = (Σ_p ‖g_p‖ⁿ)^(1/n) over every parameter's gradient (n = `norm_type`; inf: the
    largest |g|). If total > max_norm, each g is multiplied by max_norm / (total + 1e-6).
    Returns `total`, the norm *before* clipping, as a 0-d Tensor. Gradients are replaced by
    new arrays, never written in place (two parameters' .grad may share one array).
    """
    max_norm, norm_type = float(max_norm), float(norm_type)
    params = _with_grads(parameters)
    if not params:
        return Tensor(np.asarray(0.0))
    grads = [p.grad._data.astype(np.float64, copy=False) for p in params]
    if norm_type == math.inf:
        total = max(float(np.abs(g).max()) if g.size else 0.0 for g in grads)
    elif norm_type > 0:
        total = sum(float(np.sum(np.abs(g) ** norm_type)) for g in grads) ** (1.0 / norm_type)
    else:
        raise ValueError(f"clip_grad_norm_: norm_type must be positive, got {norm_type}")
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(f"clip_grad_norm_: the total norm of order {norm_type} of the "
                           f"gradients is {total}; set error_if_nonfinite=False to clip anyway")
    coef = max_norm / (total + 1e-6)
    if coef < 1:
        for p in params:
            p.grad = Tensor((p.grad._data * coef).astype(p.grad.dtype))
    return Tensor(np.asarray(total, dtype=params[0].grad.dtype))


def clip_grad_value_(parameters, clip_value):
    """Clamp every gradient entry into [-clip_value, clip_value] (new arrays, not in place)."""
    clip_value = float(clip_value)
    for p in _with_grads(parameters):
        p.grad = Tensor(np.clip(p.grad._data, -clip_value, clip_value))
