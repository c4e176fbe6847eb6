"""Compiled benchmarks (issue 10): each workload's full step eager, under `ag.compile`, and in
PyTorch (eager CPU, in its own process), with a hand-written NumPy forward + backward + SGD
where one exists (the floor a replay of NumPy calls can approach).

Workloads: the 200-op mul/add/tanh chain (µs per op, forward + backward), the moons MLP
2-16-16-1 (hinge + L2, SGD), the MLP 784-512-256-10 at batch 1, 32 and 256 (cross-entropy, SGD),
and the small CNN at batch 64. Ratios are to PyTorch in the same run.
"""

import math

import numpy as np
from _chain import chain
from _common import load_torch, median_times_interleaved

MLP = (784, 512, 256, 10)
TARGETS = {"chain": 0.25, "moons": 0.45, "mlp256": 0.9, "mlp32": 1.0, "mlp1": 1.5, "cnn": 0.9,
           "lstm": None}
LABELS = {"chain": "per-op fwd+bwd (200-op chain)", "moons": "moons MLP 2-16-16-1 step",
          "mlp256": "MLP 784-512-256-10 b256 step", "mlp32": "MLP 784-512-256-10 b32 step",
          "mlp1": "MLP 784-512-256-10 b1 step", "cnn": "CNN step, batch 64",
          "lstm": "LSTM step (nn section's)"}
UNITS = {"chain": "µs/op"}
REPEATS = {"chain": (20, 15), "moons": (100, 15), "mlp256": (5, 11), "mlp32": (20, 11),
           "mlp1": (50, 11), "cnn": (5, 11), "lstm": (5, 11)}


def _moons(rng, n=100, noise=0.1):
    t = rng.uniform(0, math.pi, n)
    upper = np.arange(n) % 2 == 0
    X = np.where(upper[:, None], np.c_[np.cos(t), np.sin(t)],
                 np.c_[1 - np.cos(t), 0.5 - np.sin(t)])
    X = (X + noise * rng.standard_normal((n, 2))).astype(np.float32)
    y = np.where(upper, 1.0, -1.0).astype(np.float32)[:, None]
    return X, y


def _data(name, rng):
    if name == "lstm":
        from _nn import _lstm_data

        return _lstm_data(rng)
    if name == "moons":
        return _moons(rng)
    if name == "cnn":
        return (rng.standard_normal((64, 1, 28, 28), dtype=np.float32),
                rng.integers(0, 10, 64))
    batch = int(name[3:])
    return rng.standard_normal((batch, MLP[0]), dtype=np.float32), rng.integers(0, 10, batch)


class _Recurrent:
    """The nn section's LSTM model: the last step's h_n into a linear head."""

    def __init__(self, nn):
        from _nn import LSTM_HIDDEN, LSTM_INPUT

        self.lstm, self.head = nn.LSTM(LSTM_INPUT, LSTM_HIDDEN), nn.Linear(LSTM_HIDDEN, 10)
        self.model = nn.ModuleList([self.lstm, self.head])

    def __call__(self, x):
        return self.head(self.lstm(x)[1][0][0])

    def parameters(self):
        return self.model.parameters()


def _models(nn, name):
    if name == "lstm":
        return _Recurrent(nn), 0.01
    if name == "moons":
        return nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(),
                             nn.Linear(16, 1)), 0.05
    if name == "cnn":
        return nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Conv2d(8, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Flatten(), nn.Linear(16 * 5 * 5, 10)), 0.01
    a, b, c, d = MLP
    return nn.Sequential(nn.Linear(a, b), nn.ReLU(), nn.Linear(b, c), nn.ReLU(),
                         nn.Linear(c, d)), 0.01


def chainrule_steps(name, compiled):
    """A zero-argument step of one workload; `compiled` wraps the step in ag.compile."""
    import autograd as ag
    import nn
    import optim

    rng = np.random.default_rng(0)
    if name == "chain":
        x = ag.Tensor(rng.standard_normal(4).astype(np.float32), requires_grad=True)
        c = ag.Tensor(np.full(4, 0.9, dtype=np.float32))
        d = ag.Tensor(np.full(4, 0.1, dtype=np.float32))

        def step():
            chain(x, c, d, ag.tanh, 200).sum().backward()
        return ag.compile(step) if compiled else step
    X, y = _data(name, rng)
    X, y = ag.Tensor(X), ag.Tensor(y)
    nn.init.manual_seed(0)
    model, lr = _models(nn, name)
    opt = optim.SGD(model.parameters(), lr=lr)
    if name == "moons":
        hinge = nn.HingeLoss()

        def loss_of(x, t):
            return hinge(model(x), t) + 1e-4 * sum((p * p).sum() for p in model.parameters())
    else:
        ce = nn.CrossEntropyLoss()

        def loss_of(x, t):
            return ce(model(x), t)

    def train(x, t):
        opt.zero_grad()
        loss = loss_of(x, t)
        loss.backward()
        opt.step()
        return loss

    train = ag.compile(train) if compiled else train
    return lambda: train(X, y)


