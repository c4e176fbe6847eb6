"""Learning-rate schedules checked epoch by epoch against their closed forms and hand traces.

The schedules step by PyTorch's chainable formulas; here their rates are compared with the
closed forms written out (StepLR, MultiStepLR, ExponentialLR, the lambdas, ConstantLR, LinearLR,
PolynomialLR, the cosines) or with hand traces (OneCycleLR, SequentialLR, ChainedScheduler, and
ReduceLROnPlateau from PyTorch's documented rules: patience, cooldown, min_lr, threshold, eps).
Resuming from state_dict() must continue the same sequence. test_lr_scheduler_vs_torch.py
compares every schedule with PyTorch itself.
"""

import math

import numpy as np
import pytest

import optim
from autograd import Tensor
from optim.lr_scheduler import CosineAnnealingLR, ExponentialLR, ReduceLROnPlateau, StepLR


def make_optimizer(*lrs):
    """An SGD with one single-parameter group per learning rate."""
    groups = [{"params": [Tensor(np.zeros(2), requires_grad=True)], "lr": lr} for lr in lrs]
    return optim.SGD(groups, lr=lrs[0])


def lrs_over(scheduler, epochs):
    """The groups' rates at epoch 0 (set by construction), then after each of `epochs` steps."""
    optimizer = scheduler.optimizer
    out = [[g["lr"] for g in optimizer.param_groups]]
    for _ in range(epochs):
        scheduler.step()
        assert scheduler.get_last_lr() == [g["lr"] for g in optimizer.param_groups]
        out.append(scheduler.get_last_lr())
    return out


