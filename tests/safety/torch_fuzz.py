"""Differential fuzzing against PyTorch: random small programs run on both engines, and their
values, output dtypes, gradients and warnings compared.

A program is drawn from a seed: one or two leaves (0-d, size-1, empty and small shapes,
float32 / float64 / mixed, entries sprinkled with 0, -0, ±inf, NaN, ±1e30, 1e-30 and
ties), then 1-4 steps of elementwise, scalar, reduction, softmax and view ops. Each step is
written once per engine in `STEPS`. Mismatches beyond the documented conventions (below) are
reported.

    python tests/safety/torch_fuzz.py             # the long run: 3000 programs
    python tests/safety/torch_fuzz.py --long      # 20000 programs
    python tests/safety/torch_fuzz.py -n 500 --seed 7

Documented conventions (counted, not reported as mismatches):
* `max`/`min` over an axis whose slice holds a NaN: the NaN entries take the gradient here
  (as PyTorch's full `max()` does); PyTorch's `amax(dim)` gives every entry NaN.
* float32 with a 0-d float64 tensor: PyTorch keeps float32 (a 0-d tensor does not promote a
  dimensioned one); NumPy's rule gives float64 here. Type promotion is its own work item; the
  values are compared at float32's tolerance and gradients are not compared.
* `x ** 0.5` at x = -0.0 or -inf: PyTorch computes it as sqrt (and x ** -0.5 as rsqrt),
  giving -0.0 and a gradient of -inf (NaN at -inf); NumPy's pow gives +0.0 and +inf (0).
* `x / x` at a tiny x: two gradient terms of about ±1e30 cancel, and either side may round
  the zero to 0 or to an ulp of 1e30.
Subnormal inputs are left out: PyTorch's vectorised kernels may flush them to zero.
"""

import argparse
import sys
import time
import warnings
from collections import Counter

import numpy as np

from autograd import Tensor

EDGES = [0.0, -0.0, np.inf, -np.inf, np.nan, 1e30, -1e30, 1e-30, 1.0, -1.0]
SHAPES = [(), (1,), (3,), (0,), (2, 3), (1, 3), (2, 1), (3, 0), (2, 1, 3)]


# --- drawing programs ----------------------------------------------------------------------
def _values(rng, shape, dtype):
    a = rng.standard_normal(shape) * rng.choice([1.0, 3.0])
    if rng.random() < 0.3:
        a = np.round(a)  # ties for max/min/maximum
    mask = rng.random(shape) < rng.choice([0.0, 0.15, 0.4])
    a = np.where(mask, rng.choice(EDGES, size=shape), a)
    return np.asarray(a, dtype=dtype)


def _partner(rng, shape):
    """A shape that broadcasts with `shape`."""
    kind = rng.integers(3)
    if kind == 0 or not shape:
        return shape if rng.random() < 0.7 else ()
    if kind == 1:
        return shape[1:]
    return tuple(1 if rng.random() < 0.5 else n for n in shape)


def draw(seed):
    """A program: (leaves as ndarrays, steps). Each step is (name, argument)."""
    rng = np.random.default_rng(seed)
    shape = SHAPES[rng.integers(len(SHAPES))]
    dtypes = [np.float64, np.float32]
    first = dtypes[rng.integers(2)]
    leaves = [_values(rng, shape, first)]
    if rng.random() < 0.6:
        second = first if rng.random() < 0.7 else dtypes[1 - dtypes.index(first)]
        leaves.append(_values(rng, _partner(rng, shape), second))
    steps = []
    for _ in range(rng.integers(1, 5)):
        name = list(STEPS)[rng.integers(len(STEPS))]
        steps.append((name, int(rng.integers(1 << 30))))
    return leaves, steps


# --- the steps, written for both engines ---------------------------------------------------
def _axis(arg, ndim):
    """None, or one axis, from a step's argument."""
    if ndim == 0 or arg % 3 == 0:
        return None
    return arg % ndim


