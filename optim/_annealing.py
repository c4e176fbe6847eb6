"""Annealing schedules: cosine (with and without warm restarts) and the one-cycle policy.

Formulas and bookkeeping are PyTorch's (see `optim._scheduler`); the classes are re-exported
by `optim.lr_scheduler`.
"""

import math

from ._scheduler import (
    LRScheduler,
    check_int,
    check_optimizer,
    check_real,
    group_values,
    per_group,
    warn_outside_step,
)
from .optimizer import Optimizer


class CosineAnnealingLR(LRScheduler):
    """Cosine from base down to `eta_min` over `T_max` epochs (SGDR without restarts).

    Closed form: lr = η_min + (base − η_min)·(1 + cos(π·epoch / T_max)) / 2; past T_max the
    cosine carries on, climbing back towards base. `step()` uses PyTorch's chainable form,
    lr ← η_min + (lr − η_min)·(1 + cos(π·t/T)) / (1 + cos(π·(t − 1)/T)), with its special case
    where that ratio would divide by zero (just after each minimum).
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0,
                 last_epoch: int = -1) -> None:
        check_int(self, "T_max", T_max)
        check_real(self, "eta_min", eta_min, lambda v: v >= 0, "a value >= 0")
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        warn_outside_step(self)
        t, T, eta_min = self.last_epoch, self.T_max, self.eta_min
        groups = self.optimizer.param_groups
        if self._is_initial:
            return group_values(self.optimizer)
        if self._step_count == 1 and t > 0:  # the first step of a schedule resumed at t
            return self._get_closed_form_lr()
        if (t - 1 - T) % (2 * T) == 0:
            return [group["lr"] + (base - eta_min) * (1 - math.cos(math.pi / T)) / 2
                    for base, group in zip(self.base_lrs, groups)]
        ratio = (1 + math.cos(math.pi * t / T)) / (1 + math.cos(math.pi * (t - 1) / T))
        return [ratio * (group["lr"] - eta_min) + eta_min for group in groups]

    def _get_closed_form_lr(self):
        cosine = 1 + math.cos(math.pi * self.last_epoch / self.T_max)
        return [self.eta_min + (base - self.eta_min) * cosine / 2 for base in self.base_lrs]


class CosineAnnealingWarmRestarts(LRScheduler):
    """SGDR (Loshchilov and Hutter, 2017): cosine annealing restarted every T_i epochs.

    lr = η_min + (base − η_min)·(1 + cos(π·T_cur / T_i)) / 2, where T_cur counts epochs since
    the last restart and the cycle length starts at T_0 and is multiplied by T_mult at each
    restart. `step(epoch)` accepts a fractional epoch (e.g. `epoch + i / iters` inside an
    epoch), and finds T_cur and T_i from it in closed form.
    """

    def __init__(self, optimizer: Optimizer, T_0: int, T_mult: int = 1, eta_min: float = 0.0,
                 last_epoch: int = -1) -> None:
        check_int(self, "T_0", T_0)
        check_int(self, "T_mult", T_mult)
        check_real(self, "eta_min", eta_min, lambda v: v >= 0, "a value >= 0")
        self.T_0 = T_0
        self.T_i = T_0
        self.T_mult = T_mult
        self.eta_min = eta_min
        self.T_cur: float = last_epoch  # a float after step(epoch=2.5)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        warn_outside_step(self)
        cosine = 1 + math.cos(math.pi * self.T_cur / self.T_i)
        return [self.eta_min + (base - self.eta_min) * cosine / 2 for base in self.base_lrs]

    def step(self, epoch: float | None = None) -> None:
        """Advance one epoch, or go to `epoch` (a float is allowed: a point within an epoch)."""
        if epoch is None and self.last_epoch < 0:
            epoch = 0
        if epoch is None:
            epoch = self.last_epoch + 1
            self.T_cur = self.T_cur + 1
            if self.T_cur >= self.T_i:
                self.T_cur = self.T_cur % self.T_i
                self.T_i = self.T_i * self.T_mult
        else:
            check_real(self, "epoch", epoch, lambda v: v >= 0, "a value >= 0")
            if epoch >= self.T_0:
                if self.T_mult == 1:
                    self.T_cur = epoch % self.T_0
                else:
                    # restarts so far: the n with T_0·(T_mult^n − 1)/(T_mult − 1) <= epoch
                    n = int(math.log(epoch / self.T_0 * (self.T_mult - 1) + 1, self.T_mult))
                    self.T_cur = epoch - self.T_0 * (self.T_mult**n - 1) / (self.T_mult - 1)
                    self.T_i = self.T_0 * self.T_mult**n
            else:
                self.T_i = self.T_0
                self.T_cur = epoch
        self.last_epoch = math.floor(epoch)
        self._set_lrs(self.get_lr)


class OneCycleLR(LRScheduler):
    """The 1cycle policy (Smith and Topin, 2018), stepped once per batch.

    The rate anneals from max_lr/div_factor up to max_lr over the first pct_start of
    `total_steps`, then down to max_lr/(div_factor·final_div_factor); with `three_phase` it
    first comes back down to the start symmetrically, then falls to the minimum. Momentum (or
    Adam's β₁), if `cycle_momentum`, moves the opposite way between max_momentum and
    base_momentum. Annealing is cosine, start + (end − start)·(1 − cos(π·pct))/2, or linear.
    Each group records 'initial_lr', 'max_lr', 'min_lr' (and 'max_momentum',
    'base_momentum'); stepping past total_steps is an error.
    """

    def __init__(self, optimizer: Optimizer, max_lr: float | list[float],
                 total_steps: int | None = None, epochs: int | None = None,
                 steps_per_epoch: int | None = None, pct_start: float = 0.3,
                 anneal_strategy: str = "cos", cycle_momentum: bool = True,
                 base_momentum: float = 0.85, max_momentum: float = 0.95,
                 div_factor: float = 25.0, final_div_factor: float = 1e4,
                 three_phase: bool = False, last_epoch: int = -1) -> None:
        check_optimizer(self, optimizer)
        name = type(self).__name__
        if total_steps is not None:
            check_int(self, "total_steps", total_steps)
        elif epochs is not None and steps_per_epoch is not None:
            check_int(self, "epochs", epochs)
            check_int(self, "steps_per_epoch", steps_per_epoch)
            total_steps = epochs * steps_per_epoch
        else:
            raise ValueError(f"{name}: give either total_steps, or epochs and steps_per_epoch")
        check_real(self, "pct_start", pct_start, lambda v: 0 <= v <= 1, "a value in [0, 1]")
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(f"{name}: invalid anneal_strategy={anneal_strategy!r}, expected "
                             "'cos' or 'linear'")
        check_real(self, "div_factor", div_factor, lambda v: v > 0, "a value > 0")
        check_real(self, "final_div_factor", final_div_factor, lambda v: v > 0, "a value > 0")
        self.optimizer = optimizer
        self.total_steps = total_steps
        self.anneal_strategy = anneal_strategy
        # Each phase: (last step, start key, end key, start momentum key, end momentum key).
        up = float(pct_start * total_steps) - 1
        if three_phase:
            self._phases = [(up, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                            (float(2 * pct_start * total_steps) - 2, "max_lr", "initial_lr",
                             "base_momentum", "max_momentum"),
                            (total_steps - 1, "initial_lr", "min_lr", "max_momentum",
                             "max_momentum")]
        else:
            self._phases = [(up, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                            (total_steps - 1, "max_lr", "min_lr", "base_momentum",
                             "max_momentum")]

        groups = optimizer.param_groups
        if last_epoch == -1:
            for group, top in zip(groups, per_group(self, "max_lr", max_lr, optimizer)):
                group["initial_lr"] = top / div_factor
                group["max_lr"] = top
                group["min_lr"] = group["initial_lr"] / final_div_factor
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
                raise ValueError(f"{name}: cycle_momentum=True needs an optimizer with "
                                 f"'momentum' or 'betas', {type(optimizer).__name__} has "
                                 "neither (pass cycle_momentum=False)")
            self.use_beta1 = "betas" in optimizer.defaults
            if last_epoch == -1:
                tops = per_group(self, "max_momentum", max_momentum, optimizer)
                bottoms = per_group(self, "base_momentum", base_momentum, optimizer)
                for group, top, bottom in zip(groups, tops, bottoms):
                    self._set_momentum(group, top)
                    group["max_momentum"] = top
                    group["base_momentum"] = bottom
        super().__init__(optimizer, last_epoch)

    def _set_momentum(self, group, value):
        if self.use_beta1:
            group["betas"] = (value, *group["betas"][1:])
        else:
            group["momentum"] = value

    def _anneal(self, start, end, pct):
        if self.anneal_strategy == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def get_lr(self):
        warn_outside_step(self)
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(f"{type(self).__name__}: tried to step {step} times, but "
                             f"total_steps is {self.total_steps}")
        lrs = []
        for group in self.optimizer.param_groups:
            begin = 0.0
            for i, (end, lr_from, lr_to, m_from, m_to) in enumerate(self._phases):
                if step <= end or i == len(self._phases) - 1:
                    pct = (step - begin) / (end - begin)
                    lrs.append(self._anneal(group[lr_from], group[lr_to], pct))
                    if self.cycle_momentum:
                        self._set_momentum(group, self._anneal(group[m_from], group[m_to], pct))
                    break
                begin = end
        return lrs
