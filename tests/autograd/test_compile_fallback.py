"""What ag.compile cannot replay runs eagerly, with one CompileWarning naming the user's line:
values read in Python (.item(), .numpy(), .tolist(), bool/float/int of a tensor), a Python
branch on a value, NumPy work outside ops on the data, and module state updated outside ops."""

import copy
import warnings

import numpy as np
import pytest

import autograd as ag
import nn
import optim
from autograd.compile import CompileWarning


def close(a, b):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-6, atol=1e-7)


def run_both(make_step, calls=4):
    """Run an eager and a compiled twin on the same batches; return the warnings and check
    the losses and weights agree."""
    nn.init.manual_seed(0)
    a = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    b = copy.deepcopy(a)
    eager = make_step(a, optim.SGD(a.parameters(), lr=0.1))
    compiled = ag.compile(make_step(b, optim.SGD(b.parameters(), lr=0.1)))
    rng = np.random.default_rng(0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(calls):
            x = ag.Tensor(rng.standard_normal((6, 4)).astype(np.float32))
            y = ag.Tensor(rng.integers(0, 3, 6))
            close(eager(x, y)._data, compiled(x, y)._data)
    for p, q in zip(a.parameters(), b.parameters()):
        close(p._data, q._data)
    found = [w for w in caught if issubclass(w.category, CompileWarning)]
    assert len(found) == 1, [str(w.message) for w in found]
    return str(found[0].message)


def trainer(body):
    def make(model, opt):
        def step(x, y):
            opt.zero_grad()
            loss = body(model, x, y)
            loss.backward()
            opt.step()
            return loss
        return step
    return make


def test_item_on_a_traced_value():
    def body(model, x, y):
        loss = nn.functional.cross_entropy(model(x), y)
        if loss.item() > 100.0:
            loss = loss * 0.0
        return loss
    message = run_both(trainer(body))
    assert ".item() on a traced value" in message
    assert "test_compile_fallback.py" in message and "if loss.item() > 100.0:" in message


def test_python_branch_on_a_value():
    def body(model, x, y):
        out = model(x)
        if out.sum() > 0:  # bool() of a comparison of traced values
            out = out * 2.0
        return nn.functional.cross_entropy(out, y)
    message = run_both(trainer(body))
    assert "bool() on a traced value" in message and "if out.sum() > 0:" in message


@pytest.mark.parametrize("read", ["numpy", "tolist", "float", "int"])
def test_values_read_in_python(read):
    def body(model, x, y):
        out = model(x)
        loss = nn.functional.cross_entropy(out, y)
        if read == "numpy":
            scale = 1.0 + 0.0 * float(out.numpy().mean())
        elif read == "tolist":
            scale = 1.0 + 0.0 * len(out.tolist())
        elif read == "float":
            scale = 1.0 + 0.0 * float(loss)
        else:
            scale = 1 + 0 * int(loss)
        return loss * scale
    message = run_both(trainer(body))
    shown = {"numpy": ".numpy()", "tolist": ".tolist()", "float": "float()", "int": "int()"}
    assert f"{shown[read]} on a traced value" in message


def test_numpy_work_outside_ops_is_caught_by_the_second_trace():
    def body(model, x, y):
        logp = ag.log_softmax(model(x), axis=1)
        rows = np.arange(len(y._data))
        return -logp[rows, y._data].mean()  # the index is built from the labels in NumPy
    message = run_both(trainer(body))
    assert "'index' of GetItem differs between two calls" in message
    assert "return -logp[rows, y._data].mean()" in message


def test_class_weights_fall_back():
    weight = np.array([1.0, 2.0, 0.5], dtype=np.float32)

    def body(model, x, y):
        return nn.functional.cross_entropy(model(x), y, weight=ag.Tensor(weight))
    message = run_both(trainer(body))
    assert "differs between two calls" in message


def test_cross_entropy_compiles_with_labels_as_an_op_input():
    def body(model, x, y):
        return nn.functional.cross_entropy(model(x), y)
    nn.init.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 3))
    step = ag.compile(trainer(body)(model, optim.SGD(model.parameters(), lr=0.1)))
    rng = np.random.default_rng(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(4):
            step(ag.Tensor(rng.standard_normal((6, 4)).astype(np.float32)),
                 ag.Tensor(rng.integers(0, 3, 6)))
    assert "PickClass 0: (6, 3), (6,) -> (6,)" in step.code


def test_module_buffer_updated_outside_ops():
    nn.init.manual_seed(0)
    a = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.Linear(8, 3))
    b = copy.deepcopy(a)
    cb = ag.compile(b)
    rng = np.random.default_rng(0)
    with pytest.warns(CompileWarning, match="running_mean"):
        for _ in range(3):
            x = ag.Tensor(rng.standard_normal((6, 4)).astype(np.float32))
            close(a(x)._data, cb(x)._data)
    close(a[1].running_mean, b[1].running_mean)


def test_backward_with_create_graph_inside_runs_eagerly():
    w = ag.Tensor(np.array([0.5, -1.0], dtype=np.float32), requires_grad=True)
    w2 = ag.Tensor(w._data.copy(), requires_grad=True)

    def penalty(w):
        def step(x):
            (g,) = ag.grad((w * w * x).sum(), [w], create_graph=True)
            loss = (g * g).sum()
            loss.backward()
            return loss
        return step
    compiled = ag.compile(penalty(w2))
    x = ag.Tensor(np.array([1.0, 2.0], dtype=np.float32))
    with pytest.warns(CompileWarning):
        for _ in range(3):
            close(penalty(w)(x)._data, compiled(x)._data)
    close(w.grad._data, w2.grad._data)


def test_gradient_clipping_inside_the_step():
    def make(model, opt):
        def step(x, y):
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 0.01)
            opt.step()
            return loss
        return step
    message = run_both(make)
    assert "a .grad changed outside backward() and zero_grad()" in message
    assert "found on reaching" in message and "opt.step()" in message


def test_tensor_passed_by_keyword():
    nn.init.manual_seed(0)
    model = nn.Linear(3, 2)
    cm = ag.compile(lambda x, scale=None: model(x) * scale)
    x = ag.Tensor(np.ones((2, 3), dtype=np.float32))
    with pytest.warns(CompileWarning, match="by keyword"):
        for k in range(3):
            s = ag.Tensor(np.float32(k))
            close(cm(x, scale=s)._data, (model(x) * s)._data)


def test_grad_set_to_none_by_hand_inside_the_step():
    a = ag.Tensor(np.ones(3, dtype=np.float32), requires_grad=True)

    def step(x):
        a.grad = None
        loss = (a * x).sum()
        loss.backward()
        return loss
    compiled = ag.compile(step)
    with pytest.warns(CompileWarning, match=r"a \.grad set outside backward\(\) and zero_grad"):
        for k in range(4):
            x = ag.Tensor(np.full(3, k, dtype=np.float32))
            compiled(x)
            close(a.grad._data, x._data)
