"""ag.compile gives eager's results: the same losses, gradients and updated weights, both for a
model whose output is differentiated outside and for a whole training step; it retraces on a
new signature and shows the program it runs."""

import copy

import numpy as np
import pytest

import autograd as ag
import nn
import optim
from autograd.compile import CompiledOp

RTOL = 1e-6


def close(a, b):
    a, b = np.asarray(a), np.asarray(b)
    scale = max(float(np.abs(a).max(initial=0.0)), 1e-30)
    assert a.shape == b.shape
    assert float(np.abs(a - b).max(initial=0.0)) <= RTOL * scale, (a, b)


def mlp(*sizes, act=nn.ReLU):
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(act())
    return nn.Sequential(*layers)


def cnn(pad=0, size=28):
    side = ((size + 2 * pad - 2) // 2 + 2 * pad - 2) // 2
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=pad), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 8, 3, padding=pad), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(8 * side * side, 10))


class Recurrent(nn.Module):
    """The benchmark's LSTM model, small: the last h_n into a linear head."""

    def __init__(self, cell=nn.LSTM):
        super().__init__()
        self.rnn, self.head = cell(4, 8), nn.Linear(8, 3)

    def forward(self, x):
        out, state = self.rnn(x)
        h = state[0] if isinstance(state, tuple) else state
        return self.head(h[0])


def training_step(model, opt, loss_of):
    def step(x, y):
        opt.zero_grad()
        loss = loss_of(model(x), y, model)
        loss.backward()
        opt.step()
        return loss
    return step


def cross_entropy(out, y, model):
    return nn.functional.cross_entropy(out, y)


def moons_loss(out, y, model):
    l2 = sum((p * p).sum() for p in model.parameters())
    return nn.HingeLoss()(out, y) + 1e-4 * l2


def twins(make_model, make_opt, loss_of):
    nn.init.manual_seed(0)
    a = make_model()
    b = copy.deepcopy(a)
    oa, ob = make_opt(a.parameters()), make_opt(b.parameters())
    return (a, oa, training_step(a, oa, loss_of)), (b, ob, ag.compile(training_step(b, ob,
                                                                                    loss_of)))


def batches(rng, shape, classes, steps, labels="int"):
    rows = shape[1] if len(shape) == 3 else shape[0]  # a sequence is (L, B, features)
    for _ in range(steps):
        x = ag.Tensor(rng.standard_normal(shape).astype(np.float32))
        if labels == "int":
            y = ag.Tensor(rng.integers(0, classes, rows))
        else:
            y = ag.Tensor(np.where(rng.random((rows, 1)) < 0.5, -1.0, 1.0).astype(np.float32))
        yield x, y


STEP_CASES = {
    "moons 2-16-16-1, SGD": (lambda: mlp(2, 16, 16, 1), lambda p: optim.SGD(p, lr=0.05),
                             moons_loss, (16, 2), 2, "pm1"),
    "MLP 784-64-32-10 b32, SGD momentum": (lambda: mlp(784, 64, 32, 10),
                                           lambda p: optim.SGD(p, lr=0.01, momentum=0.9),
                                           cross_entropy, (32, 784), 10, "int"),
    "MLP b1, Adam": (lambda: mlp(784, 32, 10), lambda p: optim.Adam(p, lr=1e-3), cross_entropy,
                     (1, 784), 10, "int"),
    "MLP b256, tanh, AdamW": (lambda: mlp(20, 32, 10, act=nn.Tanh),
                              lambda p: optim.AdamW(p, lr=1e-3), cross_entropy, (256, 20), 10,
                              "int"),
    "digits CNN": (cnn, lambda p: optim.SGD(p, lr=0.01), cross_entropy, (4, 1, 28, 28), 10,
                   "int"),
    "LSTM, SGD": (Recurrent, lambda p: optim.SGD(p, lr=0.1), cross_entropy, (5, 6, 4), 3,
                  "int"),
    "GRU, Adam": (lambda: Recurrent(nn.GRU), lambda p: optim.Adam(p, lr=1e-2), cross_entropy,
                  (5, 6, 4), 3, "int"),
    "demo MLP 64-128-64-10, Adam": (lambda: mlp(64, 128, 64, 10),
                                    lambda p: optim.Adam(p, lr=2e-3), cross_entropy, (32, 64),
                                    10, "int"),
    "demo CNN (padding 1, 8x8)": (lambda: cnn(pad=1, size=8), lambda p: optim.Adam(p, lr=2e-3),
                                  cross_entropy, (8, 1, 8, 8), 10, "int"),
}