def torch_steps(torch, name):
    rng = np.random.default_rng(0)
    if name == "chain":
        x = torch.tensor(rng.standard_normal(4).astype(np.float32), requires_grad=True)
        c = torch.full((4,), 0.9)
        d = torch.full((4,), 0.1)
        return lambda: chain(x, c, d, torch.tanh, 200).sum().backward()
    X, y = (torch.from_numpy(a) for a in _data(name, rng))
    model, lr = _models(torch.nn, name)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    if name == "moons":
        def loss_of():
            l2 = sum((p * p).sum() for p in model.parameters())
            return torch.relu(1.0 - y * model(X)).mean() + 1e-4 * l2
    else:
        ce = torch.nn.CrossEntropyLoss()

        def loss_of():
            return ce(model(X), y)

    def step():
        opt.zero_grad()
        loss_of().backward()
        opt.step()
    return step


# --- the floor: the same step written by hand in NumPy -------------------------------------
def numpy_floor(name):
    rng = np.random.default_rng(0)
    if name == "chain":
        x = rng.standard_normal(4).astype(np.float32)
        c = np.full(4, 0.9, dtype=np.float32)
        d = np.full(4, 0.1, dtype=np.float32)

        def step():
            outs, y = [], x
            for _ in range(66):
                y = np.tanh(y * c + d)
                outs.append(y)
            g = np.ones_like(x)
            for y in reversed(outs):
                g = g * (1 - y * y) * c
            return g
        return step
    if name in ("cnn", "lstm"):
        return None
    X, y = _data(name, rng)
    sizes = (2, 16, 16, 1) if name == "moons" else MLP
    Ws = [rng.standard_normal((o, i), dtype=np.float32) * 0.05 for i, o in zip(sizes, sizes[1:])]
    bs = [np.zeros(o, dtype=np.float32) for o in sizes[1:]]
    lr = 0.05 if name == "moons" else 0.01
    onehot = None if name == "moons" else np.eye(10, dtype=np.float32)[y]

    def step():
        hs = [X]
        for i, (W, b) in enumerate(zip(Ws, bs)):
            h = hs[-1] @ W.T + b
            hs.append(np.maximum(h, 0) if i < len(Ws) - 1 else h)
        out = hs[-1]
        if onehot is None:  # hinge: mean(relu(1 - y·out))
            g = -(y * (1 - y * out > 0)) / len(out)
        else:
            e = np.exp(out - out.max(1, keepdims=True))
            g = (e / e.sum(1, keepdims=True) - onehot) / len(out)
        for i in reversed(range(len(Ws))):
            gW, gb = g.T @ hs[i], g.sum(0)
            if i:
                g = (g @ Ws[i]) * (hs[i] > 0)
            Ws[i] -= lr * gW
            bs[i] -= lr * gb
    return step


def measure(lib, quick, names=tuple(LABELS)):
    """{name: {"eager": ms, "compiled": ms, "floor": ms}} (torch: {"torch": ms}); µs/op for the
    chain. Each workload's variants are timed in interleaved rounds."""
    result, errors = {}, []
    torch = load_torch() if lib == "torch" else None
    for name in names:
        inner, reps = REPEATS[name]
        if quick:
            inner, reps = max(2, inner // 2), max(3, reps // 2)
        scale = 1e6 / 200 if name == "chain" else 1e3
        try:
            if lib == "torch":
                fns = {"torch": torch_steps(torch, name)}
            else:
                fns = {"eager": chainrule_steps(name, False),
                       "compiled": chainrule_steps(name, True)}
                floor = numpy_floor(name)
                if floor is not None:
                    fns["floor"] = floor
            times = median_times_interleaved(list(fns.values()), inner, reps, warmup=3)
            result[name] = {k: t * scale for k, t in zip(fns, times)}
        except Exception as e:
            errors.append(f"{name} ({lib}): {type(e).__name__}: {e}")
    result["errors"] = errors
    return result


def print_compiled(ours, theirs):
    """The table of issue 10: eager, compiled, torch and the floor, with ratios to torch."""
    theirs = theirs or {}
    header = ["workload", "unit", "eager", "compiled", "torch", "numpy floor", "eager/torch",
              "compiled/torch", "target"]
    rows = []
    verdicts = []
    def cell(v, fmt="{:.3f}"):
        return "—" if v is None else fmt.format(v)

    def ratio(v, t):
        return None if v is None or t is None else v / t

    for name, label in LABELS.items():
        a, t = ours.get(name, {}), theirs.get(name, {}).get("torch")
        rc = ratio(a.get("compiled"), t)
        ok = None if rc is None or TARGETS[name] is None else rc <= TARGETS[name]
        verdicts.append(ok)
        target = "—" if TARGETS[name] is None else f"<= {TARGETS[name]}x"
        target += "" if ok is None else (" ✓" if ok else " ✗")
        rows.append([label, UNITS.get(name, "ms"), cell(a.get("eager")), cell(a.get("compiled")),
                     cell(t), cell(a.get("floor")), cell(ratio(a.get("eager"), t), "{:.2f}x"),
                     cell(rc, "{:.2f}x"), target])
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    print("\nCompiled (issue 10): eager vs ag.compile vs PyTorch eager, same run")
    for r in [header, ["-" * w for w in widths]] + rows:
        print("  ".join(c.rjust(w) if i > 1 else c.ljust(w)
                        for i, (c, w) in enumerate(zip(r, widths))).rstrip())
    print("  * steps: zero_grad + forward + loss + backward + SGD step; the chain: 200 ops "
          "then sum + backward, per op.\n  * numpy floor: the same step written by hand in "
          "NumPy (no autograd); none for the CNN.")
    return verdicts
