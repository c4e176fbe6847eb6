"""Optimizer trajectories next to PyTorch's: same initial weights, same gradients, many steps.

Every optimizer and option combination runs 25 steps in float64 on three parameters in two
groups (the second group overriding some options), one of them larger than a kernel block (made
small here) and one a strided view, and must land where torch.optim lands after every step
(rtol 1e-9).
"""

import numpy as np
import pytest

import optim
from autograd import Tensor

torch = pytest.importorskip("torch")

STEPS = 25
BLOCK = 64
SHAPES = [(3, 4), (2 * BLOCK + 7,), (5,)]

# (optimizer name, options for both groups, options the second group overrides)
COMBOS = [
    ("SGD", dict(lr=0.05), dict(lr=0.01)),
    ("SGD", dict(lr=0.05, momentum=0.9), dict(momentum=0.5)),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.1), dict(dampening=0)),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01),
     dict(lr=0.02, nesterov=False)),
    ("SGD", dict(lr=0.05, momentum=0.9, maximize=True, weight_decay=0.1), dict(maximize=False)),
    ("Adagrad", dict(lr=0.1), dict(lr=0.5)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.05, initial_accumulator_value=0.3),
     dict(initial_accumulator_value=0.0)),
    ("Adagrad", dict(lr=0.1, weight_decay=0.1, eps=1e-3, maximize=True), dict(weight_decay=0)),
    ("RMSprop", dict(lr=0.01), dict(alpha=0.5)),
    ("RMSprop", dict(lr=0.01, momentum=0.9), dict(momentum=0.0)),
    ("RMSprop", dict(lr=0.01, centered=True), dict(centered=False)),
    ("RMSprop", dict(lr=0.01, centered=True, momentum=0.8, weight_decay=0.1, maximize=True),
     dict(eps=1e-4)),
    ("Adam", dict(lr=0.01), dict(betas=(0.8, 0.99))),
    ("Adam", dict(lr=0.01, amsgrad=True), dict(amsgrad=False)),
    ("Adam", dict(lr=0.01, weight_decay=0.1, amsgrad=True, maximize=True), dict(eps=1e-4)),
    ("Adam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True), dict(lr=0.03)),
    ("AdamW", dict(lr=0.01), dict(weight_decay=0.5)),
    ("AdamW", dict(lr=0.01, amsgrad=True), dict(betas=(0.5, 0.6))),
    ("AdamW", dict(lr=0.01, amsgrad=True, maximize=True, weight_decay=0.1), dict(amsgrad=False)),
    ("Adadelta", dict(), dict(lr=0.5)),
    ("Adadelta", dict(rho=0.5, eps=1e-3), dict(rho=0.95)),
    ("Adadelta", dict(weight_decay=0.1, maximize=True), dict(weight_decay=0)),
]


def initial_weights(rng):
    weights = [rng.normal(size=shape) for shape in SHAPES]
    weights[0] = np.ascontiguousarray(weights[0].T).T  # a strided (Fortran-ordered) array
    return weights


@pytest.mark.parametrize("name, options, override", COMBOS,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(COMBOS)])
def test_trajectory_matches_torch(name, options, override, monkeypatch):
    monkeypatch.setattr("optim.optimizer.BLOCK", BLOCK)
    rng = np.random.default_rng(0)
    weights = initial_weights(rng)
    ours = [Tensor(w.copy(order="K"), requires_grad=True) for w in weights]
    theirs = [torch.tensor(w, requires_grad=True) for w in weights]
    opt = getattr(optim, name)([{"params": ours[:2]}, {"params": ours[2:], **override}],
                               **options)
    topt = getattr(torch.optim, name)([{"params": theirs[:2]}, {"params": theirs[2:],
                                                                 **override}], **options)
    for step in range(STEPS):
        for p, tp in zip(ours, theirs):
            g = rng.normal(size=p.shape)
            p.grad, tp.grad = Tensor(g), torch.tensor(g)
        opt.step()
        topt.step()
        for i, (p, tp) in enumerate(zip(ours, theirs)):
            np.testing.assert_allclose(p.numpy(), tp.detach().numpy(), rtol=1e-9, atol=1e-12,
                                       err_msg=f"{name}{options} parameter {i}, step {step}")
    assert ours[0].numpy().flags.f_contiguous  # the strided parameter was updated in place
    ours_sd, theirs_sd = opt.state_dict(), topt.state_dict()
    assert [g["params"] for g in ours_sd["param_groups"]] == \
        [g["params"] for g in theirs_sd["param_groups"]]
    assert ours_sd["state"].keys() == theirs_sd["state"].keys()
    for index, state in theirs_sd["state"].items():
        assert state.keys() == ours_sd["state"][index].keys(), index
        for key, value in state.items():
            np.testing.assert_allclose(np.asarray(ours_sd["state"][index][key]),
                                       value.numpy(), rtol=1e-9, atol=1e-12)