# --- closed-form schedules -------------------------------------------------------------------
SCHEDULES = [
    pytest.param(lambda opt: StepLR(opt, step_size=3, gamma=0.5),
                 lambda base, t: base * 0.5 ** (t // 3), id="StepLR"),
    pytest.param(lambda opt: StepLR(opt, step_size=1),
                 lambda base, t: base * 0.1**t, id="StepLR-default-gamma"),
    pytest.param(lambda opt: ExponentialLR(opt, gamma=0.9),
                 lambda base, t: base * 0.9**t, id="ExponentialLR"),
    pytest.param(lambda opt: CosineAnnealingLR(opt, T_max=5),
                 lambda base, t: base * (1 + math.cos(math.pi * t / 5)) / 2,
                 id="CosineAnnealingLR"),
    pytest.param(lambda opt: CosineAnnealingLR(opt, T_max=4, eta_min=0.01),
                 lambda base, t: 0.01 + (base - 0.01) * (1 + math.cos(math.pi * t / 4)) / 2,
                 id="CosineAnnealingLR-eta_min"),
]


@pytest.mark.parametrize("make, closed_form", SCHEDULES)
def test_schedules_follow_their_closed_form_in_every_group(make, closed_form):
    scheduler = make(make_optimizer(0.1, 0.02))
    assert scheduler.last_epoch == 0
    assert [g["initial_lr"] for g in scheduler.optimizer.param_groups] == [0.1, 0.02]
    for t, lrs in enumerate(lrs_over(scheduler, 12)):
        assert lrs == pytest.approx([closed_form(0.1, t), closed_form(0.02, t)], rel=1e-12), t
    assert scheduler.last_epoch == 12


def test_step_lr_by_hand():
    scheduler = StepLR(make_optimizer(1.0), step_size=3, gamma=0.1)
    got = [lrs[0] for lrs in lrs_over(scheduler, 8)]
    assert got == pytest.approx([1, 1, 1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01], rel=1e-12)


def test_cosine_reaches_eta_min_at_t_max_and_climbs_back_after():
    scheduler = CosineAnnealingLR(make_optimizer(1.0), T_max=4, eta_min=0.2)
    got = [lrs[0] for lrs in lrs_over(scheduler, 8)]
    half = 0.4 * (1 + math.sqrt(0.5))  # (1 − 0.2)·(1 + cos(π/4))/2
    want = [1.0, 0.2 + half, 0.6, 1.0 - half, 0.2, 1.0 - half, 0.6, 0.2 + half, 1.0]
    assert got == pytest.approx(want, rel=1e-12, abs=1e-15)


def test_a_second_scheduler_keeps_the_recorded_initial_lr():
    optimizer = make_optimizer(1.0)
    first = StepLR(optimizer, step_size=1, gamma=0.5)
    first.step()
    second = ExponentialLR(optimizer, gamma=0.9)
    assert optimizer.param_groups[0]["initial_lr"] == 1.0
    # base_lrs are the recorded starts; the rate itself carries on from where `first` left it
    assert second.base_lrs == [1.0] and second.get_last_lr() == [0.5]
    second.step()
    assert second.get_last_lr() == [0.45]


def test_resume_from_state_dict_continues_the_same_sequence():
    optimizer = make_optimizer(0.1, 0.05)
    scheduler = CosineAnnealingLR(optimizer, T_max=10, eta_min=0.001)
    for _ in range(4):
        scheduler.step()
    saved_optimizer, saved_scheduler = optimizer.state_dict(), scheduler.state_dict()
    assert "optimizer" not in saved_scheduler and saved_scheduler["last_epoch"] == 4

    fresh = make_optimizer(0.1, 0.05)
    resumed = CosineAnnealingLR(fresh, T_max=10, eta_min=0.001)
    fresh.load_state_dict(saved_optimizer)
    resumed.load_state_dict(saved_scheduler)
    assert resumed.get_last_lr() == scheduler.get_last_lr()
    assert lrs_over(resumed, 8) == lrs_over(scheduler, 8)


def test_resume_with_last_epoch_needs_initial_lr():
    optimizer = make_optimizer(1.0)
    with pytest.raises(KeyError, match=r"param_groups\[0\] has no 'initial_lr'"):
        StepLR(optimizer, step_size=2, last_epoch=4)
    optimizer.param_groups[0]["initial_lr"] = 1.0
    optimizer.param_groups[0]["lr"] = 0.25  # where a run stopped at epoch 4 left it
    scheduler = StepLR(optimizer, step_size=2, gamma=0.5, last_epoch=4)
    assert scheduler.last_epoch == 5 and scheduler.get_last_lr() == [0.25]
    scheduler.step()
    assert scheduler.get_last_lr() == [0.125]


@pytest.mark.parametrize("make, error, message", [
    (lambda opt: StepLR(opt, step_size=0), ValueError, "StepLR: invalid step_size=0"),
    (lambda opt: StepLR(opt, step_size=1.5), TypeError, "StepLR: step_size must be an int"),
    (lambda opt: StepLR(opt, step_size=2, gamma=-0.5), ValueError,
     r"StepLR: invalid gamma=-0\.5, expected a value > 0"),
    (lambda opt: ExponentialLR(opt, gamma=0), ValueError, "ExponentialLR: invalid gamma=0"),
    (lambda opt: CosineAnnealingLR(opt, T_max=-3), ValueError,
     "CosineAnnealingLR: invalid T_max=-3"),
    (lambda opt: CosineAnnealingLR(opt, T_max=3, eta_min=-1), ValueError,
     "CosineAnnealingLR: invalid eta_min=-1"),
    (lambda opt: StepLR("sgd", step_size=2), TypeError,
     "StepLR: optimizer must be an optim.Optimizer, got str"),
])
def test_bad_scheduler_arguments_are_refused_by_name(make, error, message):
    with pytest.raises(error, match=message):
        make(make_optimizer(1.0))


# --- ReduceLROnPlateau ----------------------------------------------------------------------
def plateau_lrs(metrics, lr=1.0, **kwargs):
    optimizer = make_optimizer(lr)
    scheduler = ReduceLROnPlateau(optimizer, **kwargs)
    out = []
    for metric in metrics:
        scheduler.step(metric)
        out.append(optimizer.param_groups[0]["lr"])
        assert scheduler.get_last_lr() == [out[-1]]
    return out


@pytest.mark.parametrize("metrics, kwargs, want", [
    # epoch 1 sets best; 3 bad epochs > patience 2 cut the rate, and the count starts again
    ([1.0] * 7, dict(factor=0.5, patience=2), [1, 1, 1, 0.5, 0.5, 0.5, 0.25]),
    # a steadily improving metric never cuts
    ([5.0, 4.0, 3.0, 2.0, 1.0, 0.5], dict(factor=0.5, patience=0), [1] * 6),
    # after a cut, 2 cooldown epochs count no bad epochs: the next cut waits until epoch 7
    ([1.0] * 7, dict(factor=0.5, patience=1, cooldown=2), [1, 1, 0.5, 0.5, 0.5, 0.5, 0.25]),
    # min_lr floors the rate; once there, a "cut" changes nothing
    ([1.0] * 4, dict(factor=0.1, patience=0, min_lr=0.05), [1, 0.1, 0.05, 0.05]),
    # mode='max': rising accuracy is improvement, a flat one is not
    ([0.1, 0.2, 0.3, 0.3, 0.3], dict(mode="max", factor=0.5, patience=1), [1, 1, 1, 1, 0.5]),
    # relative threshold 10%: 0.95 and 0.92 are not better than best=1 (need < 0.9)
    ([1.0, 0.95, 0.92], dict(factor=0.5, patience=1, threshold=0.1), [1, 1, 0.5]),
    # absolute threshold 0.01: 0.95 < 0.99 and 0.92 < 0.94 are improvements
    ([1.0, 0.95, 0.92], dict(factor=0.5, patience=1, threshold=0.01, threshold_mode="abs"),
     [1, 1, 1]),
    # a cut smaller than eps is skipped
    ([1.0] * 3, dict(lr=1e-8, factor=0.5, patience=0), [1e-8] * 3),
])
def test_reduce_on_plateau_traces(metrics, kwargs, want):
    assert plateau_lrs(metrics, **kwargs) == pytest.approx(want, rel=1e-12)


def test_reduce_on_plateau_per_group_min_lr_and_tensor_metrics():
    optimizer = make_optimizer(1.0, 0.5)
    scheduler = ReduceLROnPlateau(optimizer, factor=0.1, patience=0, min_lr=[0.5, 0.0])
    for _ in range(3):
        scheduler.step(Tensor(np.array(2.0)))  # epoch 1 sets best; 2 and 3 are bad
    assert scheduler.get_last_lr() == pytest.approx([0.5, 0.005], rel=1e-12)  # epochs 2, 3 cut
    assert scheduler.last_epoch == 3 and scheduler.best == 2.0


def test_reduce_on_plateau_resumes_from_state_dict():
    metrics = [3.0, 2.0, 2.0, 2.0, 1.5, 1.5, 1.5, 1.5, 1.5, 1.0]
    optimizer = make_optimizer(1.0)
    scheduler = ReduceLROnPlateau(optimizer, factor=0.5, patience=1, cooldown=1)
    for metric in metrics[:5]:
        scheduler.step(metric)
    fresh = make_optimizer(1.0)
    fresh.load_state_dict(optimizer.state_dict())
    resumed = ReduceLROnPlateau(fresh)
    resumed.load_state_dict(scheduler.state_dict())
    for metric in metrics[5:]:
        scheduler.step(metric)
        resumed.step(metric)
        assert resumed.get_last_lr() == scheduler.get_last_lr()
    assert resumed.state_dict() == scheduler.state_dict()


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(factor=1.0), ValueError, r"ReduceLROnPlateau: invalid factor=1\.0, expected a value "
                                   r"in \[0, 1\)"),
    (dict(mode="median"), ValueError,
     "ReduceLROnPlateau: invalid mode='median', expected 'min' or 'max'"),
    (dict(threshold_mode="relative"), ValueError,
     "ReduceLROnPlateau: invalid threshold_mode='relative'"),
    (dict(min_lr=[0.0, 0.1]), ValueError,
     "ReduceLROnPlateau: expected 1 min_lr values .one per parameter group., got 2"),
    (dict(min_lr=-1), ValueError, r"ReduceLROnPlateau: invalid min_lr\[0\]=-1"),
    (dict(patience=-1), ValueError, "ReduceLROnPlateau: invalid patience=-1"),
    (dict(cooldown="2"), TypeError, "ReduceLROnPlateau: cooldown must be a real number"),
])
def test_bad_plateau_arguments_are_refused_by_name(kwargs, error, message):
    with pytest.raises(error, match=message):
        ReduceLROnPlateau(make_optimizer(1.0), **kwargs)


