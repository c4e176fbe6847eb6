"""Profile a benchmark's inner loop with cProfile, to find where the engine spends its time.

    python benchmarks/_profile.py perop [--sort tottime] [--top 25]
    python benchmarks/_profile.py mlp            # nn's MLP step (engine-only stand-in if no nn)
    python benchmarks/_profile.py scalar | cnn | lstm

cProfile adds a fixed cost to every Python call, so absolute times come out 2-3x the
benchmark's; the ranking and the call counts are what to read.
"""

import argparse
import cProfile
import pstats

import _common  # noqa: F401  (puts the repo root on sys.path first)
import numpy as np
from _chain import chain, chainrule_inputs
from _engine import PER_OP_OPS


def perop_steps():
    x, c, d, tanh = chainrule_inputs()

    def step():
        chain(x, c, d, tanh, PER_OP_OPS).sum().backward()

    return step, 200


def engine_mlp_steps(rng):
    """The MLP step written with engine ops alone (for before nn lands): the same products,
    ReLUs, log-softmax cross-entropy and an in-place SGD update."""
    from _nn import MLP_SIZES, _mlp_data

    import autograd as ag

    X, y = _mlp_data(rng)
    X = ag.Tensor(X)
    params = []
    for i, o in zip(MLP_SIZES, MLP_SIZES[1:]):
        bound = 1 / np.sqrt(i)
        params.append(ag.Tensor(rng.uniform(-bound, bound, (o, i)).astype(np.float32),
                                requires_grad=True))
        params.append(ag.Tensor(rng.uniform(-bound, bound, o).astype(np.float32),
                                requires_grad=True))
    rows = np.arange(len(y))

    def step():
        for p in params:
            p.grad = None
        h = X
        for k in range(0, len(params), 2):
            h = h @ params[k].T + params[k + 1]
            if k + 2 < len(params):
                h = h.relu()
        loss = -h.log_softmax(axis=-1)[rows, y].mean()
        loss.backward()
        for p in params:
            p._data -= 0.01 * p.grad._data

    return step


def nn_steps(which):
    import _nn

    rng = np.random.default_rng(0)
    try:
        import nn

        nn.Sequential, nn.Linear  # noqa: B018  (has nn landed?)
    except (ImportError, AttributeError):
        if which != "mlp":
            raise SystemExit(f"{which}: needs nn, which is not importable yet") from None
        print("nn not importable: profiling an engine-only MLP step instead")
        return engine_mlp_steps(rng), 20
    make = {"mlp": _nn.chainrule_mlp_steps, "cnn": _nn.chainrule_cnn_steps,
            "scalar": _nn.chainrule_scalar_steps, "lstm": _nn.chainrule_lstm_steps}[which]
    return make(rng), {"mlp": 20, "cnn": 20, "scalar": 300, "lstm": 10}[which]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["perop", "mlp", "cnn", "scalar", "lstm"])
    parser.add_argument("--sort", default="tottime", help="pstats sort key (tottime, cumtime)")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    step, n = perop_steps() if args.what == "perop" else nn_steps(args.what)
    for _ in range(3):
        step()
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(n):
        step()
    profile.disable()
    print(f"{n} steps of {args.what}; per-call costs are these totals / ncalls")
    pstats.Stats(profile).strip_dirs().sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
