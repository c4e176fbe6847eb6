"""The op chain that the engine benchmarks time: `y = y * c`, `y = y + d`, `y = tanh(y)`,
repeated, on a shape-(4,) float32 tensor, then `.sum()`.

Run as a script it is the long-chain worker: a fresh process builds one chain of `--n` ops,
runs backward, and prints one JSON line with the times and the memory (peak RSS above a
baseline taken after the imports). A fresh process, so no earlier benchmark's garbage or
allocator state leaks into the memory figures.

    python benchmarks/_chain.py --lib chainrule --n 1000000
"""

import argparse
import gc
import json
import time
import warnings

import numpy as np
from _common import load_torch, peak_rss_bytes, reset_peak_rss, rss_bytes


def chainrule_inputs():
    import autograd as ag

    rng = np.random.default_rng(0)
    x = ag.Tensor(rng.standard_normal(4).astype(np.float32), requires_grad=True)
    c = ag.Tensor(np.full(4, 0.9, dtype=np.float32))
    d = ag.Tensor(np.full(4, 0.1, dtype=np.float32))
    return x, c, d, ag.tanh


def torch_inputs(torch):
    rng = np.random.default_rng(0)
    x = torch.tensor(rng.standard_normal(4).astype(np.float32), requires_grad=True)
    c = torch.full((4,), 0.9, dtype=torch.float32)
    d = torch.full((4,), 0.1, dtype=torch.float32)
    return x, c, d, torch.tanh


def chain(x, c, d, tanh, n):
    """`n` ops alternating mul, add, tanh, starting from `x`; returns the last tensor."""
    y = x
    for _ in range(n // 3):
        y = y * c
        y = y + d
        y = tanh(y)
    for i in range(n % 3):
        y = y * c if i == 0 else y + d
    return y


def count_tensors(cls):
    """Live instances of `cls` that the garbage collector tracks (both libraries' are)."""
    with warnings.catch_warnings():  # isinstance() pokes torch's deprecated module aliases
        warnings.simplefilter("ignore")
        return sum(1 for o in gc.get_objects() if isinstance(o, cls))


def long_chain(lib, n):
    """Time forward and backward of an `n`-op chain and measure its memory, in this process."""
    if lib == "torch":
        torch = load_torch()
        inputs = torch_inputs(torch)
        tensor_cls = torch.Tensor
    else:
        from autograd import Tensor

        inputs = chainrule_inputs()
        tensor_cls = Tensor
    chain(*inputs, 30).sum().backward()  # warm-up: first-call costs stay out of the figures
    inputs[0].grad = None
    gc.collect()
    peak_reset = reset_peak_rss()
    base = rss_bytes()
    base_peak = peak_rss_bytes()

    start = time.perf_counter()
    y = chain(*inputs, n)
    loss = y.sum()
    forward_s = time.perf_counter() - start
    forward_peak = peak_rss_bytes()

    start = time.perf_counter()
    loss.backward()
    backward_s = time.perf_counter() - start
    peak = peak_rss_bytes()

    # The graph should be gone now, though `loss` and `y` are still referenced.
    live = count_tensors(tensor_cls)
    rss_after_backward = rss_bytes()
    del y, loss
    gc.collect()
    rss_after_drop = rss_bytes()
    baseline = base if peak_reset else max(base, base_peak)
    return {
        "lib": lib,
        "n": n,
        "forward_s": forward_s,
        "backward_s": backward_s,
        "peak_bytes_per_op": (max(forward_peak, peak) - baseline) / n,
        "forward_peak_bytes_per_op": (forward_peak - baseline) / n,
        "live_tensors_after_backward": live,
        "rss_after_backward_mb": (rss_after_backward - base) / 2**20,
        "rss_after_drop_mb": (rss_after_drop - base) / 2**20,
        "peak_reset": peak_reset,
        "grad_finite": bool(np.isfinite(np.asarray(inputs[0].grad.detach() if lib == "torch"
                                                   else inputs[0].grad._data)).all()),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lib", choices=["chainrule", "torch"], default="chainrule")
    parser.add_argument("--n", type=int, default=1_000_000)
    args = parser.parse_args()
    print(json.dumps(long_chain(args.lib, args.n)))


if __name__ == "__main__":
    main()
