"""Every schedule's rates next to torch.optim.lr_scheduler's, epoch by epoch.

The same schedule is built on a chainrule optimizer and a torch one (two parameter groups with
different rates) and stepped 30 times; the rates (and the momentum or β₁ that OneCycleLR
cycles) must agree to float rounding after construction and after every step. Each schedule
is also saved mid-run, loaded into a fresh copy, and must continue identically.
"""

import math

import numpy as np
import pytest

import optim
from autograd import Tensor
from optim import lr_scheduler as ours

torch = pytest.importorskip("torch")
theirs = torch.optim.lr_scheduler

EPOCHS = 30
LRS = (0.1, 0.03)


class Warmup:
    """A callable object with state, which LambdaLR's state_dict saves (a function it cannot)."""

    def __init__(self, epochs):
        self.epochs = epochs

    def __call__(self, epoch):
        return min(1.0, (epoch + 1) / self.epochs)


def build(lib, optimizer_name, make, **optimizer_kwargs):
    """(optimizer, schedule) from `lib` ('ours' or 'torch')."""
    if lib == "ours":
        groups = [{"params": [Tensor(np.zeros(2), requires_grad=True)], "lr": lr} for lr in LRS]
        optimizer = getattr(optim, optimizer_name)(groups, **optimizer_kwargs)
        return optimizer, make(ours, optimizer)
    groups = [{"params": [torch.zeros(2, requires_grad=True)], "lr": lr} for lr in LRS]
    optimizer = getattr(torch.optim, optimizer_name)(groups, **optimizer_kwargs)
    return optimizer, make(theirs, optimizer)


def sequential(L, opt):
    warm = L.LinearLR(opt, start_factor=0.1, total_iters=4)
    decay = L.CosineAnnealingLR(opt, T_max=10, eta_min=0.001)
    tail = L.StepLR(opt, step_size=3, gamma=0.5)
    return L.SequentialLR(opt, [warm, decay, tail], milestones=[5, 18])


SCHEDULES = {
    "StepLR": lambda L, opt: L.StepLR(opt, step_size=4, gamma=0.5),
    "MultiStepLR": lambda L, opt: L.MultiStepLR(opt, milestones=[3, 7, 7, 20], gamma=0.3),
    "ExponentialLR": lambda L, opt: L.ExponentialLR(opt, gamma=0.9),
    "LambdaLR": lambda L, opt: L.LambdaLR(opt, lambda epoch: 0.95**epoch),
    "LambdaLR-per-group": lambda L, opt: L.LambdaLR(opt, [Warmup(5), lambda e: 1 / (1 + e)]),
    "MultiplicativeLR": lambda L, opt: L.MultiplicativeLR(opt, lambda epoch: 0.97),
    "ConstantLR": lambda L, opt: L.ConstantLR(opt, factor=0.5, total_iters=6),
    "LinearLR": lambda L, opt: L.LinearLR(opt, start_factor=0.25, end_factor=1.0,
                                          total_iters=10),
    "LinearLR-decay": lambda L, opt: L.LinearLR(opt, start_factor=1.0, end_factor=0.1,
                                                total_iters=12),
    "PolynomialLR": lambda L, opt: L.PolynomialLR(opt, total_iters=20, power=2.0),
    "CosineAnnealingLR": lambda L, opt: L.CosineAnnealingLR(opt, T_max=8, eta_min=0.001),
    "CosineAnnealingWarmRestarts": lambda L, opt: L.CosineAnnealingWarmRestarts(opt, T_0=5),
    "CosineAnnealingWarmRestarts-T_mult": lambda L, opt: L.CosineAnnealingWarmRestarts(
        opt, T_0=3, T_mult=2, eta_min=0.002),
    "OneCycleLR": lambda L, opt: L.OneCycleLR(opt, max_lr=[1.0, 0.5], total_steps=EPOCHS + 1),
    "OneCycleLR-linear-three_phase": lambda L, opt: L.OneCycleLR(
        opt, max_lr=0.8, epochs=4, steps_per_epoch=8, pct_start=0.25, anneal_strategy="linear",
        three_phase=True, div_factor=10.0, final_div_factor=100.0),
    "OneCycleLR-no-momentum": lambda L, opt: L.OneCycleLR(
        opt, max_lr=0.5, total_steps=EPOCHS, cycle_momentum=False, pct_start=0.4),
    "SequentialLR": sequential,
    "ChainedScheduler": lambda L, opt: L.ChainedScheduler(
        [L.ConstantLR(opt, factor=0.5, total_iters=4), L.ExponentialLR(opt, gamma=0.9)]),
}
OPTIMIZERS = {"OneCycleLR-linear-three_phase": ("Adam", dict())}  # cycles β₁


def momentum_of(group):
    return group["betas"][0] if "betas" in group else group.get("momentum")


def record(optimizer, scheduler, epochs):
    out = []
    for _ in range(epochs):
        out.append(([g["lr"] for g in optimizer.param_groups],
                    [momentum_of(g) for g in optimizer.param_groups],
                    list(scheduler.get_last_lr())))
        scheduler.step()
    out.append(([g["lr"] for g in optimizer.param_groups],
                [momentum_of(g) for g in optimizer.param_groups], list(scheduler.get_last_lr())))
    return out


