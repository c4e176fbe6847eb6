"""Loss functions (also reachable as `nn.functional.mse_loss`, ...) and their Module forms.

Each loss is a composition of engine ops, so its gradient is automatic. Every one takes
`reduction="mean" | "sum" | "none"`. Targets are checked, not broadcast: an elementwise loss
needs a target of the input's shape, and a class-index loss needs integer labels in range.
"""

import warnings

import numpy as np

import autograd as ag
from autograd import ShapeError, Tensor
from autograd.ops import activations as activation_ops

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


def legacy_reduction(size_average, reduce, reduction, name):
    """PyTorch's deprecated size_average/reduce flags, mapped to `reduction` as PyTorch maps
    them (with its warning); `reduction` itself when neither is given."""
    if size_average is None and reduce is None:
        _check_reduction(reduction, name)
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    result = "none" if not reduce else ("mean" if size_average else "sum")
    warnings.warn(f"{name}: size_average and reduce args will be deprecated, please use "
                  f"reduction='{result}' instead.", UserWarning, stacklevel=3)
    return result


def _classes_last(logp, target, name):
    """Class scores (N, C), (C,) or (N, C, d1, ...) and their integer targets (N,), () or
    (N, d1, ...) as rows (M, C) and labels (M,), and the shape of the per-element losses."""
    t = class_indices(target, name)
    if logp.ndim == 0:
        raise ShapeError(f"{name}: expected input of shape (N, C), (C,) or (N, C, d1, ...), "
                         "got a 0-d tensor")
    if logp.ndim == 1:
        want = ()
    else:
        want = (logp.shape[0],) + logp.shape[2:]
    if t.shape != want:
        hint = " (an unbatched (C,) input; batched input is (N, C))" if logp.ndim == 1 else ""
        raise ShapeError(f"{name}: input of shape {logp.shape}{hint} needs a target of shape "
                         f"{want}, got {t.shape}")
    if logp.ndim == 2:  # the common case: nothing to move (and no step in the picture)
        return logp, t, want
    c = logp.shape[0] if logp.ndim == 1 else logp.shape[1]
    if logp.ndim > 2:  # move the class axis last, then one row per element
        logp = logp.transpose((0,) + tuple(range(2, logp.ndim)) + (1,))
    return logp.reshape((-1, c)), t.reshape(-1), want


def _weights(weight, c, dtype, name):
    """The class weights as an ndarray of shape (C,), or None."""
    if weight is None:
        return None
    w = weight._data if isinstance(weight, Tensor) else np.asarray(weight)
    if w.shape != (c,):
        raise ShapeError(f"{name}: weight must have shape ({c},), got {w.shape}")
    return w.astype(dtype)


def _nll(logp, target, weight, ignore_index, name):
    """loss_m = -w[t_m] · logp[m, t_m] (0 where t_m == ignore_index), for rows (M, C); also
    returns the w[t_m] of the kept rows, whose sum is what "mean" divides by (PyTorch's rule)."""
    m, c = logp.shape
    keep = target != ignore_index
    check_index_range(np.where(keep, target, 0), c, name, "target")
    safe = np.where(keep, target, 0)
    w = keep.astype(logp.dtype)
    wdata = _weights(weight, c, logp.dtype, name)
    if wdata is not None:
        w = w * wdata[safe]
    picked = logp[np.arange(m), safe]  # (M,)
    # The weights multiply only where they are not all ones (pictures then show no such step).
    losses = -picked if wdata is None and keep.all() else -(picked * Tensor(w))
    return losses, w, keep, wdata


