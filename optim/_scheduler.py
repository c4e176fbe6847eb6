"""`LRScheduler`: the base of the learning-rate schedules in `optim.lr_scheduler`.

PyTorch's schedules are *chainable*: `step()` computes each group's new rate from its current
'lr' (e.g. StepLR multiplies it by γ at each multiple of step_size), so several schedules can
act on one optimizer at once and a rate changed by hand carries on from where it was put. A
schedule with a closed form (lr as a function of the epoch) uses it when `step(epoch)` jumps
to an epoch. These classes follow PyTorch's formulas and bookkeeping so the rates match
torch.optim.lr_scheduler's to float rounding, quirks included:

- construction records each group's starting rate as 'initial_lr' (kept if already there) and
  takes the first step at once, with `last_epoch` going from -1 to 0;
- `base_lrs` are those 'initial_lr's; `get_last_lr()` is what the last step set;
- `state_dict()` is every attribute but the optimizer, and `load_state_dict()` puts them back,
  so a resumed schedule continues identically (load the optimizer's state dict too: the
  chainable forms read the current rates from it).
"""

import numbers
import warnings
from typing import Any

from .optimizer import Optimizer


def check_optimizer(scheduler, optimizer):
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{type(scheduler).__name__}: optimizer must be an optim.Optimizer, "
                        f"got {type(optimizer).__name__}")


def check_int(scheduler, key, value, minimum=1):
    name = type(scheduler).__name__
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: {key} must be an int, got {value!r} ({type(value).__name__})")
    if value < minimum:
        raise ValueError(f"{name}: invalid {key}={value}, expected an int >= {minimum}")


def check_real(scheduler, key, value, ok, expected):
    name = type(scheduler).__name__
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: {key} must be a real number, got {value!r} "
                        f"({type(value).__name__})")
    if not ok(value):
        raise ValueError(f"{name}: invalid {key}={value}, expected {expected}")


def per_group(scheduler, key, value, optimizer):
    """`value` as one entry per parameter group: a list of that length, or one value for all."""
    n = len(optimizer.param_groups)
    if isinstance(value, (list, tuple)):
        if len(value) != n:
            raise ValueError(f"{type(scheduler).__name__}: expected {n} {key} values (one per "
                             f"parameter group), got {len(value)}")
        return list(value)
    return [value] * n


def group_values(optimizer, key="lr"):
    return [group[key] for group in optimizer.param_groups]


def warn_outside_step(scheduler):
    """`get_lr()` computes the next rates from the current ones; read outside `step()` it
    would not be the rate in use. Say so, as PyTorch does."""
    if not scheduler._in_step:
        warnings.warn(f"{type(scheduler).__name__}: to get the last learning rate computed by "
                      "the scheduler, use get_last_lr() (get_lr() computes the next one)",
                      UserWarning, stacklevel=3)


def copy_state(value):
    """A copy of a state entry deep enough that later steps do not change a snapshot."""
    if isinstance(value, dict):
        return {k: copy_state(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(copy_state(v) for v in value)
    return value


class LRScheduler:
    """Base class: subclasses write `get_lr()` (chainable) and, if they have one,
    `_get_closed_form_lr()`; see the module docstring for the protocol."""

    _in_step = False  # True while step() asks get_lr() for the next rates

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        check_optimizer(self, optimizer)
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(f"{type(self).__name__}: param_groups[{i}] has no "
                                   f"'initial_lr', needed to resume at last_epoch={last_epoch}"
                                   " (load the optimizer's state dict first)")
        self.base_lrs = group_values(optimizer, "initial_lr")
        self.last_epoch = last_epoch
        self._initial_step()

    def _initial_step(self):
        """The step taken at construction (and by SequentialLR when a schedule takes over)."""
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def get_lr(self):
        """The next rates, one per group, from the current ones (called by `step`)."""
        raise NotImplementedError

    def get_last_lr(self) -> list[float]:
        """The rates the last `step()` set, one per parameter group."""
        return list(self._last_lr)

    def step(self, epoch: int | None = None) -> None:
        """Advance one epoch (or, deprecated as in PyTorch, jump to `epoch`) and write the new
        rates into the optimizer's groups."""
        self._step_count += 1
        if epoch is not None:
            warnings.warn(f"{type(self).__name__}.step(epoch) is deprecated, as in PyTorch: "
                          "call step() once per epoch; it uses the closed form where there is "
                          "one", UserWarning, stacklevel=2)
        self._update_lr(epoch)

    def _update_lr(self, epoch=None):
        if epoch is None:
            self.last_epoch += 1
            self._set_lrs(self.get_lr)
        else:
            self.last_epoch = epoch
            self._set_lrs(getattr(self, "_get_closed_form_lr", self.get_lr))

    def _set_lrs(self, compute):
        """Write `compute()`'s rates into the optimizer's groups and remember them."""
        self._in_step = True
        try:
            lrs = compute()
        finally:
            self._in_step = False
        for group, lr in zip(self.optimizer.param_groups, lrs):
            group["lr"] = lr
        self._last_lr = group_values(self.optimizer)

    def state_dict(self) -> dict[str, Any]:
        """Every attribute but the optimizer (which has its own state_dict), copied."""
        return {k: copy_state(v) for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self.__dict__.update({k: copy_state(v) for k, v in state_dict.items()})

    def __repr__(self):
        return f"{type(self).__name__}(last_epoch={self.last_epoch}, lr={self.get_last_lr()})"