@pytest.mark.parametrize("case", list(STEP_CASES))
def test_training_step_matches_eager(case):
    make_model, make_opt, loss_of, shape, classes, labels = STEP_CASES[case]
    (a, oa, eager), (b, ob, compiled) = twins(make_model, make_opt, loss_of)
    rng = np.random.default_rng(1)
    for x, y in batches(rng, shape, classes, 5, labels):
        close(eager(x, y)._data, compiled(x, y)._data)
        for p, q in zip(a.parameters(), b.parameters()):
            close(p._data, q._data)
            close(p.grad._data, q.grad._data)
    assert compiled.traces == 2  # two traces, then replays
    assert "def step(" in compiled.code


@pytest.mark.parametrize("case", ["MLP 784-64-32-10 b32, SGD momentum", "digits CNN",
                                  "moons 2-16-16-1, SGD", "LSTM, SGD"])
def test_compiled_model_gives_eager_gradients(case):
    make_model, _, loss_of, shape, classes, labels = STEP_CASES[case]
    nn.init.manual_seed(0)
    a = make_model()
    b = copy.deepcopy(a)
    cb = ag.compile(b)
    rng = np.random.default_rng(2)
    for x, y in batches(rng, shape, classes, 4, labels):
        for m in (a, b):
            m.zero_grad()
        la = loss_of(a(x), y, a)
        out = cb(x)
        lb = loss_of(out, y, b)
        la.backward()
        lb.backward()
        close(la._data, lb._data)
        for p, q in zip(a.parameters(), b.parameters()):
            close(p.grad._data, q.grad._data)
    assert isinstance(out.grad_fn, CompiledOp)  # the replayed backward is one recorded node