# --- the other schedules: closed forms and hand traces ---------------------------------------
def warm_restart_closed_form(base, t, T_0=3, T_mult=2, eta_min=0.01):
    start, length = 0, T_0
    while t >= start + length:
        start, length = start + length, length * T_mult
    return eta_min + (base - eta_min) * (1 + math.cos(math.pi * (t - start) / length)) / 2


MORE = [
    pytest.param(lambda opt: optim.lr_scheduler.MultiStepLR(opt, [2, 5, 5], gamma=0.5),
                 lambda base, t: base * 0.5 ** ((t >= 2) + 2 * (t >= 5)), id="MultiStepLR"),
    pytest.param(lambda opt: optim.lr_scheduler.LambdaLR(opt, lambda e: 1 / (1 + e)),
                 lambda base, t: base / (1 + t), id="LambdaLR"),
    pytest.param(lambda opt: optim.lr_scheduler.MultiplicativeLR(opt, lambda e: 0.9),
                 lambda base, t: base * 0.9**t, id="MultiplicativeLR"),
    pytest.param(lambda opt: optim.lr_scheduler.ConstantLR(opt, factor=0.5, total_iters=3),
                 lambda base, t: base * (0.5 if t < 3 else 1.0), id="ConstantLR"),
    pytest.param(lambda opt: optim.lr_scheduler.LinearLR(opt, 0.2, 1.0, total_iters=4),
                 lambda base, t: base * (0.2 + 0.8 * min(t, 4) / 4), id="LinearLR"),
    pytest.param(lambda opt: optim.lr_scheduler.PolynomialLR(opt, total_iters=5, power=2.0),
                 lambda base, t: base * (1 - min(t, 5) / 5) ** 2, id="PolynomialLR"),
    pytest.param(lambda opt: optim.lr_scheduler.CosineAnnealingWarmRestarts(
        opt, T_0=3, T_mult=2, eta_min=0.01), warm_restart_closed_form,
        id="CosineAnnealingWarmRestarts"),
]


