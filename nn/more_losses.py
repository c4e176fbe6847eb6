"""More losses under PyTorch's names: the robust regression losses (SmoothL1, Huber), the
Kullback-Leibler divergence, and the multi-class SVM loss (MultiMargin). Each is a function
(re-exported by nn.functional) and a Module, with reduction="mean" | "sum" | "none".
"""

import warnings

import numpy as np

import autograd as ag
from autograd import ShapeError, Tensor

from .losses import (
    _as_input,
    _as_target,
    _Loss,
    _reduce,
    _weights,
    check_index_range,
    class_indices,
    legacy_reduction,
)


def _difference(input, target, name):
    x = _as_input(input, name)
    return x - _as_target(target, x, name)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """0.5·d²/β where |d| < β, else |d| - 0.5·β   (d = x - t; β = 0 is the L1 loss)."""
    reduction = legacy_reduction(size_average, reduce, reduction, "smooth_l1_loss")
    if beta < 0:
        raise ValueError(f"smooth_l1_loss: beta must be >= 0, got {beta}")
    d = _difference(input, target, "smooth_l1_loss")
    z = ag.abs(d)
    if beta == 0:
        return _reduce(z, reduction)
    return _reduce(ag.where(z._data < beta, d * d * (0.5 / beta), z - 0.5 * beta), reduction)


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """0.5·d² where |d| < δ, else δ·(|d| - 0.5·δ)   (d = x - t), times `weight` if given."""
    if reduction not in ("mean", "sum", "none"):
        legacy_reduction(None, None, reduction, "huber_loss")
    if not delta > 0:
        raise ValueError(f"huber_loss: delta must be > 0, got {delta}")
    d = _difference(input, target, "huber_loss")
    z = ag.abs(d)
    loss = ag.where(z._data < delta, d * d * 0.5, (z - 0.5 * delta) * delta)
    if weight is not None:
        loss = loss * (weight if isinstance(weight, Tensor) else Tensor(np.asarray(weight)))
    return _reduce(loss, reduction)


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """Σ t·(log t - x) for log-probabilities x and probabilities t (0·log 0 = 0), or
    Σ eᵗ·(t - x) with log_target=True. "batchmean" divides the sum by the batch size
    (the divergence's definition); "mean" divides by the number of elements, with
    PyTorch's warning."""
    name = "kl_div"
    if not (reduction == "batchmean" and size_average is None and reduce is None):
        reduction = legacy_reduction(size_average, reduce, reduction, name)
        if reduction == "mean":
            warnings.warn("kl_div: reduction: 'mean' divides the total loss by both the batch "
                          "size and the support size. 'batchmean' divides only by the batch "
                          "size, and aligns with the KL div math definition. 'mean' will be "
                          "changed to behave the same as 'batchmean' in the next major "
                          "release.", UserWarning, stacklevel=2)
    x = _as_input(input, name)
    t = _as_target(target, x, name)
    if log_target:
        loss = ag.exp(t) * (t - x)
    else:
        log_t = ag.log(ag.where(t._data > 0, t, 1.0))  # log t where t > 0, else 0: 0·log 0 = 0
        loss = t * (log_t - x)
    if reduction == "batchmean":
        batch = x.shape[0] if x.ndim else 1
        return loss.sum() * (1.0 / batch)
    return _reduce(loss, reduction)


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None,
                      reduce=None, reduction="mean"):
    """The multi-class SVM loss: Σ_{i≠y} w_y·max(0, margin - x_y + x_i)^p / C per sample,
    for scores x (N, C) or (C,) and class indices y; p is 1 or 2."""
    name = "multi_margin_loss"
    reduction = legacy_reduction(size_average, reduce, reduction, name)
    if p not in (1, 2):
        raise ValueError(f"{name}: only p == 1 and p == 2 are supported, got p={p!r}")
    x = _as_input(input, name)
    if x.ndim not in (1, 2):
        raise ShapeError(f"{name}: expected input of shape (N, C) or (C,), got {x.shape}")
    rows = x if x.ndim == 2 else x.reshape((1, x.shape[0]))
    n, c = rows.shape
    t = class_indices(target, name)
    if t.shape != ((n,) if x.ndim == 2 else ()):
        raise ShapeError(f"{name}: input of shape {x.shape} needs a target of shape "
                         f"{(n,) if x.ndim == 2 else ()}, got {t.shape}")
    t = t.reshape(-1)
    check_index_range(t, c, name, "target")
    picked = rows[np.arange(n), t].reshape((n, 1))                     # x_y (N, 1)
    hinge = ag.relu(rows - picked + margin)                             # (N, C)
    if p == 2:
        hinge = hinge * hinge
    others = np.ones((n, c), dtype=rows.dtype)
    others[np.arange(n), t] = 0.0                                       # leave out i = y
    scale = others / c
    w = _weights(weight, c, rows.dtype, name)
    if w is not None:
        scale = scale * w[t][:, None]
    loss = (hinge * Tensor(scale)).sum(axis=1)                          # (N,)
    return _reduce(loss if x.ndim == 2 else loss.reshape(()), reduction)


class SmoothL1Loss(_Loss):
    """0.5·d²/β where |d| < β, else |d| - 0.5·β."""

    def __init__(self, size_average=None, reduce=None, reduction="mean", beta=1.0):
        super().__init__(legacy_reduction(size_average, reduce, reduction, "SmoothL1Loss"))
        self.beta = beta

    def forward(self, input, target):
        return smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    """0.5·d² where |d| < δ, else δ·(|d| - 0.5·δ)."""

    def __init__(self, reduction="mean", delta=1.0):
        super().__init__(reduction)
        self.delta = delta

    def forward(self, input, target):
        return huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class KLDivLoss(_Loss):
    """Kullback-Leibler divergence of log-probabilities x from target t (see `kl_div`)."""

    def __init__(self, size_average=None, reduce=None, reduction="mean", log_target=False):
        if reduction == "batchmean" and size_average is None and reduce is None:
            _Loss.__init__(self, "mean")
            self.reduction = "batchmean"
        else:
            super().__init__(legacy_reduction(size_average, reduce, reduction, "KLDivLoss"))
        self.log_target = log_target

    def forward(self, input, target):
        return kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class MultiMarginLoss(_Loss):
    """The multi-class SVM (hinge) loss over class scores (see `multi_margin_loss`)."""

    def __init__(self, p=1, margin=1.0, weight=None, size_average=None, reduce=None,
                 reduction="mean"):
        super().__init__(legacy_reduction(size_average, reduce, reduction, "MultiMarginLoss"))
        if p not in (1, 2):
            raise ValueError(f"MultiMarginLoss: only p == 1 and p == 2 are supported, got "
                             f"p={p!r}")
        self.p, self.margin = p, margin
        self.register_buffer("weight", weight)

    def forward(self, input, target):
        return multi_margin_loss(input, target, self.p, self.margin, self.weight,
                                 reduction=self.reduction)


__all__ = [
    "HuberLoss", "KLDivLoss", "MultiMarginLoss", "SmoothL1Loss", "huber_loss", "kl_div",
    "multi_margin_loss", "smooth_l1_loss",
]