def _reduction(ours, theirs):
    """A reduction step: (chainrule, torch) functions of (x, arg); keepdims from arg."""
    def mine(x, arg):
        return ours(x, _axis(arg, x.ndim), bool(arg & 4))

    def torchs(x, arg):
        axis = _axis(arg, x.ndim)
        return theirs(x, axis, bool(arg & 4))
    return mine, torchs


def _torch_all(x, axis):
    return tuple(range(x.ndim)) if axis is None else axis


SCALARS = [2.0, -1.0, 0.0, 0.5, 3.0]

STEPS = {
    "neg": (lambda x, a: -x, lambda x, a: -x),
    "exp": (lambda x, a: x.exp(), lambda x, a: x.exp()),
    "log": (lambda x, a: x.log(), lambda x, a: x.log()),
    "sqrt": (lambda x, a: x.sqrt(), lambda x, a: x.sqrt()),
    "tanh": (lambda x, a: x.tanh(), lambda x, a: x.tanh()),
    "sigmoid": (lambda x, a: x.sigmoid(), lambda x, a: x.sigmoid()),
    "relu": (lambda x, a: x.relu(), lambda x, a: x.relu()),
    "abs": (lambda x, a: abs(x), lambda x, a: abs(x)),
    "sin": (lambda x, a: x.sin(), lambda x, a: x.sin()),
    "cos": (lambda x, a: x.cos(), lambda x, a: x.cos()),
    "clip": (lambda x, a: x.clip(-1.0, 2.0), lambda x, a: x.clip(-1.0, 2.0)),
    "pow_scalar": (lambda x, a: x ** SCALARS[a % 5], lambda x, a: x ** SCALARS[a % 5]),
    "rpow_scalar": (lambda x, a: SCALARS[a % 5] ** x, lambda x, a: SCALARS[a % 5] ** x),
    "add_scalar": (lambda x, a: x + SCALARS[a % 5], lambda x, a: x + SCALARS[a % 5]),
    "rsub_scalar": (lambda x, a: SCALARS[a % 5] - x, lambda x, a: SCALARS[a % 5] - x),
    "mul_scalar": (lambda x, a: x * SCALARS[a % 5], lambda x, a: x * SCALARS[a % 5]),
    "div_scalar": (lambda x, a: x / SCALARS[a % 5], lambda x, a: x / SCALARS[a % 5]),
    "rdiv_scalar": (lambda x, a: SCALARS[a % 5] / x, lambda x, a: SCALARS[a % 5] / x),
    "add": (lambda x, y: x + y, lambda x, y: x + y),
    "sub": (lambda x, y: x - y, lambda x, y: x - y),
    "mul": (lambda x, y: x * y, lambda x, y: x * y),
    "div": (lambda x, y: x / y, lambda x, y: x / y),
    "pow": (lambda x, y: x ** y, lambda x, y: x ** y),
    "maximum": (lambda x, y: x.maximum(y), lambda x, y: x.maximum(y)),
    "minimum": (lambda x, y: x.minimum(y), lambda x, y: x.minimum(y)),
    "sum": _reduction(lambda x, ax, k: x.sum(ax, keepdims=k),
                      lambda x, ax, k: x.sum(_torch_all(x, ax), keepdim=k)),
    "mean": _reduction(lambda x, ax, k: x.mean(ax, keepdims=k),
                       lambda x, ax, k: x.mean(_torch_all(x, ax), keepdim=k)),
    "max": _reduction(lambda x, ax, k: x.max(ax, keepdims=k),
                      lambda x, ax, k: (x.max() if ax is None and not k
                                        else x.amax(_torch_all(x, ax), keepdim=k))),
    "min": _reduction(lambda x, ax, k: x.min(ax, keepdims=k),
                      lambda x, ax, k: (x.min() if ax is None and not k
                                        else x.amin(_torch_all(x, ax), keepdim=k))),
    "std": _reduction(lambda x, ax, k: x.std(ax, keepdims=k),
                      lambda x, ax, k: x.std(_torch_all(x, ax), correction=0, keepdim=k)),
    "var": _reduction(lambda x, ax, k: x.var(ax, keepdims=k),
                      lambda x, ax, k: x.var(_torch_all(x, ax), correction=0, keepdim=k)),
    "logsumexp": _reduction(lambda x, ax, k: x.logsumexp(ax, keepdims=k),
                            lambda x, ax, k: x.logsumexp(_torch_all(x, ax), keepdim=k)),
    "softmax": (lambda x, a: x.softmax(a % x.ndim), lambda x, a: x.softmax(a % x.ndim)),
    "log_softmax": (lambda x, a: x.log_softmax(a % x.ndim),
                    lambda x, a: x.log_softmax(a % x.ndim)),
    "reshape": (lambda x, a: x.reshape(-1), lambda x, a: x.reshape(-1)),
    "transpose": (lambda x, a: x.T, lambda x, a: x.permute(*reversed(range(x.ndim)))),
    "slice": (lambda x, a: x[a % 2::1 + a % 2], lambda x, a: x[a % 2::1 + a % 2]),
    "index": (lambda x, a: x[a % x.shape[0]], lambda x, a: x[a % x.shape[0]]),
    "expand": (lambda x, a: x.broadcast_to((2,) + x.shape),
               lambda x, a: x.broadcast_to((2,) + x.shape)),
}
BINARY = {"add", "sub", "mul", "div", "pow", "maximum", "minimum"}
REDUCTIONS = {"sum", "mean", "max", "min", "std", "var", "logsumexp"}