@pytest.mark.parametrize("make, closed_form", MORE)
def test_chainable_steps_follow_the_closed_form(make, closed_form):
    scheduler = make(make_optimizer(0.1, 0.02))
    for t, lrs in enumerate(lrs_over(scheduler, 25)):
        assert lrs == pytest.approx([closed_form(0.1, t), closed_form(0.02, t)],
                                    rel=1e-12, abs=1e-15), t


def test_one_cycle_by_hand():
    optimizer = optim.SGD([Tensor(np.zeros(1), requires_grad=True)], lr=1.0, momentum=0.9)
    scheduler = optim.lr_scheduler.OneCycleLR(optimizer, max_lr=1.0, total_steps=10,
                                              div_factor=10.0, final_div_factor=100.0)
    group = optimizer.param_groups[0]
    assert (group["initial_lr"], group["max_lr"], group["min_lr"]) == (0.1, 1.0, 0.001)
    lrs, momenta = [group["lr"]], [group["momentum"]]
    for _ in range(9):
        scheduler.step()
        lrs.append(group["lr"])
        momenta.append(group["momentum"])
    # up over steps 0..2 (0.3·10 − 1 = 2), halfway at step 1; down to min_lr at step 9
    assert lrs[:3] == pytest.approx([0.1, 0.55, 1.0], rel=1e-12)
    assert lrs[9] == pytest.approx(0.001, rel=1e-12)
    assert momenta[0] == 0.95 and momenta[2] == pytest.approx(0.85) and momenta[9] == 0.95
    scheduler.step()  # step 10 is allowed (total_steps), 11 is one too many
    with pytest.raises(ValueError, match="OneCycleLR: tried to step 11 times, but total_steps "
                                         "is 10"):
        scheduler.step()


def test_sequential_hands_over_at_the_milestone():
    optimizer = make_optimizer(1.0)
    warm = optim.lr_scheduler.LinearLR(optimizer, start_factor=0.5, total_iters=2)
    decay = optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.5)
    scheduler = optim.lr_scheduler.SequentialLR(optimizer, [warm, decay], milestones=[3])
    got = [lrs[0] for lrs in lrs_over(scheduler, 5)]
    assert got == pytest.approx([0.5, 0.75, 1.0, 1.0, 0.5, 0.25], rel=1e-12)


def test_chained_factors_multiply():
    optimizer = make_optimizer(1.0)
    scheduler = optim.lr_scheduler.ChainedScheduler([
        optim.lr_scheduler.ConstantLR(optimizer, factor=0.5, total_iters=2),
        optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.9)])
    got = [lrs[0] for lrs in lrs_over(scheduler, 3)]
    assert got == pytest.approx([0.5, 0.45, 0.81, 0.729], rel=1e-12)


class Halve:
    def __init__(self):
        self.calls = 0

    def __call__(self, epoch):
        self.calls += 1
        return 0.5**epoch


def test_lambda_state_keeps_callable_objects_but_not_functions():
    optimizer = make_optimizer(1.0, 1.0)
    scheduler = optim.lr_scheduler.LambdaLR(optimizer, [Halve(), lambda e: 1.0])
    scheduler.step()
    saved = scheduler.state_dict()
    assert saved["lr_lambdas"] == [{"calls": 2}, None]
    fresh = optim.lr_scheduler.LambdaLR(make_optimizer(1.0, 1.0), [Halve(), lambda e: 1.0])
    fresh.load_state_dict(saved)
    assert fresh.lr_lambdas[0].calls == 2 and fresh.last_epoch == 1