def chain(x, c, d, n=200):
    y = x
    for _ in range(n // 3):
        y = ag.tanh(y * c + d)
    return y.sum()


def test_op_chain_both_uses():
    rng = np.random.default_rng(0)
    c = ag.Tensor(np.full(4, 0.9, dtype=np.float32))
    d = ag.Tensor(np.full(4, 0.1, dtype=np.float32))
    cf = ag.compile(lambda x: chain(x, c, d))
    for _ in range(4):
        x = ag.Tensor(rng.standard_normal(4).astype(np.float32), requires_grad=True)
        x2 = ag.Tensor(x._data.copy(), requires_grad=True)
        chain(x, c, d).backward()
        out = cf(x2)
        out.backward()
        close(x.grad._data, x2.grad._data)
    w = ag.Tensor(rng.standard_normal(4).astype(np.float32), requires_grad=True)
    w2 = ag.Tensor(w._data.copy(), requires_grad=True)

    def step(x, w):
        loss = chain(x * w, c, d)
        loss.backward()
        return loss

    cstep = ag.compile(step)
    for _ in range(4):
        x = ag.Tensor(rng.standard_normal(4).astype(np.float32))
        close(step(x, w)._data, cstep(x, w2)._data)
        close(w.grad._data, w2.grad._data)  # accumulated over the calls, as eager does


def test_changed_batch_size_retraces():
    (a, oa, eager), (b, ob, compiled) = twins(lambda: mlp(6, 8, 3), lambda p: optim.SGD(p, lr=0.1),
                                              cross_entropy)
    rng = np.random.default_rng(3)
    for n in (8, 8, 8, 5, 5, 5, 8):
        x, y = next(batches(rng, (n, 6), 3, 1))
        close(eager(x, y)._data, compiled(x, y)._data)
    assert compiled.traces == 4  # two per batch size, then replays of each
    for p, q in zip(a.parameters(), b.parameters()):
        close(p._data, q._data)


def test_scheduler_lr_is_honoured():
    (a, oa, eager), (b, ob, compiled) = twins(lambda: mlp(6, 8, 3), lambda p: optim.SGD(p, lr=0.5),
                                              cross_entropy)
    sa = optim.lr_scheduler.StepLR(oa, step_size=1, gamma=0.5)
    sb = optim.lr_scheduler.StepLR(ob, step_size=1, gamma=0.5)
    rng = np.random.default_rng(4)
    for x, y in batches(rng, (8, 6), 3, 6):
        close(eager(x, y)._data, compiled(x, y)._data)
        sa.step()
        sb.step()
    for p, q in zip(a.parameters(), b.parameters()):
        close(p._data, q._data)


def test_train_eval_switch_retraces_and_dropout_draws_fresh_masks():
    nn.init.manual_seed(0)
    model = nn.Sequential(nn.Linear(10, 50), nn.ReLU(), nn.Dropout(0.5), nn.Linear(50, 1))
    cm = ag.compile(model)
    x = ag.Tensor(np.ones((4, 10), dtype=np.float32))
    outs = [cm(x)._data.copy() for _ in range(4)]  # 2 traces, 2 replays
    assert cm.traces == 2
    assert not np.array_equal(outs[2], outs[3])  # each replay draws its own mask
    model.eval()
    with ag.no_grad():
        expected = model(x)._data
        for _ in range(3):
            close(cm(x)._data, expected)  # eval: no dropout, and its own program
    assert cm.traces == 4
    model.train()
    cm(x)
    assert cm.traces == 4  # the training program is still cached


def test_dropout_replay_keeps_eager_statistics():
    nn.init.manual_seed(0)
    drop = nn.Dropout(0.25)
    cd = ag.compile(drop)
    x = ag.Tensor(np.ones((200, 50), dtype=np.float32))
    for _ in range(3):
        out = cd(x)._data
    assert set(np.unique(out).tolist()) <= {0.0, np.float32(1 / 0.75)}
    assert abs((out == 0).mean() - 0.25) < 0.02


def test_code_is_readable_and_commented():
    model = mlp(784, 512, 10)
    cm = ag.compile(model)
    x = ag.Tensor(np.zeros((32, 784), dtype=np.float32))
    for _ in range(3):
        loss = cm(x).sum()
        loss.backward()
    code = cm.code
    assert "def forward(x):" in code and "def backward(" in code
    assert "v1 = np.matmul(x, W_0.T)" in code and "v1 += b_0" in code
    assert "# Linear 0: (32, 784) @ (512, 784)ᵀ + (512,)" in code
    assert "# Relu 0: (32, 512) -> (32, 512)" in code
    assert "# vjp Relu 0:" in code and "# vjp Linear 1: MatMul (32, 10) @ (10, 512)" in code
    assert "W_0: parameter (512, 784) float32" in code


def test_inference_under_no_grad_and_new_inputs():
    model = mlp(5, 7, 2)
    cm = ag.compile(model)
    rng = np.random.default_rng(5)
    with ag.no_grad():
        for _ in range(4):
            x = rng.standard_normal((3, 5)).astype(np.float32)
            out = cm(ag.Tensor(x))
            assert out.grad_fn is None
            close(out._data, model(ag.Tensor(x))._data)


def test_compiled_backward_refuses_create_graph():
    model = mlp(3, 4, 1)
    cm = ag.compile(model)
    x = ag.Tensor(np.ones((2, 3), dtype=np.float32))
    for _ in range(2):
        cm(x)
    out = cm(x).sum()
    with pytest.raises(RuntimeError, match=r"create_graph=True\) through a compiled function"):
        out.backward(create_graph=True)


def test_returned_values_are_fresh_arrays():
    (a, oa, eager), (b, ob, compiled) = twins(lambda: mlp(4, 4, 2), lambda p: optim.SGD(p, lr=0.1),
                                              cross_entropy)
    rng = np.random.default_rng(6)
    losses = [compiled(x, y) for x, y in batches(rng, (6, 4), 2, 5)]
    assert len({id(loss._data) for loss in losses}) == 5
    assert len({float(loss._data) for loss in losses}) == 5


def test_label_ops_gradients_and_second_order():
    """The ops that let class losses compile: PickClass (rows' label entries), its adjoint
    PutClass, against finite differences, including the second derivative through both."""
    from nn.losses import PickClass, PutClass

    rng = np.random.default_rng(7)
    a = ag.Tensor(rng.standard_normal((5, 4)), requires_grad=True)
    labels = ag.Tensor(np.array([0, 3, -100, 1, 3]))
    pick = PickClass(-100, "test")
    assert ag.gradcheck(lambda x: (pick(x, labels) ** 2).sum(), [a])
    put = PutClass((5, 4), -100, "test")
    g = ag.Tensor(rng.standard_normal(5), requires_grad=True)
    assert ag.gradcheck(lambda g: (put(g, labels) ** 2).sum(), [g])

    def grad_norm(x):
        (g,) = ag.grad((pick(x, labels) ** 3).sum(), [x], create_graph=True)
        return (g * g).sum()
    assert ag.gradcheck(grad_norm, [a])
    with pytest.raises(IndexError, match="target 7 at position"):
        pick(a, ag.Tensor(np.array([0, 7, 0, 0, 0])))


def test_compiled_module_forwards_attributes():
    model = mlp(3, 4, 2)
    cm = ag.compile(model)
    assert [id(p) for p in cm.parameters()] == [id(p) for p in model.parameters()]
    assert cm.training is True


def test_compiled_model_inside_a_compiled_step():
    """A compiled module called while a compiled step traces runs its ops into the step's
    program; replayed on its own, it is still compiled."""
    (a, oa, eager), (b, ob, _) = twins(lambda: mlp(5, 6, 3), lambda p: optim.SGD(p, lr=0.1),
                                       cross_entropy)
    inner = ag.compile(b)
    step = ag.compile(training_step(inner, ob, cross_entropy))
    rng = np.random.default_rng(8)
    for x, y in batches(rng, (4, 5), 3, 5):
        close(eager(x, y)._data, step(x, y)._data)
    for p, q in zip(a.parameters(), b.parameters()):
        close(p._data, q._data)
    assert step.traces == 2 and inner.traces == 0
    assert "W_0" in step.code or "p0" in step.code


def test_demo_with_compile_matches_eager(tmp_path, capsys):
    """`chainrule-demo --compile` trains the same models to the same losses and accuracies."""
    from nn import train

    common = ["--model", "both", "--epochs", "2", "--quiet", "--optimizer", "momentum"]
    eager = train.run(common + ["--out", str(tmp_path / "e")])
    compiled = train.run(common + ["--out", str(tmp_path / "c"), "--compile"])
    for name in ("mlp", "cnn"):
        close(eager[name]["loss"], compiled[name]["loss"])
        assert eager[name]["test_acc"] == compiled[name]["test_acc"]


MODEL = None


@ag.compile
def predict(x):
    return MODEL(x)


def test_decorator_and_a_rebound_global_model():
    """Modules are found on the first call (a decorated function's globals may not exist yet),
    and a name rebound to a new model retraces instead of replaying the old parameters."""
    global MODEL
    rng = np.random.default_rng(9)
    x = ag.Tensor(rng.standard_normal((3, 4)).astype(np.float32))
    with ag.no_grad():
        for seed in (0, 1):
            nn.init.manual_seed(seed)
            MODEL = mlp(4, 5, 2)
            for _ in range(3):
                close(predict(x)._data, MODEL(x)._data)
        MODEL.eval()
        close(predict(x)._data, MODEL(x)._data)
    assert predict.traces == 5  # two per model, and the first of eval mode


def test_leaves_sharing_one_cotangent_get_their_own_grad_arrays():
    a = ag.Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    b = ag.Tensor(np.ones(3, dtype=np.float32), requires_grad=True)

    def step(x):
        loss = ((a + b) * x).sum()
        loss.backward()
        return loss
    compiled = ag.compile(step)
    for k in range(4):
        x = ag.Tensor(np.full(3, k, dtype=np.float32))
        a.grad = b.grad = None
        compiled(x)
        close(a.grad._data, x._data)
        assert not np.shares_memory(a.grad._data, b.grad._data)
        a.grad._data[0] = 99.0  # a user (or optimizer) writing into one grad
        assert b.grad._data[0] == k


def test_anomaly_mode_and_forward_mode_run_eagerly():
    model = mlp(3, 4, 1)
    cm = ag.compile(model)
    x = ag.Tensor(np.ones((2, 3), dtype=np.float32))
    with ag.detect_anomaly():
        for _ in range(3):
            out = cm(x)
            assert not isinstance(out.grad_fn, CompiledOp)
    assert cm.traces == 0
    out, tangent = ag.jvp(lambda w: cm(x * w).sum(), ag.Tensor(np.float32(1.0)),
                          np.float32(1.0))
    close(out._data, model(x).sum()._data)


def test_threads_replay_their_own_programs():
    import threading

    results = {}

    def worker(k):
        (a, oa, eager), (b, ob, compiled) = twins(lambda: mlp(4, 6, 2),
                                                  lambda p: optim.SGD(p, lr=0.1), cross_entropy)
        rng = np.random.default_rng(k)
        ok = True
        for x, y in batches(rng, (5, 4), 2, 6):
            ok &= np.allclose(eager(x, y)._data, compiled(x, y)._data, rtol=1e-6)
        results[k] = ok and all(np.allclose(p._data, q._data, rtol=1e-6)
                                for p, q in zip(a.parameters(), b.parameters()))
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {0: True, 1: True, 2: True}
