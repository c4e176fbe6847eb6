"""Grad mode and anomaly mode are per thread: two threads training two models at once give
exactly the numbers that the same two runs give one after the other.

One thread evaluates under `no_grad` every few steps while the other records; if `no_grad`
leaked across threads, the recording thread's loss would come out without a graph (backward
would raise) or the evaluating thread would record (its eval output would have a grad_fn).
"""

import sys
import threading

import numpy as np

import autograd as ag
import optim
from autograd import Tensor


def run(seed, steps, eval_every, barrier=None, anomaly=False):
    """Train a 2-layer MLP on a random regression task; return every number it produced."""
    rng = np.random.default_rng(seed)
    n_in, n_hidden = 3 + seed % 3, 8 + seed % 5
    x = Tensor(rng.standard_normal((32, n_in)))
    y = Tensor(np.sin(x.numpy().sum(axis=1, keepdims=True)))
    w1 = Tensor(rng.standard_normal((n_in, n_hidden)) * 0.5, requires_grad=True)
    b1 = Tensor(np.zeros(n_hidden), requires_grad=True)
    w2 = Tensor(rng.standard_normal((n_hidden, 1)) * 0.5, requires_grad=True)
    params = [w1, b1, w2]
    opt = optim.Adam(params, lr=0.01)
    record = {"loss": [], "eval": [], "modes": []}
    if barrier is not None:
        barrier.wait()
    with ag.detect_anomaly(anomaly):
        for step in range(steps):
            pred = (x @ w1 + b1).tanh() @ w2
            loss = ((pred - y) ** 2).mean()
            assert loss.grad_fn is not None, "this thread's recording was switched off"
            opt.zero_grad()
            loss.backward()
            opt.step()
            record["loss"].append(loss.item())
            if eval_every and step % eval_every == 0:
                with ag.no_grad():
                    held_out = (x[:8] @ w1 + b1).tanh() @ w2
                    assert held_out.grad_fn is None and not held_out.requires_grad
                    record["eval"].append(held_out.numpy().copy())
            record["modes"].append((ag.is_grad_enabled(), ag.is_anomaly_enabled()))
    record["params"] = [p.numpy().copy() for p in params]
    return record


JOBS = [dict(seed=1, steps=150, eval_every=3), dict(seed=2, steps=150, eval_every=0, anomaly=True)]


def assert_same(a, b):
    assert a["loss"] == b["loss"]
    assert a["modes"] == b["modes"]
    assert len(a["eval"]) == len(b["eval"])
    for u, v in zip(a["eval"] + a["params"], b["eval"] + b["params"]):
        np.testing.assert_array_equal(u, v)


def test_two_threads_match_two_sequential_runs():
    sequential = [run(**job) for job in JOBS]

    results, errors = [None, None], []
    barrier = threading.Barrier(len(JOBS))

    def worker(i):
        try:
            results[i] = run(**JOBS[i], barrier=barrier)
        except BaseException as e:  # noqa: BLE001  (re-raised in the main thread)
            errors.append(e)
            barrier.abort()

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: interleave op by op
    try:
        threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(JOBS))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        sys.setswitchinterval(interval)
    if errors:
        raise errors[0]
    for got, expected in zip(results, sequential):
        assert_same(got, expected)
    # Each thread saw only its own switches; the main thread's are untouched.
    assert results[0]["modes"][0] == (True, False) and results[1]["modes"][0] == (True, True)
    assert ag.is_grad_enabled() and not ag.is_anomaly_enabled()


def test_no_grad_in_one_thread_does_not_silence_another():
    inside, go_on = threading.Event(), threading.Event()
    seen = {}

    def evaluator():
        with ag.no_grad():
            seen["evaluator"] = ag.is_grad_enabled()
            inside.set()
            go_on.wait(5)

    t = threading.Thread(target=evaluator)
    t.start()
    assert inside.wait(5)
    try:
        w = Tensor(np.ones(3), requires_grad=True)
        loss = (w * w).sum()          # recorded here, while the other thread is in no_grad
        assert loss.grad_fn is not None
        loss.backward()
        np.testing.assert_array_equal(w.grad.numpy(), [2.0, 2.0, 2.0])
    finally:
        go_on.set()
        t.join(5)
    assert seen["evaluator"] is False
