"""No reference cycles: a graph dies by reference counting alone (the cycle collector is off
in these tests), before and after backward, and a long training run keeps memory flat.

The engine's promise behind this: an op never stores its output (that would be a cycle), and
backward without retain_graph cuts each op's links to its inputs.
"""

import gc
import tracemalloc
import weakref

import numpy as np
import pytest

import autograd as ag
import optim
from autograd import Tensor

try:
    import nn

    HAVE_NN = all(hasattr(nn, name) for name in ("Linear", "Sequential", "Tanh"))
except ImportError:  # pragma: no cover
    HAVE_NN = False


@pytest.fixture
def no_gc():
    """Turn the cycle collector off, so only reference counting can free anything."""
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build(x, w):
    """A small graph with broadcasting, indexing, a reduction and a reused value."""
    h = x @ w                        # (4, 3) @ (3, 5) -> (4, 5)
    a = (h + w[0]).tanh()            # broadcast (5,) over rows: a BroadcastTo node
    b = a * a + a.exp()              # `a` used three times
    c = b[np.array([0, 2, 2])]       # integer indexing with a repeat
    out = c.logsumexp(axis=1).mean()
    return out, [h, a, b, c]


def leaves():
    rng = np.random.default_rng(0)
    return (Tensor(rng.standard_normal((4, 3)), requires_grad=True),
            Tensor(rng.standard_normal((3, 5)), requires_grad=True))


def all_dead(refs):
    return [r() is None for r in refs]


def test_dropping_the_output_frees_the_graph(no_gc):
    x, w = leaves()
    out, inner = build(x, w)
    refs = [weakref.ref(t) for t in inner]
    del inner
    assert not any(all_dead(refs)), "the output must keep its graph alive"
    del out
    assert all(all_dead(refs))


def test_dropping_the_output_after_a_retained_backward_frees_the_graph(no_gc):
    x, w = leaves()
    out, inner = build(x, w)
    refs = [weakref.ref(t) for t in inner]
    del inner
    out.backward(retain_graph=True)
    assert not any(all_dead(refs))
    out.backward()                   # the graph was retained, so a second pass is allowed
    del out
    assert all(all_dead(refs))
    assert x.grad is not None and w.grad is not None


def test_backward_frees_the_graph_while_the_output_lives(no_gc):
    x, w = leaves()
    out, inner = build(x, w)
    refs = [weakref.ref(t) for t in inner]
    del inner
    out.backward()
    assert all(all_dead(refs)), "backward without retain_graph must free the intermediates"
    assert out.grad_fn is not None and out.grad_fn.inputs is None
    assert x.grad.shape == (4, 3) and w.grad.shape == (3, 5)
    with pytest.raises(RuntimeError, match=r"previous backward already freed.*retain_graph=True"):
        out.backward()


def test_ag_grad_frees_the_graph_too(no_gc):
    x, w = leaves()
    out, inner = build(x, w)
    refs = [weakref.ref(t) for t in inner]
    del inner
    gx, gw = ag.grad(out, [x, w])
    assert all(all_dead(refs))
    assert x.grad is None and gx.shape == (4, 3)


def test_anomaly_mode_and_in_place_updates_make_no_cycles(no_gc):
    x, w = leaves()
    with ag.detect_anomaly():
        out, inner = build(x, w)
        y = inner[1] * 1.0
        y += 1.0                     # a stand-in tensor takes over y's old history
        y[0] = w[1]
        out = out + y.sum()
    refs = [weakref.ref(t) for t in inner + [y]]
    del inner, y
    del out
    assert all(all_dead(refs))


@pytest.mark.parametrize("w_requires_grad", [
    False,
    True,
], ids=["pure forward mode", "a parameter requires grad"])
def test_forward_mode_makes_no_cycles(no_gc, w_requires_grad):
    x, w = leaves()
    w.requires_grad = w_requires_grad
    seen = []

    def f(x):
        out, inner = build(x, w)
        seen.extend(weakref.ref(t) for t in inner)
        return out

    out, tangent = ag.jvp(f, x.detach(), np.ones((4, 3)))
    assert np.isfinite(tangent.item())
    del out, tangent
    assert all(all_dead(seen))


