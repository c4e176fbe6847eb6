"""Schedules made of other schedules (SequentialLR, ChainedScheduler), and ReduceLROnPlateau,
which follows a metric instead of the epoch. Re-exported by `optim.lr_scheduler`."""

import math
from bisect import bisect_right
from collections.abc import Iterable

from ._scheduler import (
    LRScheduler,
    check_optimizer,
    check_real,
    copy_state,
    group_values,
    per_group,
)
from .optimizer import Optimizer


def _check_parts(owner, schedulers, optimizer):
    name = type(owner).__name__
    if len(schedulers) < 1:
        raise ValueError(f"{name}: expects at least one scheduler, got none")
    for i, scheduler in enumerate(schedulers):
        if isinstance(scheduler, ReduceLROnPlateau):
            raise ValueError(f"{name}: schedulers[{i}] is a ReduceLROnPlateau, which needs a "
                             "metric at each step; it cannot be sequenced or chained")
        if not isinstance(scheduler, LRScheduler):
            raise TypeError(f"{name}: schedulers[{i}] must be an LRScheduler, got "
                            f"{type(scheduler).__name__}")
        if scheduler.optimizer is not optimizer:
            raise ValueError(f"{name}: schedulers[{i}] ({type(scheduler).__name__}) belongs to "
                             "another optimizer; all must share one")


class _Composite(LRScheduler):
    """Saves and restores its parts' states inside its own state dict."""

    def state_dict(self):
        state = {k: copy_state(v) for k, v in self.__dict__.items()
                 if k not in ("optimizer", "_schedulers")}
        state["_schedulers"] = [s.state_dict() for s in self._schedulers]
        return state

    def load_state_dict(self, state_dict):
        state = dict(state_dict)
        parts = state.pop("_schedulers")
        self.__dict__.update(copy_state(state))
        for scheduler, saved in zip(self._schedulers, parts):
            scheduler.load_state_dict(saved)


class SequentialLR(_Composite):
    """Hand over from one schedule to the next at each milestone epoch (e.g. a LinearLR
    warm-up, then a cosine). At a milestone the incoming schedule restarts from its epoch 0.

    As in PyTorch, construction resets every group's rate to its 'initial_lr', winds every
    part back one epoch (their own construction stepped them) and replays the first part's
    construction step.
    """

    def __init__(self, optimizer: Optimizer, schedulers: Iterable[LRScheduler],
                 milestones: Iterable[int], last_epoch: int = -1) -> None:
        check_optimizer(self, optimizer)
        schedulers, milestones = list(schedulers), list(milestones)
        _check_parts(self, schedulers, optimizer)
        if len(milestones) != len(schedulers) - 1:
            raise ValueError(f"SequentialLR: expects one milestone fewer than schedulers, got "
                             f"{len(schedulers)} schedulers and {len(milestones)} milestones")
        self._schedulers = schedulers
        self._milestones = milestones
        self.last_epoch = last_epoch + 1
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"]
        for scheduler in schedulers:
            _wind_back(scheduler)
        first = schedulers[bisect_right(milestones, 0)]
        first._initial_step()
        self._last_lr = first.get_last_lr()

    def step(self) -> None:  # type: ignore[override]  # as in PyTorch: no epoch
        self.last_epoch += 1
        i = bisect_right(self._milestones, self.last_epoch)
        scheduler = self._schedulers[i]
        if i > 0 and self._milestones[i - 1] == self.last_epoch:
            scheduler._update_lr(0)
        else:
            scheduler.step()
        self._last_lr = scheduler.get_last_lr()


def _wind_back(scheduler):
    for part in getattr(scheduler, "_schedulers", ()):
        _wind_back(part)
    if not hasattr(scheduler, "_schedulers"):
        scheduler.last_epoch -= 1


class ChainedScheduler(_Composite):
    """Step several schedules together each epoch: their chainable factors multiply."""

    def __init__(self, schedulers: Iterable[LRScheduler],
                 optimizer: Optimizer | None = None) -> None:
        schedulers = list(schedulers)
        if optimizer is None and schedulers:
            optimizer = schedulers[0].optimizer
        _check_parts(self, schedulers, optimizer)
        self._schedulers = schedulers
        self.optimizer = optimizer  # type: ignore[assignment]  # _check_parts refused None
        self._last_lr = group_values(optimizer)

    def step(self) -> None:  # type: ignore[override]  # as in PyTorch: no epoch
        for scheduler in self._schedulers:
            scheduler.step()
        self._last_lr = group_values(self.optimizer)

class ReduceLROnPlateau(LRScheduler):
    """Cut the rate by `factor` once a metric has stopped improving for `patience` epochs.

    Each `step(metric)`: if the metric beats the best so far (by `threshold`, relative or
    absolute, in direction `mode`) it becomes the best and the bad-epoch count resets; else
    the count grows. While cooling down (`cooldown` epochs after a cut) bad epochs are not
    counted. When the count exceeds `patience`, every group's rate becomes
    max(lr·factor, min_lr), unless that changes it by no more than `eps`.
    """

    def __init__(self, optimizer: Optimizer, mode: str = "min", factor: float = 0.1,
                 patience: int = 10, threshold: float = 1e-4, threshold_mode: str = "rel",
                 cooldown: int = 0, min_lr: float | list[float] = 0, eps: float = 1e-8) -> None:
        check_optimizer(self, optimizer)
        name = type(self).__name__
        if mode not in ("min", "max"):
            raise ValueError(f"{name}: invalid mode={mode!r}, expected 'min' or 'max'")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(f"{name}: invalid threshold_mode={threshold_mode!r}, expected "
                             "'rel' or 'abs'")
        check_real(self, "factor", factor, lambda v: 0 <= v < 1, "a value in [0, 1)")
        for key, count in (("patience", patience), ("cooldown", cooldown)):
            check_real(self, key, count, lambda v: v >= 0, "a value >= 0")
        for key, value in (("threshold", threshold), ("eps", eps)):
            check_real(self, key, value, lambda v: v >= 0, "a value >= 0")
        min_lrs = per_group(self, "min_lr", min_lr, optimizer)
        for i, value in enumerate(min_lrs):
            check_real(self, f"min_lr[{i}]", value, lambda v: v >= 0, "a value >= 0")

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

    def step(self, metrics: float, epoch: int | None = None) -> None:  # type: ignore[override]
        """Record one epoch's metric (a number, or a one-element Tensor/array)."""
        current = float(metrics.item() if hasattr(metrics, "item") else metrics)
        self.last_epoch = self.last_epoch + 1 if epoch is None else epoch
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