def test_float32_trajectory_matches_torch():
    rng = np.random.default_rng(1)
    w = rng.normal(size=(64, 32)).astype(np.float32)
    p, tp = Tensor(w.copy(), requires_grad=True), torch.tensor(w, requires_grad=True)
    opt = optim.Adam([p], lr=0.01, amsgrad=True, weight_decay=0.01)
    topt = torch.optim.Adam([tp], lr=0.01, amsgrad=True, weight_decay=0.01)
    for _ in range(STEPS):
        g = rng.normal(size=w.shape).astype(np.float32)
        p.grad, tp.grad = Tensor(g), torch.tensor(g)
        opt.step()
        topt.step()
    assert p.numpy().dtype == np.float32
    np.testing.assert_allclose(p.numpy(), tp.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_a_torch_training_loop_with_a_closure_runs_unchanged():
    """The same script, once with torch and once with chainrule: the same losses."""
    import autograd as ag

    rng = np.random.default_rng(2)
    x, y, w0 = rng.normal(size=(16, 3)), rng.normal(size=(16, 1)), rng.normal(size=(3, 1))

    def train(lib, make, optim_module):
        w = make(w0.copy(), requires_grad=True)
        opt = optim_module.Adadelta([w], lr=0.5)
        xs, ys = make(x), make(y)

        def closure():
            opt.zero_grad()
            loss = ((xs @ w - ys) ** 2).mean()
            loss.backward()
            return loss

        with lib.no_grad():  # step turns recording back on for the closure
            return [float(opt.step(closure)) for _ in range(10)]

    np.testing.assert_allclose(train(ag, ag.Tensor, optim),
                               train(torch, torch.tensor, torch.optim), rtol=1e-9)


def to_numpy(state_dict):
    """A torch optimizer state_dict with its tensors as ndarrays (as nn.save would keep it)."""
    return {"state": {i: {k: v.numpy().copy() if hasattr(v, "numpy") else v
                          for k, v in s.items()} for i, s in state_dict["state"].items()},
            "param_groups": [dict(g) for g in state_dict["param_groups"]]}


@pytest.mark.parametrize("name, options", [("SGD", dict(lr=0.1, momentum=0.9)),
                                           ("Adam", dict(lr=0.01, amsgrad=True)),
                                           ("Adagrad", dict(lr=0.1)),
                                           ("RMSprop", dict(centered=True, momentum=0.5)),
                                           ("Adadelta", dict(weight_decay=0.1))])
def test_a_torch_state_dict_loads_and_continues_like_torch(name, options):
    rng = np.random.default_rng(3)
    w = rng.normal(size=(4, 3))
    grads = [rng.normal(size=w.shape) for _ in range(8)]
    tp = torch.tensor(w, requires_grad=True)
    topt = getattr(torch.optim, name)([tp], **options)
    for g in grads[:4]:
        tp.grad = torch.tensor(g)
        topt.step()
    p = Tensor(tp.detach().numpy().copy(), requires_grad=True)
    opt = getattr(optim, name)([p], **options)
    opt.load_state_dict(to_numpy(topt.state_dict()))
    for g in grads[4:]:
        tp.grad, p.grad = torch.tensor(g), Tensor(g)
        topt.step()
        opt.step()
        np.testing.assert_allclose(p.numpy(), tp.detach().numpy(), rtol=1e-9, atol=1e-12)


def test_add_param_group_mid_run_matches_torch():
    rng = np.random.default_rng(4)
    a, b = rng.normal(size=3), rng.normal(size=(2, 2))
    pa, pb = Tensor(a.copy(), requires_grad=True), Tensor(b.copy(), requires_grad=True)
    ta, tb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    opt = optim.Adagrad([pa], lr=0.1, initial_accumulator_value=0.2)
    topt = torch.optim.Adagrad([ta], lr=0.1, initial_accumulator_value=0.2)
    for step in range(10):
        if step == 3:
            opt.add_param_group({"params": [pb], "lr": 0.5, "initial_accumulator_value": 0.0})
            topt.add_param_group({"params": [tb], "lr": 0.5, "initial_accumulator_value": 0.0})
        for p, tp in ((pa, ta), (pb, tb)):
            g = rng.normal(size=p.shape)
            p.grad, tp.grad = Tensor(g), torch.tensor(g)
        opt.step()
        topt.step()
        for p, tp in ((pa, ta), (pb, tb)):
            np.testing.assert_allclose(p.numpy(), tp.detach().numpy(), rtol=1e-9, atol=1e-12)
    assert [g["params"] for g in opt.state_dict()["param_groups"]] == [[0], [1]]
