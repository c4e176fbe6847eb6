"""Learning-rate schedules: StepLR, ExponentialLR, CosineAnnealingLR and ReduceLROnPlateau.

The first three are pure functions of the epoch counter `last_epoch` (closed forms, as in
nanoGPT's `get_lr(it)`), so a schedule resumed from `state_dict()` or jumped to any epoch gives
the same rates; each `step()` writes the new rate into every parameter group's 'lr'.
ReduceLROnPlateau instead reacts to a metric, so it keeps a little history.
"""

import math
import numbers

from .optimizer import Optimizer


def _check_optimizer(scheduler, optimizer):
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{type(scheduler).__name__}: optimizer must be an optim.Optimizer, "
                        f"got {type(optimizer).__name__}")


def _check_positive_int(scheduler, key, value):
    name = type(scheduler).__name__
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: {key} must be an int, got {value!r} ({type(value).__name__})")
    if value <= 0:
        raise ValueError(f"{name}: invalid {key}={value}, expected an int > 0")


def _check_real(scheduler, key, value, ok, expected):
    name = type(scheduler).__name__
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: {key} must be a real number, got {value!r} "
                        f"({type(value).__name__})")
    if not ok(value):
        raise ValueError(f"{name}: invalid {key}={value}, expected {expected}")


class _Scheduler:
    """What every scheduler shares: the last rates it set, and its state for checkpoints."""

    def get_last_lr(self):
        """The rates the last `step()` set, one per parameter group."""
        return list(self._last_lr)

    def state_dict(self):
        """Everything but the optimizer (which has its own state_dict)."""
        return {k: (list(v) if isinstance(v, list) else v)
                for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict):
        self.__dict__.update({k: (list(v) if isinstance(v, list) else v)
                              for k, v in state_dict.items()})


class LRScheduler(_Scheduler):
    """Base class for schedules written as `lr_at(base_lr, epoch)`.

    Construction records each group's starting rate as 'initial_lr' (kept if already there, so
    several schedulers agree on it) and applies epoch `last_epoch + 1` (0 for a new run). With
    `last_epoch` ≥ 0 the run is being resumed and every group must already have 'initial_lr'.
    Being closed forms, these schedules overwrite a rate set by hand at the next `step()`
    (PyTorch's chainable forms would scale it instead).
    """

    def __init__(self, optimizer, last_epoch=-1):
        _check_optimizer(self, optimizer)
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(f"{type(self).__name__}: param_groups[{i}] has no "
                                   f"'initial_lr', needed to resume at last_epoch={last_epoch}")
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self.step()

    def lr_at(self, base_lr, epoch):
        """The learning rate at `epoch` for a group that started at `base_lr`."""
        raise NotImplementedError

    def get_lr(self):
        """The rates for the current `last_epoch`, one per parameter group."""
        return [self.lr_at(base_lr, self.last_epoch) for base_lr in self.base_lrs]

    def step(self):
        """Advance one epoch and write the new rates into the optimizer's groups."""
        self.last_epoch += 1
        lrs = self.get_lr()
        for group, lr in zip(self.optimizer.param_groups, lrs):
            group["lr"] = lr
        self._last_lr = lrs

    def __repr__(self):
        return f"{type(self).__name__}(last_epoch={self.last_epoch}, lr={self.get_last_lr()})"


class StepLR(LRScheduler):
    """Multiply the rate by `gamma` every `step_size` epochs: lr = base·γ^⌊epoch / step_size⌋."""

    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1):
        _check_positive_int(self, "step_size", step_size)
        _check_real(self, "gamma", gamma, lambda v: v > 0, "a value > 0")
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr, epoch):
        return base_lr * self.gamma ** (epoch // self.step_size)


class ExponentialLR(LRScheduler):
    """Multiply the rate by `gamma` every epoch: lr = base·γ^epoch."""

    def __init__(self, optimizer, gamma, last_epoch=-1):
        _check_real(self, "gamma", gamma, lambda v: v > 0, "a value > 0")
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr, epoch):
        return base_lr * self.gamma**epoch