@pytest.mark.parametrize("make, error, message", [
    (lambda opt: optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0), ValueError,
     "OneCycleLR: give either total_steps, or epochs and steps_per_epoch"),
    (lambda opt: optim.lr_scheduler.OneCycleLR(opt, 1.0, total_steps=5, anneal_strategy="exp"),
     ValueError, "OneCycleLR: invalid anneal_strategy='exp', expected 'cos' or 'linear'"),
    (lambda opt: optim.lr_scheduler.OneCycleLR(opt, 1.0, total_steps=5, pct_start=1.5),
     ValueError, r"OneCycleLR: invalid pct_start=1\.5"),
    (lambda opt: optim.lr_scheduler.OneCycleLR(opt, [1.0, 2.0], total_steps=5), ValueError,
     r"OneCycleLR: expected 1 max_lr values \(one per parameter group\), got 2"),
    (lambda opt: optim.lr_scheduler.OneCycleLR(optim.Adagrad(opt.param_groups[0]["params"]),
                                               1.0, total_steps=5), ValueError,
     "OneCycleLR: cycle_momentum=True needs an optimizer with 'momentum' or 'betas', "
     "Adagrad has neither"),
    (lambda opt: optim.lr_scheduler.SequentialLR(
        opt, [optim.lr_scheduler.StepLR(opt, 2), optim.lr_scheduler.StepLR(opt, 3)], []),
     ValueError, "SequentialLR: expects one milestone fewer than schedulers, got 2 schedulers "
                 "and 0 milestones"),
    (lambda opt: optim.lr_scheduler.ChainedScheduler([ReduceLROnPlateau(opt)]), ValueError,
     r"ChainedScheduler: schedulers\[0\] is a ReduceLROnPlateau"),
    (lambda opt: optim.lr_scheduler.ChainedScheduler(
        [optim.lr_scheduler.StepLR(make_optimizer(1.0), 2)], opt), ValueError,
     r"ChainedScheduler: schedulers\[0\] \(StepLR\) belongs to another optimizer"),
    (lambda opt: optim.lr_scheduler.LambdaLR(opt, 0.5), TypeError,
     r"LambdaLR: lr_lambda\[0\] must be a function of the epoch, got float"),
    (lambda opt: optim.lr_scheduler.LinearLR(opt, start_factor=0), ValueError,
     r"LinearLR: invalid start_factor=0, expected a value in \(0, 1\]"),
    (lambda opt: optim.lr_scheduler.ConstantLR(opt, factor=0), ValueError,
     "ConstantLR: invalid factor=0"),
    (lambda opt: optim.lr_scheduler.MultiStepLR(opt, [2, 1.5]), TypeError,
     "MultiStepLR: each milestone must be an int, got 1.5"),
    (lambda opt: optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=0), ValueError,
     "CosineAnnealingWarmRestarts: invalid T_0=0, expected an int >= 1"),
    (lambda opt: optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, 2, T_mult=1.5), TypeError,
     "CosineAnnealingWarmRestarts: T_mult must be an int"),
    (lambda opt: optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, 2).step(-1), ValueError,
     "CosineAnnealingWarmRestarts: invalid epoch=-1, expected a value >= 0"),
])
def test_bad_arguments_of_the_other_schedules_are_refused_by_name(make, error, message):
    with pytest.raises(error, match=message):
        make(make_optimizer(1.0))


def test_get_lr_outside_step_warns_that_it_is_the_next_rate():
    scheduler = ExponentialLR(make_optimizer(1.0), gamma=0.5)
    with pytest.warns(UserWarning, match=r"ExponentialLR: to get the last learning rate .* use "
                                         r"get_last_lr\(\)"):
        assert scheduler.get_lr() == [0.5]  # the next rate, not the one in use
    assert scheduler.get_last_lr() == [1.0]


def test_a_schedule_written_by_subclassing_the_base_runs_as_in_pytorch():
    class Halving(optim.lr_scheduler._LRScheduler):  # older PyTorch code's base-class name
        def get_lr(self):
            return [base * 0.5**self.last_epoch for base in self.base_lrs]

    optimizer = make_optimizer(0.8)
    assert [lrs[0] for lrs in lrs_over(Halving(optimizer), 3)] == [0.8, 0.4, 0.2, 0.1]
