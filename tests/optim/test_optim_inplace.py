"""Optimizer steps update in place: no parameter-sized allocation per step, the same arrays
before and after, one version bump per parameter per step, and the same numbers whichever way
a parameter is laid out (whole, cut into blocks, or strided)."""

import tracemalloc

import numpy as np
import pytest

import autograd as ag
import optim
from autograd import Tensor

# One configuration per optimizer that switches on every buffer its rule has.
FULL = [
    (optim.SGD, dict(lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    (optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True, maximize=True, weight_decay=0.01)),
    (optim.Adagrad, dict(lr_decay=0.1, weight_decay=0.01, maximize=True)),
    (optim.RMSprop, dict(momentum=0.9, centered=True, weight_decay=0.01)),
    (optim.Adam, dict(amsgrad=True, weight_decay=0.01, maximize=True)),
    (optim.AdamW, dict(amsgrad=True)),
    (optim.Adadelta, dict(weight_decay=0.01)),
]
IDS = [f"{cls.__name__}-{i}" for i, (cls, _) in enumerate(FULL)]


def make_params(rng, shapes, dtype=np.float64):
    params = [Tensor(rng.normal(size=s).astype(dtype), requires_grad=True) for s in shapes]
    for p in params:
        p.grad = Tensor(rng.normal(size=p.shape).astype(dtype))
    return params


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("cls, kwargs", FULL, ids=IDS)
def test_a_step_allocates_nothing_parameter_sized(cls, kwargs, dtype):
    rng = np.random.default_rng(0)
    params = make_params(rng, [(200, 100), (20_000,), (7,)], dtype)
    opt = cls(params, **kwargs)
    opt.step()  # the first step makes the state and the scratch buffer
    arrays = [p.numpy() for p in params]
    state = {id(p): {k: v for k, v in opt.state[p].items() if isinstance(v, np.ndarray)}
             for p in params}
    tracemalloc.start()
    try:
        for _ in range(3):
            opt.step()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    smallest_big = 20_000 * np.dtype(dtype).itemsize
    assert peak < smallest_big / 10, f"{cls.__name__} step allocated {peak} bytes"
    for p, array in zip(params, arrays):
        assert p.numpy() is array
        for key, buffer in state[id(p)].items():
            assert opt.state[p][key] is buffer, key


def test_the_scratch_buffer_is_shared_and_sized_to_the_largest_parameter():
    rng = np.random.default_rng(1)
    params = make_params(rng, [(30, 20), (100,)]) + make_params(rng, [(50,)], np.float32)
    opt = optim.Adam(params)
    opt.step()
    buffers = {k: v for k, v in opt._scratch.items() if not isinstance(k, tuple)}
    assert {k: v.shape for k, v in buffers.items()} == {np.dtype(np.float64): (2, 600),
                                                        np.dtype(np.float32): (2, 50)}


@pytest.mark.parametrize("cls, kwargs", FULL, ids=IDS)
def test_blocks_and_strided_parameters_give_the_same_numbers(cls, kwargs, monkeypatch):
    """A parameter larger than BLOCK is updated block by block; a strided one (which cannot be
    cut into flat blocks) whole. Both must match a small-parameter run bit for bit."""
    rng = np.random.default_rng(2)
    w0 = rng.normal(size=(30, 11))
    grads = [rng.normal(size=w0.shape) for _ in range(4)]

    def run(array):
        p = Tensor(array, requires_grad=True)
        opt = cls([p], **kwargs)
        for g in grads:
            p.grad = Tensor(g)
            opt.step()
        assert p.numpy() is array
        return array

    whole = run(w0.copy())
    monkeypatch.setattr("optim.optimizer.BLOCK", 64)
    blocked = run(w0.copy())
    strided = run(np.asfortranarray(w0))
    np.testing.assert_array_equal(blocked, whole)
    np.testing.assert_array_equal(strided, whole)


def test_each_step_bumps_the_shared_version_counter_once():
    base = Tensor(np.ones(3))
    w = base.detach()  # shares base's array and its version counter
    w.requires_grad = True
    x = Tensor(np.arange(3.0), requires_grad=True)
    loss = (base * x).sum()  # saves base for x's gradient
    opt = optim.Adam([w], lr=0.1)
    before = base.version
    for step in range(1, 4):
        w.grad = Tensor(np.ones(3))
        opt.step()
        assert base.version == w.version == before + step
    with pytest.raises(RuntimeError, match="modified in place"):
        loss.backward()


def test_a_gradient_of_another_dtype_is_cast_and_left_alone():
    p = Tensor(np.ones(4), requires_grad=True)
    g = np.full(4, 0.5, dtype=np.float32)
    p.grad = Tensor(g)
    optim.SGD([p], lr=0.1, momentum=0.9).step()
    np.testing.assert_allclose(p.numpy(), 0.95)
    assert p.numpy().dtype == np.float64 and p.grad.numpy() is g and g[0] == 0.5


def test_the_closure_records_even_when_step_is_called_under_no_grad():
    w = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    opt = optim.SGD([w], lr=0.1)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()  # would fail if the closure ran without recording
        return loss

    with ag.no_grad():
        loss = opt.step(closure)
        assert not ag.is_grad_enabled()  # and the caller's mode is back afterwards
    assert loss.item() == 5.0
    np.testing.assert_allclose(w.numpy(), [0.8, -1.6])


def test_zeroing_a_gradient_in_place_counts_as_an_in_place_write():
    p = Tensor(np.ones(2), requires_grad=True)
    p.grad = Tensor(np.full(2, 3.0))
    before = p.grad.version
    optim.SGD([p], lr=0.1).zero_grad(set_to_none=False)
    assert p.grad.version == before + 1 and not p.grad.numpy().any()