def assert_same(got, want, what):
    for epoch, ((lr, mom, last), (tlr, tmom, tlast)) in enumerate(zip(got, want)):
        where = f"{what}, epoch {epoch}"
        np.testing.assert_allclose(lr, tlr, rtol=1e-12, atol=1e-15, err_msg=where)
        np.testing.assert_allclose(last, tlast, rtol=1e-12, atol=1e-15, err_msg=where)
        if tmom[0] is not None:
            np.testing.assert_allclose(mom, tmom, rtol=1e-12, err_msg=where)
    assert len(got) == len(want)


@pytest.mark.filterwarnings("ignore::UserWarning")  # torch's advice to step the optimizer first
@pytest.mark.parametrize("name", SCHEDULES)
def test_rates_match_torch_and_resume_identically(name):
    optimizer_name, kwargs = OPTIMIZERS.get(name, ("SGD", dict(momentum=0.9)))
    make, epochs = SCHEDULES[name], EPOCHS
    opt, sched = build("ours", optimizer_name, make, **kwargs)
    topt, tsched = build("torch", optimizer_name, make, **kwargs)
    assert getattr(sched, "last_epoch", None) == getattr(tsched, "last_epoch", None)
    half = epochs // 2
    first = record(opt, sched, half)
    assert_same(first, record(topt, tsched, half), f"{name} vs torch")
    assert getattr(sched, "last_epoch", None) == getattr(tsched, "last_epoch", None)

    saved_opt, saved = opt.state_dict(), sched.state_dict()
    opt2, sched2 = build("ours", optimizer_name, make, **kwargs)
    opt2.load_state_dict(saved_opt)
    sched2.load_state_dict(saved)
    rest = record(opt, sched, epochs - half)
    assert_same(rest, record(topt, tsched, epochs - half), f"{name} vs torch, second half")
    assert_same(record(opt2, sched2, epochs - half), rest, f"{name} resumed")


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("T_mult", [1, 2])
def test_warm_restarts_at_fractional_epochs_match_torch(T_mult):
    make = lambda L, opt: L.CosineAnnealingWarmRestarts(opt, T_0=4, T_mult=T_mult, eta_min=1e-3)  # noqa: E731
    opt, sched = build("ours", "SGD", make)
    topt, tsched = build("torch", "SGD", make)
    iters = 5
    for epoch in range(12):
        for i in range(iters):
            sched.step(epoch + i / iters)
            tsched.step(epoch + i / iters)
            assert sched.get_last_lr() == pytest.approx(tsched.get_last_lr(), rel=1e-12)
            assert (sched.T_cur, sched.T_i, sched.last_epoch) == \
                pytest.approx((tsched.T_cur, tsched.T_i, tsched.last_epoch), rel=1e-12)


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("name, epoch", [("StepLR", 9), ("MultiStepLR", 8), ("LinearLR", 4),
                                         ("ConstantLR", 7), ("ExponentialLR", 5),
                                         ("CosineAnnealingLR", 11), ("PolynomialLR", 25)])
def test_step_to_an_epoch_uses_the_closed_form_as_torch_does(name, epoch):
    opt, sched = build("ours", "SGD", SCHEDULES[name])
    topt, tsched = build("torch", "SGD", SCHEDULES[name])
    with pytest.warns(UserWarning, match="deprecated"):
        sched.step(epoch)
    tsched.step(epoch)
    assert sched.get_last_lr() == pytest.approx(tsched.get_last_lr(), rel=1e-12)
    sched.step()
    tsched.step()
    assert sched.get_last_lr() == pytest.approx(tsched.get_last_lr(), rel=1e-12)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_a_schedule_resumed_with_last_epoch_matches_torch():
    def make(L, opt, last_epoch):
        return L.CosineAnnealingLR(opt, T_max=10, eta_min=0.01, last_epoch=last_epoch)

    rates = []
    for lib, L in (("ours", ours), ("torch", theirs)):
        opt, sched = build(lib, "SGD", lambda L, opt: make(L, opt, -1))
        for _ in range(6):
            sched.step()
        resumed = make(L, opt, 6)  # a new schedule taking over at epoch 6
        rates.append([resumed.get_last_lr()] + [resumed.step() or resumed.get_last_lr()
                                                for _ in range(5)])
    np.testing.assert_allclose(rates[0], rates[1], rtol=1e-12)
    assert math.isfinite(rates[0][-1][0])


@pytest.mark.parametrize("kwargs", [dict(factor=0.5, patience=2),
                                    dict(mode="max", factor=0.3, patience=1, cooldown=2,
                                         threshold=0.05, min_lr=[0.01, 0.02]),
                                    dict(threshold_mode="abs", threshold=0.1, patience=0,
                                         eps=1e-3)])
def test_reduce_on_plateau_matches_torch(kwargs):
    metrics = np.random.default_rng(5).normal(size=40).cumsum()
    opt, _ = build("ours", "SGD", lambda L, opt: None)
    topt, _ = build("torch", "SGD", lambda L, opt: None)
    sched = ours.ReduceLROnPlateau(opt, **kwargs)
    tsched = theirs.ReduceLROnPlateau(topt, **kwargs)
    for metric in metrics:
        sched.step(metric)
        tsched.step(metric)
        assert sched.get_last_lr() == pytest.approx(tsched.get_last_lr(), rel=1e-12)
        assert (sched.best, sched.num_bad_epochs, sched.last_epoch) == \
            (tsched.best, tsched.num_bad_epochs, tsched.last_epoch)