class CosineAnnealingLR(LRScheduler):
    """Cosine from base down to `eta_min` over `T_max` epochs (SGDR without restarts).

    lr = eta_min + (base − eta_min)·(1 + cos(π·epoch / T_max)) / 2; past T_max the cosine
    carries on, climbing back towards base, as PyTorch's does.
    """

    def __init__(self, optimizer, T_max, eta_min=0, last_epoch=-1):
        _check_positive_int(self, "T_max", T_max)
        _check_real(self, "eta_min", eta_min, lambda v: v >= 0, "a value >= 0")
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr, epoch):
        cosine = (1.0 + math.cos(math.pi * epoch / self.T_max)) / 2.0
        return self.eta_min + (base_lr - self.eta_min) * cosine


class ReduceLROnPlateau(_Scheduler):
    """Cut the rate by `factor` once a metric has stopped improving for `patience` epochs.

    Each `step(metric)`: if the metric beats the best so far (by `threshold`, relative or
    absolute, in direction `mode`) it becomes the best and the bad-epoch count resets; else
    the count grows. While cooling down (`cooldown` epochs after a cut) bad epochs are not
    counted. When the count exceeds `patience`, every group's rate becomes
    max(lr·factor, min_lr), unless that changes it by no more than `eps`.
    """

    def __init__(self, optimizer, mode="min", factor=0.1, patience=10, threshold=1e-4,
                 threshold_mode="rel", cooldown=0, min_lr=0, eps=1e-8):
        _check_optimizer(self, optimizer)
        name = type(self).__name__
        if mode not in ("min", "max"):
            raise ValueError(f"{name}: invalid mode={mode!r}, expected 'min' or 'max'")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(f"{name}: invalid threshold_mode={threshold_mode!r}, expected "
                             "'rel' or 'abs'")
        _check_real(self, "factor", factor, lambda v: 0 <= v < 1, "a value in [0, 1)")
        for key, value in (("patience", patience), ("cooldown", cooldown)):
            _check_real(self, key, value, lambda v: v >= 0, "a value >= 0")
        for key, value in (("threshold", threshold), ("eps", eps)):
            _check_real(self, key, value, lambda v: v >= 0, "a value >= 0")
        n_groups = len(optimizer.param_groups)
        if isinstance(min_lr, (list, tuple)):
            if len(min_lr) != n_groups:
                raise ValueError(f"{name}: expected {n_groups} min_lr values (one per "
                                 f"parameter group), got {len(min_lr)}")
            min_lrs = list(min_lr)
        else:
            min_lrs = [min_lr] * n_groups
        for i, value in enumerate(min_lrs):
            _check_real(self, f"min_lr[{i}]", value, lambda v: v >= 0, "a value >= 0")

        self.optimizer = optimizer
        self.mode = mode
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.threshold_mode = threshold_mode
        self.cooldown = cooldown
        self.min_lrs = min_lrs
        self.eps = eps
        self.last_epoch = 0
        self.best = math.inf if mode == "min" else -math.inf
        self.num_bad_epochs = 0
        self.cooldown_counter = 0
        self._last_lr = [group["lr"] for group in optimizer.param_groups]

    @property
    def in_cooldown(self):
        return self.cooldown_counter > 0

    def is_better(self, current, best):
        """Whether `current` improves on `best` by more than the threshold."""
        # Written as products, not best ± best·threshold, so best = ±inf compares correctly.
        if self.mode == "min" and self.threshold_mode == "rel":
            return current < best * (1.0 - self.threshold)
        if self.mode == "min":
            return current < best - self.threshold
        if self.threshold_mode == "rel":
            return current > best * (1.0 + self.threshold)
        return current > best + self.threshold

    def step(self, metrics):
        """Record one epoch's metric (a number, or a one-element Tensor/array)."""
        current = float(metrics.item() if hasattr(metrics, "item") else metrics)
        self.last_epoch += 1
        if self.is_better(current, self.best):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.in_cooldown:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0  # bad epochs right after a cut are not held against it
        if self.num_bad_epochs > self.patience:
            self._reduce_lr()
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def _reduce_lr(self):
        for group, min_lr in zip(self.optimizer.param_groups, self.min_lrs):
            old_lr = float(group["lr"])
            new_lr = max(old_lr * self.factor, min_lr)
            if old_lr - new_lr > self.eps:
                group["lr"] = new_lr

    def __repr__(self):
        return (f"ReduceLROnPlateau(mode={self.mode!r}, factor={self.factor}, "
                f"patience={self.patience}, best={self.best}, lr={self.get_last_lr()})")