def _applicable(name, x, arg, nodes):
    """Whether step `name` can run on the current value x (shape rules both engines share)."""
    shape = x.shape
    if name in ("softmax", "log_softmax", "slice", "transpose"):
        return len(shape) >= 1
    if name == "index":
        return len(shape) >= 1 and shape[0] > 0
    if name in REDUCTIONS and name != "sum":
        axis = _axis(arg, len(shape))
        count = int(np.prod(shape)) if axis is None else shape[axis]
        return count > 0  # an empty max/mean/std: PyTorch gives NaN or raises, we raise
    return True


def run(engine, leaves, steps, flags=None):
    """Run a program on one engine ("ours" or a torch module). Returns (out, leaf tensors)."""
    if engine == "ours":
        xs = [Tensor(a.copy(), requires_grad=True) for a in leaves]
    else:
        xs = [engine.tensor(a.copy(), requires_grad=True) for a in leaves]
    nodes = list(xs)
    for name, arg in steps:
        x = nodes[-1]
        if not _applicable(name, x, arg, nodes):
            continue
        fn = STEPS[name][0 if engine == "ours" else 1]
        if name in BINARY:
            other = nodes[arg % len(nodes)]
            try:
                np.broadcast_shapes(tuple(x.shape), tuple(other.shape))
            except ValueError:
                continue
            if flags is not None and x.dtype != other.dtype and min(x.ndim, other.ndim) == 0:
                flags.add("float32 with a 0-d float64 tensor")
            if (flags is not None and name == "div" and other is x
                    and np.any(np.abs(x.numpy()) < 1e-20)):
                flags.add("x / x at a tiny x")
            nodes.append(fn(x, other))
        else:
            if (flags is not None and name == "pow_scalar" and SCALARS[arg % 5] == 0.5
                    and np.any(np.signbit(x.numpy()) & ((x.numpy() == 0) | np.isinf(x.numpy())))):
                flags.add("-0.0 or -inf ** 0.5")
            if flags is not None and name in ("max", "min") and engine == "ours":
                data = x.numpy()
                if _axis(arg, x.ndim) is not None or bool(arg & 4):
                    if np.isnan(data).any():
                        flags.add("NaN in max/min over an axis")
            nodes.append(fn(x, arg))
    return nodes[-1], xs


# --- comparing -----------------------------------------------------------------------------
def _close(got, want, dtype):
    """Same shape, non-finite entries equal, finite ones within the dtype's tolerance."""
    with np.errstate(all="ignore"):
        return _compare(got, want, dtype)


