"""Loss functions (also reachable as `nn.functional.mse_loss`, ...) and their Module forms.

Each loss is a composition of engine ops, so its gradient is automatic. Every one takes
`reduction="mean" | "sum" | "none"`. Targets are checked, not broadcast: an elementwise loss
needs a target of the input's shape, and a class-index loss needs integer labels in range.
"""

import numpy as np

import autograd as ag
from autograd import ShapeError, Tensor

from .module import Module

REDUCTIONS = ("mean", "sum", "none")
_LOG_FLOOR = float(np.exp(-100.0))  # log(x) is clamped at -100, as PyTorch's BCE does


class OutOfRangeError(IndexError, ValueError):
    """A class label or embedding index outside its range (an IndexError as in PyTorch, and
    a ValueError)."""


def _check_reduction(reduction, name):
    if reduction not in REDUCTIONS:
        raise ValueError(f"{name}: reduction must be one of {REDUCTIONS}, got {reduction!r}")


def _reduce(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _as_input(x, name):
    x = x if isinstance(x, Tensor) else Tensor(x)
    if x.dtype.kind != "f":
        raise TypeError(f"{name}: input must be a floating tensor, got dtype {x.dtype}")
    return x


def _as_target(target, x, name):
    """The target as a Tensor of x's shape and dtype (unless it requires grad itself)."""
    t = target if isinstance(target, Tensor) else Tensor(np.asarray(target))
    if t.shape != x.shape:
        raise ShapeError(f"{name}: target shape {t.shape} does not match input shape "
                         f"{x.shape} (targets are not broadcast)")
    if t.dtype != x.dtype and not t.requires_grad:
        t = Tensor(t._data.astype(x.dtype))
    return t


def _like(value, x):
    """A factor (weight, pos_weight) as a Tensor of x's dtype, unless it requires grad."""
    if isinstance(value, Tensor):
        return value if value.requires_grad else Tensor(value._data.astype(x.dtype))
    return Tensor(np.asarray(value, dtype=x.dtype))


def class_indices(target, name):
    """Integer labels as an ndarray; floats and bools are a TypeError."""
    t = target._data if isinstance(target, Tensor) else np.asarray(target)
    if t.dtype.kind not in "iu":
        raise TypeError(f"{name}: class targets must be integers (class indices), got dtype "
                        f"{t.dtype}; cast them, e.g. y.astype(np.int64)")
    return t


def check_index_range(index, size, name, what):
    """Raise OutOfRangeError naming the first index outside 0..size-1."""
    bad = (index < 0) | (index >= size)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise OutOfRangeError(f"{name}: {what} {int(index[where])} at position {where} is out "
                              f"of range; expected 0 <= {what} < {size}")


def mse_loss(input, target, reduction="mean"):
    """(x - t)², reduced."""
    _check_reduction(reduction, "mse_loss")
    x = _as_input(input, "mse_loss")
    d = x - _as_target(target, x, "mse_loss")
    return _reduce(d * d, reduction)


def l1_loss(input, target, reduction="mean"):
    """|x - t|, reduced."""
    _check_reduction(reduction, "l1_loss")
    x = _as_input(input, "l1_loss")
    return _reduce(ag.abs(x - _as_target(target, x, "l1_loss")), reduction)


def _nll(logp, target, weight, ignore_index, reduction, name):
    """loss_n = -w[t_n] · logp[n, t_n] (0 where t_n == ignore_index); "mean" divides the sum
    by Σ w[t_n] over the kept rows, as PyTorch does."""
    _check_reduction(reduction, name)
    if logp.ndim != 2:
        raise ShapeError(f"{name}: expected input of shape (N, C), got {logp.shape}")
    n, c = logp.shape
    t = class_indices(target, name)
    if t.shape != (n,):
        raise ShapeError(f"{name}: input of shape {logp.shape} needs a target of shape ({n},), "
                         f"got {t.shape}")
    keep = t != ignore_index
    check_index_range(np.where(keep, t, 0), c, name, "target")
    safe = np.where(keep, t, 0)
    w = keep.astype(logp.dtype)
    if weight is not None:
        wdata = weight._data if isinstance(weight, Tensor) else np.asarray(weight)
        if wdata.shape != (c,):
            raise ShapeError(f"{name}: weight must have shape ({c},), got {wdata.shape}")
        w = w * wdata.astype(logp.dtype)[safe]
    picked = logp[np.arange(n), safe]  # (N,)
    # The weights multiply only where they are not all ones (pictures then show no such step).
    losses = -picked if weight is None and keep.all() else -(picked * Tensor(w))
    if reduction == "none":
        return losses
    if reduction == "sum":
        return losses.sum()
    total = float(w.sum())
    return losses.sum() * (1.0 / total if total else float("nan"))  # all ignored: NaN


def nll_loss(input, target, weight=None, ignore_index=-100, reduction="mean"):
    """-logp[n, t_n] for log-probabilities (N, C) and class indices (N,); see `_nll`."""
    return _nll(_as_input(input, "nll_loss"), target, weight, ignore_index, reduction,
                "nll_loss")


def cross_entropy(input, target, weight=None, ignore_index=-100, reduction="mean"):
    """-log softmax(x)[n, t_n] = logsumexp(x_n) - x[n, t_n], for logits (N, C) and integer
    class indices (N,). Stable for any logits (through `ag.log_softmax`)."""
    x = _as_input(input, "cross_entropy")
    if x.ndim != 2:
        raise ShapeError(f"cross_entropy: expected logits of shape (N, C), got {x.shape}")
    return _nll(ag.log_softmax(x, axis=1), target, weight, ignore_index, reduction,
                "cross_entropy")


def _clamped_log(p):
    """log(p), clamped at -100 so that p = 0 gives -100 (no -inf, no warning)."""
    return ag.log(p.clip(lo=_LOG_FLOOR)).clip(lo=-100.0)


def binary_cross_entropy(input, target, weight=None, reduction="mean"):
    """-(t·log p + (1 - t)·log(1 - p)), each log clamped at -100. p must lie in [0, 1]."""
    _check_reduction(reduction, "binary_cross_entropy")
    p = _as_input(input, "binary_cross_entropy")
    t = _as_target(target, p, "binary_cross_entropy")
    if p.size and not ((p._data >= 0) & (p._data <= 1)).all():
        raise ValueError(f"binary_cross_entropy: input must hold probabilities in [0, 1], got "
                         f"values from {np.nanmin(p._data)} to {np.nanmax(p._data)}"
                         f"{' and NaN' if np.isnan(p._data).any() else ''}; for logits use "
                         "binary_cross_entropy_with_logits")
    loss = -(t * _clamped_log(p) + (1.0 - t) * _clamped_log(1.0 - p))
    if weight is not None:
        loss = loss * _like(weight, p)
    return _reduce(loss, reduction)


def softplus(x):
    """log(1 + eˣ), as logsumexp(0, x): smooth everywhere and stable for any x."""
    return ag.logsumexp(ag.stack([Tensor(np.zeros(x.shape, x.dtype)), x]), axis=0)


def binary_cross_entropy_with_logits(input, target, weight=None, reduction="mean",
                                     pos_weight=None):
    """-(pw·t·log σ(x) + (1 - t)·log(1 - σ(x))) = (1 - t)·softplus(x) + pw·t·softplus(-x);
    with pw = 1 this is softplus(x) - t·x = max(x, 0) - t·x + log(1 + e^-|x|).

    softplus is a logsumexp, so the loss is finite for logits of any size and its gradient,
    σ(x) - t, is exact everywhere (including x = 0, where |x| has a kink)."""
    name = "binary_cross_entropy_with_logits"
    _check_reduction(reduction, name)
    x = _as_input(input, name)
    t = _as_target(target, x, name)
    sp = softplus(x)
    if pos_weight is None:
        loss = sp - t * x
    else:
        # softplus(-x) = softplus(x) - x
        loss = (1.0 - t) * sp + _like(pos_weight, x) * t * (sp - x)
    if weight is not None:
        loss = loss * _like(weight, x)
    return _reduce(loss, reduction)


def hinge_loss(input, target, margin=1.0, reduction="mean"):
    """max(0, margin - t·y) for scores y and labels t in {-1, +1}."""
    _check_reduction(reduction, "hinge_loss")
    y = _as_input(input, "hinge_loss")
    t = _as_target(target, y, "hinge_loss")
    bad = (t._data != 1) & (t._data != -1)
    if bad.any():
        raise ValueError(f"hinge_loss: targets must be -1 or +1, got {t._data[bad][0].item()!r} "
                         f"(values seen: {np.unique(t._data)[:5].tolist()})")
    return _reduce(ag.relu(margin - t * y), reduction)


class _Loss(Module):
    def __init__(self, reduction="mean"):
        super().__init__()
        _check_reduction(reduction, type(self).__name__)
        self.reduction = reduction


class MSELoss(_Loss):
    """Mean squared error: mean((x - t)²)."""

    def forward(self, input, target):
        return mse_loss(input, target, self.reduction)


class L1Loss(_Loss):
    """Mean absolute error: mean(|x - t|)."""

    def forward(self, input, target):
        return l1_loss(input, target, self.reduction)


class NLLLoss(_Loss):
    """Negative log-likelihood of log-probabilities (N, C) at integer class targets (N,)."""

    def __init__(self, weight=None, ignore_index=-100, reduction="mean"):
        super().__init__(reduction)
        self.register_buffer("weight", weight)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return nll_loss(input, target, self.weight, self.ignore_index, self.reduction)


class CrossEntropyLoss(NLLLoss):
    """Softmax cross-entropy of logits (N, C) at integer class targets (N,)."""

    def forward(self, input, target):
        return cross_entropy(input, target, self.weight, self.ignore_index, self.reduction)


class BCELoss(_Loss):
    """Binary cross-entropy of probabilities in [0, 1] (apply a sigmoid first)."""

    def __init__(self, weight=None, reduction="mean"):
        super().__init__(reduction)
        self.register_buffer("weight", weight)

    def forward(self, input, target):
        return binary_cross_entropy(input, target, self.weight, self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy of logits: a sigmoid and BCE in one stable formula."""

    def __init__(self, weight=None, reduction="mean", pos_weight=None):
        super().__init__(reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input, target):
        return binary_cross_entropy_with_logits(input, target, self.weight, self.reduction,
                                                self.pos_weight)


class HingeLoss(_Loss):
    """Binary hinge loss max(0, margin - t·y), targets in {-1, +1} (an SVM's loss)."""

    def __init__(self, margin=1.0, reduction="mean"):
        super().__init__(reduction)
        self.margin = margin

    def forward(self, input, target):
        return hinge_loss(input, target, self.margin, self.reduction)

    def extra_repr(self):
        return f"margin={self.margin}"
