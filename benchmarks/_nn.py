"""nn benchmarks (issue 3): one full training step (zero_grad, forward, loss, backward,
optimizer step) of three models, from a big float32 MLP whose time is all matrix products
to a scalar-sized MLP whose time is all per-op overhead.

Each `*_steps` function builds a model and data and returns a zero-argument `step`;
`measure(lib, quick)` times one library's steps (chainrule's side also times NumPy doing only
the MLP's matrix products, the floor), and `rows` sets it all side by side with the targets.
"""

import math

import numpy as np
from _common import Row, load_torch, median_time, median_times_interleaved

MLP_SIZES = (784, 512, 256, 10)
MLP_BATCH = 256
CNN_BATCH = 64
SCALAR_POINTS = 100
LSTM_BATCH, LSTM_STEPS, LSTM_INPUT, LSTM_HIDDEN = 32, 20, 32, 128
L2_ALPHA = 1e-4
MLP_FLOOR_RATIO_TARGET = 1.3
CNN_TARGET_MS = 15.0
SCALAR_TARGET_MS = 1.0


def mlp_flops(sizes=MLP_SIZES, batch=MLP_BATCH):
    """2·M·N·K per forward product, twice that for the backward ones: 6·B·Σ(in·out)."""
    return 6 * batch * sum(i * o for i, o in zip(sizes, sizes[1:]))


# --- data, shared by both libraries so both do the same work ----------------------------
def _mlp_data(rng):
    X = rng.standard_normal((MLP_BATCH, MLP_SIZES[0]), dtype=np.float32)  # (B, 784)
    y = rng.integers(0, MLP_SIZES[-1], MLP_BATCH)                         # (B,) int64
    return X, y


def _cnn_data(rng):
    X = rng.standard_normal((CNN_BATCH, 1, 28, 28), dtype=np.float32)     # (B, 1, 28, 28)
    y = rng.integers(0, 10, CNN_BATCH)                                    # (B,) int64
    return X, y


def _moons(rng, n=SCALAR_POINTS, noise=0.1):
    """Two interleaved half-circles (sklearn's make_moons), labels in {-1, +1}."""
    t = rng.uniform(0, math.pi, n)
    upper = np.arange(n) % 2 == 0
    X = np.where(upper[:, None], np.c_[np.cos(t), np.sin(t)],
                 np.c_[1 - np.cos(t), 0.5 - np.sin(t)])
    X = (X + noise * rng.standard_normal((n, 2))).astype(np.float32)      # (N, 2)
    y = np.where(upper, 1.0, -1.0).astype(np.float32)[:, None]            # (N, 1)
    return X, y


def _lstm_data(rng):
    X = rng.standard_normal((LSTM_STEPS, LSTM_BATCH, LSTM_INPUT), dtype=np.float32)  # (L, B, I)
    y = rng.integers(0, 10, LSTM_BATCH)                                             # (B,) int64
    return X, y


# --- chainrule ------------------------------------------------------------------------------
def _chainrule_step(model, loss_of, lr):
    import optim

    opt = optim.SGD(model.parameters(), lr=lr)

    def step():
        opt.zero_grad()
        loss = loss_of(model)
        loss.backward()
        opt.step()

    return step


def chainrule_mlp_steps(rng):
    import autograd as ag
    import nn

    X, y = _mlp_data(rng)
    X, y = ag.Tensor(X), ag.Tensor(y)
    a, b, c, d = MLP_SIZES
    model = nn.Sequential(nn.Linear(a, b), nn.ReLU(), nn.Linear(b, c), nn.ReLU(), nn.Linear(c, d))
    loss_fn = nn.CrossEntropyLoss()
    return _chainrule_step(model, lambda m: loss_fn(m(X), y), lr=0.01)


def chainrule_cnn_steps(rng):
    import autograd as ag
    import nn

    X, y = _cnn_data(rng)
    X, y = ag.Tensor(X), ag.Tensor(y)
    model = nn.Sequential(
        nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2),   # (B, 8, 13, 13)
        nn.Conv2d(8, 16, 3), nn.ReLU(), nn.MaxPool2d(2),  # (B, 16, 5, 5)
        nn.Flatten(), nn.Linear(16 * 5 * 5, 10))          # (B, 10)
    loss_fn = nn.CrossEntropyLoss()
    return _chainrule_step(model, lambda m: loss_fn(m(X), y), lr=0.01)