def _compare(got, want, dtype):
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    if got.shape != want.shape:
        return f"shape {got.shape} vs {want.shape}"
    finite = np.isfinite(want)
    bad = ~finite & ~((got == want) | (np.isnan(got) & np.isnan(want)))
    if bad.any():
        i = tuple(int(k) for k in np.argwhere(bad)[0])
        return f"at {i}: {got[i]!r} vs {want[i]!r}"
    rtol = 1e-4 if dtype == np.float32 else 1e-7
    scale = float(np.max(np.abs(want[finite]), initial=1.0))
    err = np.abs(np.where(finite, got - want, 0.0))
    worst = err > rtol * np.abs(want) + rtol * scale
    if worst.any() or (np.isfinite(got) != finite).any():
        i = tuple(int(k) for k in np.argwhere(worst | (np.isfinite(got) != finite))[0])
        return f"at {i}: {got[i]!r} vs {want[i]!r}"
    return None


def compare(torch, seed):
    """One program on both engines: a list of (kind, detail) mismatches, and the set of
    documented conventions it met."""
    leaves, steps = draw(seed)
    flags = set()
    problems = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out, xs = run("ours", leaves, steps, flags)
            error = None
        except Exception as e:  # noqa: BLE001  (compared with torch's outcome below)
            error = e
    with warnings.catch_warnings():  # PyTorch's own (std with one element): not ours to judge
        warnings.simplefilter("ignore")
        try:
            tout, txs = run(torch, leaves, steps)
            terror = None
        except Exception as e:  # noqa: BLE001
            terror = e
    if error is not None or terror is not None:
        if (error is None) != (terror is None):
            problems.append(("error", f"chainrule: {error!r}; torch: {terror!r}"))
        return problems, flags, steps
    problems += [("warning", str(w.message)) for w in caught
                 if issubclass(w.category, RuntimeWarning)]
    want = tout.detach().numpy()
    if out.dtype != want.dtype and not flags:
        problems.append(("dtype", f"{out.dtype} vs {want.dtype}"))
    detail = _close(out.numpy(), want, np.float32 if flags else want.dtype)
    if detail:
        problems.append(("value", detail))
    weights = np.random.default_rng(seed).standard_normal(want.shape).astype(want.dtype)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        (out * Tensor(weights)).sum().backward()
    problems += [("warning", str(w.message)) for w in caught
                 if issubclass(w.category, RuntimeWarning)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (tout * torch.tensor(weights)).sum().backward()
    if not flags:
        for i, (x, tx) in enumerate(zip(xs, txs)):
            tg = tx.grad.numpy() if tx.grad is not None else np.zeros(tx.shape, want.dtype)
            g = x.grad.numpy() if x.grad is not None else np.zeros(x.shape)
            detail = _close(g, tg, tg.dtype)
            if detail:
                problems.append(("gradient", f"leaf {i} {detail}"))
    return problems, flags, steps


def main(argv=None):
    import torch

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=3000, help="programs to run")
    parser.add_argument("--long", action="store_true", help="20000 programs")
    parser.add_argument("--seed", type=int, default=0, help="first program's seed")
    args = parser.parse_args(argv)
    n = 20000 if args.long else args.n
    start = time.time()
    kinds, conventions, examples = Counter(), Counter(), {}
    for seed in range(args.seed, args.seed + n):
        problems, flags, steps = compare(torch, seed)
        conventions.update(flags)
        for kind, detail in problems:
            kinds[kind] += 1
            examples.setdefault((kind, tuple(s[0] for s in steps)), (seed, detail))
    print(f"{n} programs in {time.time() - start:.0f} s: "
          f"{sum(kinds.values())} mismatches {dict(kinds)}")
    for name, count in conventions.items():
        print(f"  documented convention, not compared: {name} ({count} programs)")
    for (kind, names), (seed, detail) in sorted(examples.items())[:40]:
        print(f"  {kind:8s} seed {seed}: {' -> '.join(names)}: {detail}")
    return 1 if kinds else 0


if __name__ == "__main__":
    sys.exit(main())