def test_create_graph_is_freed_once_the_gradient_is_dropped(no_gc):
    x, w = leaves()
    out, inner = build(x, w)
    refs = [weakref.ref(t) for t in inner]
    del inner
    (gx,) = ag.grad(out, x, create_graph=True)
    gref = weakref.ref(gx)
    (gx * gx).sum().backward()       # a second-order pass through the first one's graph
    del out, gx
    assert gref() is None and all(all_dead(refs))


# --- a thousand training steps ----------------------------------------------------------------
def hand_mlp(rng):
    """A 2-layer MLP written with Tensors: 8 -> 32 -> 4, tanh, for a 4-class problem."""
    w1 = Tensor(rng.standard_normal((8, 32)) * 0.3, requires_grad=True)
    b1 = Tensor(np.zeros(32), requires_grad=True)
    w2 = Tensor(rng.standard_normal((32, 4)) * 0.3, requires_grad=True)
    b2 = Tensor(np.zeros(4), requires_grad=True)

    def forward(x):
        return (x @ w1 + b1).tanh() @ w2 + b2            # (B, 4) logits

    return forward, [w1, b1, w2, b2]


def nn_mlp(rng):
    model = nn.Sequential(nn.Linear(8, 32), nn.Tanh(), nn.Linear(32, 4))
    return model, list(model.parameters())


def fill_tuple_free_lists():
    """Fill CPython's tuple free lists (2,000 per size) before tracing starts.

    Tuples freed during training park in those lists instead of going back to the allocator,
    so over the first ~1,000 steps the lists fill up and tracemalloc sees ~150 KB of growth
    that belongs to the interpreter, not to us (sys._debugmallocstats() shows the 1- and
    2-sized lists going from a few hundred entries to their cap of 2,000). Filled in advance,
    they stay full and any growth left is ours.
    """
    for size in range(1, 9):
        parked = [tuple(range(i, i + size)) for i in range(2000)]
        del parked


def live_tensors():
    # type() rather than isinstance(): isinstance reads __class__, which some foreign objects
    # (torch's deprecated aliases) answer with a warning.
    return sum(1 for o in gc.get_objects() if issubclass(type(o), Tensor))


def train(make_model, steps, probe):
    """Full-batch training with cross-entropy and SGD with momentum; `probe(step)` measures."""
    rng = np.random.default_rng(1)
    x = Tensor(rng.standard_normal((64, 8)))
    labels = rng.integers(0, 4, size=64)
    model, params = make_model(rng)
    opt = optim.SGD(params, lr=0.1, momentum=0.9)
    first = None
    for step in range(1, steps + 1):
        logits = model(x)
        loss = -logits.log_softmax(axis=1)[np.arange(64), labels].mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        if first is None:
            first = loss.item()
        probe(step)
    return first, loss.item()



@pytest.mark.parametrize("make_model", [
    hand_mlp,
    pytest.param(nn_mlp, marks=pytest.mark.skipif(not HAVE_NN, reason="nn has not landed yet")),
], ids=["hand-written", "nn.Linear"])
def test_a_thousand_steps_keep_memory_flat(no_gc, make_model):
    marks = {}

    def probe(step):
        if step in (100, 1000):
            marks[step] = (tracemalloc.get_traced_memory()[0], live_tensors())

    fill_tuple_free_lists()
    tracemalloc.start()
    try:
        first, last = train(make_model, 1000, probe)
    finally:
        tracemalloc.stop()
    (bytes_100, tensors_100), (bytes_1000, tensors_1000) = marks[100], marks[1000]
    print(f"\n{make_model.__name__}: traced bytes at step 100 = {bytes_100}, "
          f"at step 1000 = {bytes_1000} (growth {bytes_1000 - bytes_100}); "
          f"live Tensors {tensors_100} -> {tensors_1000}; loss {first:.4f} -> {last:.4f}")
    assert last < first                                   # it did train
    assert tensors_1000 == tensors_100, "Tensor objects accumulate across steps"
    # Leaking even one 0-d array (~100 bytes) per step would show as ~90 KB here.
    assert bytes_1000 - bytes_100 < 4 * 1024, (bytes_100, bytes_1000)