def chainrule_scalar_steps(rng):
    import autograd as ag
    import nn

    X, y = _moons(rng)
    X, y = ag.Tensor(X), ag.Tensor(y)
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(),
                          nn.Linear(16, 1))
    hinge = getattr(nn, "HingeLoss", None)
    hinge = hinge() if hinge is not None else (lambda s, t: (1.0 - t * s).relu().mean())

    def loss_of(m):
        l2 = sum((p * p).sum() for p in m.parameters())
        return hinge(m(X), y) + L2_ALPHA * l2

    return _chainrule_step(model, loss_of, lr=0.05)


def chainrule_lstm_steps(rng):
    import autograd as ag
    import nn

    X, y = _lstm_data(rng)
    X, y = ag.Tensor(X), ag.Tensor(y)
    lstm, head = nn.LSTM(LSTM_INPUT, LSTM_HIDDEN), nn.Linear(LSTM_HIDDEN, 10)
    model = nn.ModuleList([lstm, head])
    loss_fn = nn.CrossEntropyLoss()
    return _chainrule_step(model, lambda m: loss_fn(head(lstm(X)[1][0][0]), y), lr=0.01)


# --- PyTorch, the same models ---------------------------------------------------------------
def _torch_step(torch, model, loss_of, lr):
    opt = torch.optim.SGD(model.parameters(), lr=lr)

    def step():
        opt.zero_grad()
        loss = loss_of(model)
        loss.backward()
        opt.step()

    return step


def torch_mlp_steps(torch, rng):
    nn = torch.nn
    X, y = _mlp_data(rng)
    X, y = torch.from_numpy(X), torch.from_numpy(y)
    a, b, c, d = MLP_SIZES
    model = nn.Sequential(nn.Linear(a, b), nn.ReLU(), nn.Linear(b, c), nn.ReLU(), nn.Linear(c, d))
    loss_fn = nn.CrossEntropyLoss()
    return _torch_step(torch, model, lambda m: loss_fn(m(X), y), lr=0.01)


def torch_cnn_steps(torch, rng):
    nn = torch.nn
    X, y = _cnn_data(rng)
    X, y = torch.from_numpy(X), torch.from_numpy(y)
    model = nn.Sequential(
        nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 5 * 5, 10))
    loss_fn = nn.CrossEntropyLoss()
    return _torch_step(torch, model, lambda m: loss_fn(m(X), y), lr=0.01)


def torch_scalar_steps(torch, rng):
    nn = torch.nn
    X, y = _moons(rng)
    X, y = torch.from_numpy(X), torch.from_numpy(y)
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(),
                          nn.Linear(16, 1))

    def loss_of(m):
        l2 = sum((p * p).sum() for p in m.parameters())
        return torch.relu(1.0 - y * m(X)).mean() + L2_ALPHA * l2

    return _torch_step(torch, model, loss_of, lr=0.05)


def torch_lstm_steps(torch, rng):
    nn = torch.nn
    X, y = _lstm_data(rng)
    X, y = torch.from_numpy(X), torch.from_numpy(y)
    lstm, head = nn.LSTM(LSTM_INPUT, LSTM_HIDDEN), nn.Linear(LSTM_HIDDEN, 10)
    model = nn.ModuleList([lstm, head])
    loss_fn = nn.CrossEntropyLoss()
    return _torch_step(torch, model, lambda m: loss_fn(head(lstm(X)[1][0][0]), y), lr=0.01)


# --- the floor: NumPy doing only the MLP's matrix products -----------------------------------
def numpy_mlp_gemms(rng):
    """The 3 forward and 5 backward float32 products of one MLP step (the first layer needs
    no input gradient), laid out as a PyTorch-shaped Linear does them: W is (out, in)."""
    X, _ = _mlp_data(rng)
    a, b, c, d = MLP_SIZES
    W1, W2, W3 = (rng.standard_normal((o, i), dtype=np.float32) * 0.05
                  for i, o in ((a, b), (b, c), (c, d)))
    g3 = rng.standard_normal((MLP_BATCH, d), dtype=np.float32)

    def gemms():
        h1 = X @ W1.T           # (B, 512)
        h2 = h1 @ W2.T          # (B, 256)
        h2 @ W3.T               # (B, 10)
        g3.T @ h2               # dW3 (10, 256)
        g2 = g3 @ W3            # dh2 (B, 256)
        g2.T @ h1               # dW2 (256, 512)
        g1 = g2 @ W2            # dh1 (B, 512)
        g1.T @ X                # dW1 (512, 784)

    return gemms


# --- the section ----------------------------------------------------------------------------
def _sizes(quick, inner, reps):
    scale = 0.6 if quick else 1.0
    return max(2, int(inner * scale)), max(3, int(reps * scale))


