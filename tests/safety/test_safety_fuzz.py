"""Fuzzing the engine with random expression graphs over random broadcastable shapes.

Hypothesis (derandomized, so every run checks the same graphs) draws a base shape of up to 3
dimensions, inputs whose shapes broadcast into it, and a program of unary, binary and
reduction steps from the tables below. Each graph is checked three ways in float64:
reverse mode against finite differences (ag.gradcheck), forward mode against finite
differences along a random direction, and forward against reverse by the adjoint identity
<u, J v> == <Jᵀ u, v>. Kinks (relu, abs, maximum, max) are kept away from their corners by
rejecting draws that land within MARGIN of one.
"""

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import autograd as ag
from autograd import Tensor

MARGIN = 1e-3   # distance from any kink; finite differences use eps = 1e-6


def _kink(values, guards):
    guards.append(float(np.min(np.abs(values), initial=np.inf)) > MARGIN)


def _exp(t, guards):
    guards.append(float(np.max(t.numpy(), initial=-np.inf)) < 8.0)  # keep exp(exp(...)) finite
    return ag.exp(t)


def _relu(t, guards):
    _kink(t.numpy(), guards)
    return t.relu()


def _abs(t, guards):
    _kink(t.numpy(), guards)
    return abs(t)


UNARY = {
    "exp": _exp,
    "tanh": lambda t, g: t.tanh(),
    "sigmoid": lambda t, g: ag.sigmoid(t),
    "sin": lambda t, g: t.sin(),
    "cos": lambda t, g: ag.cos(t),
    "relu": _relu,
    "abs": _abs,
    "log": lambda t, g: ag.log(t * t + 1.0),          # log of something positive
    "log_exp": lambda t, g: _exp(t * 0.5, g).log(),
    "sqrt": lambda t, g: (t * t + 1.0).sqrt(),
    "square": lambda t, g: t ** 2,
    "negative": lambda t, g: -t,
}


def _maximum(a, b, guards):
    _kink(np.subtract(a.numpy(), b.numpy()), guards)
    return ag.maximum(a, b)


BINARY = {
    "add": lambda a, b, g: a + b,
    "subtract": lambda a, b, g: ag.subtract(a, b),
    "multiply": lambda a, b, g: a * b,
    "divide": lambda a, b, g: a / (b * b + 1.0),       # denominator kept away from 0
    "maximum": _maximum,
}


def _max_gap(data, axis):
    """The smallest gap between the largest and second largest entry of each reduced group."""
    if data.ndim == 0:
        return np.inf
    axes = range(data.ndim) if axis is None else [a % data.ndim for a in np.atleast_1d(axis)]
    axes = list(axes)
    rest = [i for i in range(data.ndim) if i not in axes]
    groups = np.transpose(data, rest + list(axes)).reshape(
        int(np.prod([data.shape[i] for i in rest])), -1)
    if groups.shape[1] < 2:
        return np.inf
    top2 = np.sort(groups, axis=1)[:, -2:]
    return float(np.min(top2[:, 1] - top2[:, 0]))


def _reduce(kind, t, axis, keepdims, guards):
    if kind == "max":
        guards.append(_max_gap(t.numpy(), axis) > MARGIN)
        return t.max(axis=axis, keepdims=keepdims)
    if kind == "sum":
        return ag.sum(t, axis=axis, keepdims=keepdims)
    return t.mean(axis=axis, keepdims=keepdims)


# --- drawing programs --------------------------------------------------------------------------
def _sub_shape(draw, base):
    """A shape that broadcasts into `base`: leading axes may be dropped, others set to 1."""
    drop = draw(st.integers(0, len(base)))
    return tuple(draw(st.sampled_from([n, 1])) for n in base[drop:])


def _axes(draw, ndim):
    """None, one axis (maybe negative), or a tuple of distinct axes."""
    if ndim == 0:
        return None
    choice = draw(st.sampled_from(["none", "int", "tuple"]))
    if choice == "none":
        return None
    if choice == "int":
        axis = draw(st.integers(0, ndim - 1))
        return axis - ndim if draw(st.booleans()) else axis
    return tuple(sorted(draw(st.sets(st.integers(0, ndim - 1), min_size=1, max_size=ndim))))


def _normalized(axis, ndim):
    if axis is None:
        return None
    axes = (axis,) if isinstance(axis, int) else axis
    return tuple(sorted(a % ndim for a in axes))