def _reduce_by(losses, total, reduction, shape):
    """"none": the losses in `shape`; "sum"; "mean": the sum over `total` (NaN when 0)."""
    if reduction == "none":
        return losses if losses.shape == shape else losses.reshape(shape)
    if reduction == "sum":
        return losses.sum()
    return losses.sum() * (1.0 / total if total else float("nan"))  # all ignored: NaN


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    """-w[t]·logp[t] for log-probabilities (N, C), (C,) or (N, C, d1, ...) and class indices
    (N,), () or (N, d1, ...); "mean" divides by Σ w[t] over the targets not ignored."""
    reduction = legacy_reduction(size_average, reduce, reduction, "nll_loss")
    logp, t, shape = _classes_last(_as_input(input, "nll_loss"), target, "nll_loss")
    losses, w, _, _ = _nll(logp, t, weight, ignore_index, "nll_loss")
    return _reduce_by(losses, float(w.sum()), reduction, shape)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100,
                  reduce=None, reduction="mean", label_smoothing=0.0):
    """Softmax cross-entropy of logits x: (N, C), (C,) or (N, C, d1, ...), class axis 1.

    Class-index targets: loss = -w[t]·log softmax(x)[t], and with label smoothing ε,
    (1 - ε)·that + ε/C · Σ_c -w_c·log softmax(x)_c (each part reduced as PyTorch does).
    Probability targets (floats of x's shape): loss = -Σ_c w_c·p_c·log softmax(x)_c with
    p ← (1 - ε)p + ε/C; "mean" divides by the number of elements N·d1·…
    Stable for any logits (through `ag.log_softmax`).
    """
    name = "cross_entropy"
    reduction = legacy_reduction(size_average, reduce, reduction, name)
    x = _as_input(input, name)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"{name}: label_smoothing must be between 0.0 and 1.0, got "
                         f"{label_smoothing}")
    if x.ndim == 0:
        raise ShapeError(f"{name}: expected logits of shape (N, C), (C,) or (N, C, d1, ...), "
                         "got a 0-d tensor")
    axis = 1 if x.ndim > 1 else 0
    c = x.shape[axis]
    logp = ag.log_softmax(x, axis=axis)
    eps = float(label_smoothing)
    is_float = isinstance(target, Tensor) and target.dtype.kind == "f" or \
        not isinstance(target, Tensor) and np.asarray(target).dtype.kind == "f"
    if is_float and np.shape(target._data if isinstance(target, Tensor) else target) == x.shape:
        return _soft_cross_entropy(logp, _as_target(target, x, name), weight, axis, eps,
                                   reduction)
    rows, t, shape = _classes_last(logp, target, name)
    losses, w, keep, wdata = _nll(rows, t, weight, ignore_index, name)
    nll = _reduce_by(losses, float(w.sum()), reduction, shape)
    if not eps:
        return nll
    spread = rows if wdata is None else rows * Tensor(wdata)
    smooth = -(spread.sum(axis=1) * Tensor(keep.astype(rows.dtype)))     # (M,)
    total = float(w.sum()) if wdata is not None else float(keep.sum())
    return nll * (1.0 - eps) + _reduce_by(smooth, total, reduction, shape) * (eps / c)


def _soft_cross_entropy(logp, p, weight, axis, eps, reduction):
    c = logp.shape[axis]
    if eps:
        p = p * (1.0 - eps) + eps / c
    terms = logp * p
    wdata = _weights(weight, c, logp.dtype, "cross_entropy")
    if wdata is not None:
        terms = terms * Tensor(wdata.reshape((c,) + (1,) * (logp.ndim - axis - 1)))
    losses = -terms.sum(axis=axis)
    return _reduce_by(losses, int(np.prod(losses.shape)), reduction, losses.shape)


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
    """log(1 + eˣ) with no linear tail: one stable primitive, exact for any x."""
    return activation_ops.softplus(x, 1.0, float("inf"))


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
    """Negative log-likelihood of log-probabilities (N, C) at integer class targets (N,)
    (also (C,) with a 0-d target, and (N, C, d1, ...) with targets (N, d1, ...))."""

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None,
                 reduction="mean"):
        super().__init__(legacy_reduction(size_average, reduce, reduction, type(self).__name__))
        self.register_buffer("weight", weight)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return nll_loss(input, target, self.weight, ignore_index=self.ignore_index,
                        reduction=self.reduction)


class CrossEntropyLoss(NLLLoss):
    """Softmax cross-entropy of logits (N, C) at integer class targets (N,) or class
    probabilities (N, C), optionally with label smoothing (see `cross_entropy`)."""

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None,
                 reduction="mean", label_smoothing=0.0):
        super().__init__(weight, size_average, ignore_index, reduce, reduction)
        if not 0.0 <= label_smoothing <= 1.0:
            raise ValueError(f"CrossEntropyLoss: label_smoothing must be between 0.0 and 1.0, "
                             f"got {label_smoothing}")
        self.label_smoothing = label_smoothing

    def forward(self, input, target):
        return cross_entropy(input, target, self.weight, ignore_index=self.ignore_index,
                             reduction=self.reduction, label_smoothing=self.label_smoothing)


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