def _time(make, inner, reps, errors, label, floor=None):
    """ms per step, or None (with the reason in `errors`) if the model cannot be built or run.
    With `floor` (a function), returns (step ms, floor ms), their rounds interleaved."""
    try:
        step = make()
        if floor is None:
            return median_time(step, inner, reps, warmup=3) * 1e3
        return tuple(t * 1e3 for t in median_times_interleaved([step, floor], inner, reps, 3))
    except Exception as e:  # nn/optim may not have landed yet, or may lack a layer
        errors.append(f"{label}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
        return None


def measure(lib, quick):
    """One library's ms per training step of the three models, and why any is missing.
    chainrule's side also times the NumPy floor, interleaved with its MLP step."""
    errors = []
    if lib == "torch":
        torch = load_torch()
        makers = {"mlp": lambda: torch_mlp_steps(torch, np.random.default_rng(0)),
                  "cnn": lambda: torch_cnn_steps(torch, np.random.default_rng(0)),
                  "scalar": lambda: torch_scalar_steps(torch, np.random.default_rng(0)),
                  "lstm": lambda: torch_lstm_steps(torch, np.random.default_rng(0))}
    else:
        makers = {"mlp": lambda: chainrule_mlp_steps(np.random.default_rng(0)),
                  "cnn": lambda: chainrule_cnn_steps(np.random.default_rng(0)),
                  "scalar": lambda: chainrule_scalar_steps(np.random.default_rng(0)),
                  "lstm": lambda: chainrule_lstm_steps(np.random.default_rng(0))}
    repeats = {"mlp": (10, 15), "cnn": (10, 15), "scalar": (100, 15), "lstm": (5, 11)}
    result = {"errors": errors}
    floor = numpy_mlp_gemms(np.random.default_rng(0))
    if lib == "chainrule":
        pair = _time(makers.pop("mlp"), *_sizes(quick, *repeats["mlp"]), errors,
                     f"mlp ({lib})", floor=floor)
        result["mlp_ms"], result["floor_ms"] = pair or (None, None)
        if pair is None:  # no MLP step to interleave with: the floor alone
            result["floor_ms"] = median_time(floor, *_sizes(quick, 20, 9), warmup=3) * 1e3
    for k, make in makers.items():
        result[f"{k}_ms"] = _time(make, *_sizes(quick, *repeats[k]), errors, f"{k} ({lib})")
    return result


def rows(ours, theirs):
    """The nn table: `ours`/`theirs` are `measure` results (theirs may be None)."""
    theirs = theirs or {}
    floor = ours.get("floor_ms")
    flops = mlp_flops()

    def gflops(ms):
        return None if ms is None else flops / (ms * 1e-3) / 1e9

    def ratio(ms):
        return None if ms is None or floor is None else ms / floor

    mlp = ours.get("mlp_ms"), theirs.get("mlp_ms")
    return [
        Row("MLP 784-512-256-10 step", "ms", *mlp,
            note=f"batch {MLP_BATCH}, float32, ReLU, cross-entropy, SGD lr 0.01; "
                 "zero_grad + forward + backward + step"),
        Row("MLP step throughput", "GFLOP/s", gflops(mlp[0]), gflops(mlp[1]), fmt="{:.1f}",
            note=f"6·B·Σ(in·out) = {flops / 1e6:.1f} MFLOP per step, over the step's time"),
        Row("MLP NumPy GEMM floor", "ms", floor, None,
            note="NumPy float32 alone doing the 3 forward + 5 backward matrix products, "
                 "timed in rounds interleaved with chainrule's MLP step"),
        Row("MLP step / floor", "x", ratio(mlp[0]), ratio(mlp[1]),
            ("<=", MLP_FLOOR_RATIO_TARGET)),
        Row("CNN step", "ms", ours.get("cnn_ms"), theirs.get("cnn_ms"), ("<", CNN_TARGET_MS),
            note=f"batch {CNN_BATCH} of 1x28x28: conv 1→8 3x3, ReLU, maxpool 2, conv 8→16 3x3, "
                 "ReLU, maxpool 2, linear 400→10; cross-entropy, SGD"),
        Row("scalar MLP 2-16-16-1 step", "ms", ours.get("scalar_ms"), theirs.get("scalar_ms"),
            ("<", SCALAR_TARGET_MS), fmt="{:.3f}",
            note=f"{SCALAR_POINTS} 2-D points, ReLU, hinge loss + {L2_ALPHA:g}·Σp², SGD "
                 "(micrograd's demo)"),
        Row("LSTM step", "ms", ours.get("lstm_ms"), theirs.get("lstm_ms"),
            note=f"batch {LSTM_BATCH}, {LSTM_STEPS} steps of {LSTM_INPUT} features, hidden "
                 f"{LSTM_HIDDEN}, last h_n into linear {LSTM_HIDDEN}→10; cross-entropy, SGD; "
                 "backprop through time"),
    ]