@st.composite
def programs(draw):
    base = tuple(draw(st.lists(st.integers(2, 4), min_size=1, max_size=3)))
    shapes = [_sub_shape(draw, base) for _ in range(draw(st.integers(2, 3)))]
    node_shapes = list(shapes)
    steps = []
    for _ in range(draw(st.integers(2, 8))):
        kind = draw(st.sampled_from(["unary", "unary", "binary", "binary", "reduce"]))
        i = draw(st.integers(max(0, len(node_shapes) - 3), len(node_shapes) - 1))  # recent
        shape = node_shapes[i]
        if kind == "unary":
            steps.append(("unary", draw(st.sampled_from(sorted(UNARY))), i))
        elif kind == "binary":
            j = draw(st.integers(0, len(node_shapes) - 1))
            steps.append(("binary", draw(st.sampled_from(sorted(BINARY))), i, j))
            shape = np.broadcast_shapes(shape, node_shapes[j])
        else:
            op = draw(st.sampled_from(["sum", "mean", "max"]))
            if draw(st.booleans()):      # keepdims: any axes, the shape still broadcasts
                axis = _axes(draw, len(shape))
                reduced = _normalized(axis, len(shape))
                reduced = range(len(shape)) if reduced is None else reduced
                steps.append(("reduce", op, i, axis, True))
                shape = tuple(1 if k in reduced else n for k, n in enumerate(shape))
            else:                        # drop leading axes: still aligned from the right
                lead = draw(st.integers(0, len(shape)))
                axis = tuple(range(lead)) if lead else None
                steps.append(("reduce", op, i, axis, False))
                shape = shape[lead:] if lead else ()
        node_shapes.append(tuple(shape))
    final = None
    if draw(st.booleans()):              # a last reduction over any axes, keepdims or not
        final = (draw(st.sampled_from(["sum", "mean", "max"])),
                 _axes(draw, len(node_shapes[-1])), draw(st.booleans()))
    seed = draw(st.integers(0, 2**32 - 1))
    return shapes, steps, final, seed


def evaluate(program, xs, guards):
    _, steps, final, _ = program
    nodes = list(xs)
    for step in steps:
        if step[0] == "unary":
            nodes.append(UNARY[step[1]](nodes[step[2]], guards))
        elif step[0] == "binary":
            nodes.append(BINARY[step[1]](nodes[step[2]], nodes[step[3]], guards))
        else:
            _, op, i, axis, keepdims = step
            nodes.append(_reduce(op, nodes[i], axis, keepdims, guards))
    out = nodes[-1]
    if final is not None:
        out = _reduce(final[0], out, final[1], final[2], guards)
    return out


def describe(program):
    shapes, steps, final, _ = program
    return f"inputs {shapes}, steps {steps}, final {final}"


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(programs())
def test_random_graphs_reverse_forward_and_finite_differences_agree(program):
    shapes, _, _, seed = program
    rng = np.random.default_rng(seed)
    data = [rng.standard_normal(s) for s in shapes]

    guards = []
    with ag.no_grad():
        value = evaluate(program, [Tensor(d) for d in data], guards)
    v = value.numpy()
    assume(all(guards) and np.all(np.isfinite(v)) and np.all(np.abs(v) < 1e6))

    def f(*xs):
        return evaluate(program, xs, [])

    # Reverse mode against central differences, every entry of every input.
    xs = [Tensor(d.copy(), requires_grad=True) for d in data]
    assert ag.gradcheck(f, xs), describe(program)

    # Forward mode against reverse mode: <u, J v> == <Jᵀ u, v>.
    v = [rng.standard_normal(s) for s in shapes]
    out_f, jv = ag.jvp(f, tuple(Tensor(d) for d in data), tuple(v))
    u = rng.standard_normal(out_f.shape)
    out_r, jtu = ag.vjp(f, tuple(Tensor(d) for d in data), u)
    np.testing.assert_allclose(out_f.numpy(), value.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(out_r.numpy(), value.numpy(), rtol=1e-12, atol=1e-12)
    assert jv.shape == out_f.shape and [g.shape for g in jtu] == [tuple(s) for s in shapes]
    lhs = float(np.sum(u * jv.numpy()))
    rhs = float(sum(np.sum(g.numpy() * w) for g, w in zip(jtu, v)))
    scale = 1.0 + float(np.sum(np.abs(u * jv.numpy()))) + float(
        sum(np.sum(np.abs(g.numpy() * w)) for g, w in zip(jtu, v)))
    assert abs(lhs - rhs) <= 1e-10 * scale, (lhs, rhs, describe(program))

    # Forward mode against a central difference along v.
    eps = 1e-6
    with ag.no_grad():
        plus = evaluate(program, [Tensor(d + eps * w) for d, w in zip(data, v)], []).numpy()
        minus = evaluate(program, [Tensor(d - eps * w) for d, w in zip(data, v)], []).numpy()
    np.testing.assert_allclose(jv.numpy(), (plus - minus) / (2 * eps), rtol=1e-4, atol=1e-5,
                               err_msg=describe(program))
