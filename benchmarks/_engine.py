"""Engine benchmarks (issue 2): what one recorded op costs, and whether a very long chain
fits in time and memory. Both use the mul/add/tanh chain of `_chain.py`.

`measure(lib, quick)` takes one library's figures (a dict); `rows` sets two libraries'
figures side by side against the targets.
"""

import json
import subprocess
import sys
import time
from pathlib import Path

from _chain import chain, chainrule_inputs, torch_inputs
from _common import Row, load_torch, median_split, median_time

CHAIN_WORKER = Path(__file__).resolve().parent / "_chain.py"
PER_OP_OPS = 200
PER_OP_TARGET_US = 8.0
LONG_TARGET_S_PER_MILLION = 15.0
LONG_TARGET_BYTES_PER_OP = 1024
LIVE_TENSORS_TARGET = 10


def sizes(quick):
    """(chains per round, rounds) for the per-op figure, and the long chain's length."""
    return (10, 9, 100_000) if quick else (20, 21, 1_000_000)


def _per_op(inputs, inner, reps):
    """(fwd+bwd, fwd, bwd) in µs per op for a `PER_OP_OPS`-op chain, then sum and backward."""
    x, c, d, tanh = inputs

    def step():
        chain(x, c, d, tanh, PER_OP_OPS).sum().backward()

    def split():
        start = time.perf_counter()
        loss = chain(x, c, d, tanh, PER_OP_OPS).sum()
        mid = time.perf_counter()
        loss.backward()
        return mid - start, time.perf_counter() - mid

    total = median_time(step, inner, reps, warmup=2)
    forward, backward = median_split(split, inner, reps, warmup=1)
    us = 1e6 / PER_OP_OPS
    return total * us, forward * us, backward * us


def _long_chain(lib, n):
    """Run the long-chain worker in a fresh process; its JSON result, or {'error': ...}."""
    try:
        done = subprocess.run([sys.executable, str(CHAIN_WORKER), "--lib", lib, "--n", str(n)],
                              capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        return {"error": "timed out after 600 s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"worker exited {done.returncode}: {tail}"}
    return json.loads(lines[-1])


def measure(lib, quick):
    """One library's engine figures: per-op µs and the long chain's worker result."""
    inner, reps, n = sizes(quick)
    inputs = torch_inputs(load_torch()) if lib == "torch" else chainrule_inputs()
    total, forward, backward = _per_op(inputs, inner, reps)
    return {"per_op_us": total, "forward_us": forward, "backward_us": backward,
            "chain": _long_chain(lib, n), "errors": []}


def rows(ours, theirs, quick):
    """The engine table: `ours` and `theirs` are `measure` results (theirs may be None)."""
    inner, reps, n = sizes(quick)
    theirs = theirs or {}
    a, b = ours.get("chain", {}), theirs.get("chain", {})
    label = f"{n // 1000}k-op chain" if n < 1_000_000 else f"{n // 1_000_000}M-op chain"

    def total(result):
        if "forward_s" not in result:
            return None
        return result["forward_s"] + result["backward_s"]

    time_target = LONG_TARGET_S_PER_MILLION * n / 1_000_000
    return [
        Row("per-op: forward + backward", "µs/op", ours.get("per_op_us"), theirs.get("per_op_us"),
            ("<", PER_OP_TARGET_US),
            note=f"{PER_OP_OPS}-op mul/add/tanh chain on shape (4,), then sum + backward; "
                 f"median of {reps} rounds of {inner} chains"),
        Row("per-op: forward only", "µs/op", ours.get("forward_us"), theirs.get("forward_us")),
        Row("per-op: backward only", "µs/op", ours.get("backward_us"), theirs.get("backward_us")),
        Row(f"{label}: forward", "s", a.get("forward_s"), b.get("forward_s")),
        Row(f"{label}: backward", "s", a.get("backward_s"), b.get("backward_s")),
        Row(f"{label}: forward + backward", "s", total(a), total(b), ("<", time_target),
            note=("" if n == 1_000_000 else
                  f"--quick: {n:,} ops, so the 15 s per million target scales to "
                  f"{time_target:g} s")),
        Row(f"{label}: peak memory", "B/op", a.get("peak_bytes_per_op"),
            b.get("peak_bytes_per_op"), ("<", LONG_TARGET_BYTES_PER_OP), fmt="{:.0f}",
            note="peak RSS (VmHWM) above a baseline taken after the imports, in a fresh process"),
        Row(f"{label}: live tensors after backward", "count",
            a.get("live_tensors_after_backward"), b.get("live_tensors_after_backward"),
            ("<=", LIVE_TENSORS_TARGET), fmt="{:.0f}",
            note="Tensor objects the garbage collector still sees while the loss is still "
                 "referenced: backward freed the graph"),
        Row(f"{label}: RSS kept after drop", "MB", a.get("rss_after_drop_mb"),
            b.get("rss_after_drop_mb"), fmt="{:.0f}",
            note="RSS above the baseline once the loss is dropped too: freed memory that the "
                 "allocator keeps for reuse instead of handing back to the OS"),
    ]


def errors(result, lib):
    """The long-chain worker's failure, if any, as a line for the report."""
    chain_result = (result or {}).get("chain", {})
    return [f"long chain ({lib}): {chain_result['error']}"] if "error" in chain_result else []
