"""Every case of the op table, checked five ways: values against NumPy (float64 and float32),
reverse mode against central differences, forward mode against central differences and
against reverse mode (<u, J v> == <Jᵀu, v>), and second derivatives (reverse-over-reverse and
forward-over-reverse) against central differences of the gradient. Last, a check that the
table reaches every Op subclass the engine defines.

The finite differences here are our own (not `ag.gradcheck`), so a broken gradcheck cannot
hide a broken rule; `ag.gradcheck` is run over the table as well, and must agree.
"""

import dis

import numpy as np
import pytest
from optable import CASES, Case

import autograd as ag
from autograd import Tensor


def leaves(arrays, requires_grad=True):
    return [Tensor(a.copy(), requires_grad=requires_grad) for a in arrays]


def value(case, arrays):
    """fn at ndarrays, without recording (the finite differences call this a lot)."""
    with ag.no_grad():
        return np.asarray(case.fn(*leaves(arrays, False)).numpy(), dtype=np.float64)


def draw_like(shape, seed):
    return np.random.default_rng(seed).standard_normal(shape)


def assert_close(case, what, got, want, rtol, atol=None):
    """Compare arrays; on failure name the case, what was compared, the worst index, got and
    expected."""
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape, f"{case.name}: {what}: shape {got.shape}, expected {want.shape}"
    scale = max(1.0, float(np.max(np.abs(want)))) if want.size else 1.0
    atol = rtol * scale if atol is None else atol
    err = np.abs(got - want) - rtol * np.abs(want)
    if want.size and not (err <= atol).all():
        i = np.unravel_index(int(np.argmax(np.where(np.isnan(err), np.inf, err))), want.shape)
        raise AssertionError(f"{case.name}: {what} at index {tuple(map(int, i))}: got {got[i]!r}, "
                             f"expected {want[i]!r} (rtol {rtol}, atol {atol:.3g})")


def numeric_vjp(case, arrays, u):
    """Central differences of s(x) = <u, f(x)>, entry by entry of every input."""
    grads = []
    for i, x in enumerate(arrays):
        g = np.zeros_like(x)
        for j in np.ndindex(x.shape):
            plus = [a.copy() for a in arrays]
            minus = [a.copy() for a in arrays]
            plus[i][j] += case.eps
            minus[i][j] -= case.eps
            g[j] = (np.sum(u * value(case, plus)) - np.sum(u * value(case, minus))) / (2 * case.eps)
        grads.append(g)
    return grads


def directional(fun, arrays, vs, eps):
    """Central difference of fun (ndarrays -> ndarray) along the direction vs."""
    plus = [a + eps * v for a, v in zip(arrays, vs)]
    minus = [a - eps * v for a, v in zip(arrays, vs)]
    return (fun(plus) - fun(minus)) / (2 * eps)


def cotangent(case, arrays):
    out = value(case, arrays)
    return draw_like(out.shape, 7)


def table(check):
    """Parametrize over the table; a case's known bug for this check is a strict xfail."""
    return pytest.mark.parametrize("case", [
        pytest.param(c, id=c.name, marks=[pytest.mark.xfail(reason=dict(c.xfail)[check],
                                                            strict=True)]
                     if check in dict(c.xfail) else [])
        for c in CASES])


# --- values ------------------------------------------------------------------------------
@table("value")
def test_value_float64(case: Case):
    arrays = case.arrays()
    out = case.fn(*leaves(arrays, False))
    want = case.reference(*arrays)
    assert isinstance(out, Tensor), f"{case.name}: returned {type(out).__name__}"
    assert out.dtype == want.dtype, f"{case.name}: dtype {out.dtype}, NumPy gives {want.dtype}"
    assert_close(case, "value", out.numpy(), want, rtol=1e-10, atol=1e-12)


@table("value32")
def test_value_float32_keeps_numpy_dtype(case: Case):
    arrays = [a.astype(np.float32) for a in case.arrays()]
    out = case.fn(*[Tensor(a) for a in arrays])
    want = case.reference(*arrays)
    assert out.dtype == want.dtype, f"{case.name}: dtype {out.dtype}, NumPy gives {want.dtype}"
    assert_close(case, "float32 value", out.numpy(), want, rtol=1e-4, atol=1e-5)


@table("graph")
def test_records_a_graph_only_when_asked(case: Case):
    arrays = case.arrays()
    xs = leaves(arrays)
    out = case.fn(*xs)
    if any(out is x for x in xs):  # a no-op (squeeze of a 0-d tensor) may return its input
        return
    assert out.requires_grad and out.grad_fn is not None and not out.is_leaf
    with ag.no_grad():
        quiet = case.fn(*leaves(arrays))
    assert not quiet.requires_grad and quiet.grad_fn is None and quiet.is_leaf
    plain = case.fn(*leaves(arrays, requires_grad=False))
    assert not plain.requires_grad and plain.grad_fn is None


# --- reverse mode ------------------------------------------------------------------------
@table("reverse")
def test_reverse_matches_finite_differences(case: Case):
    arrays = case.arrays()
    u = cotangent(case, arrays)
    xs = leaves(arrays)
    out = case.fn(*xs)
    out.backward(Tensor(u))
    for i, (x, want) in enumerate(zip(xs, numeric_vjp(case, arrays, u))):
        assert x.grad is not None, f"{case.name}: input {i} got no gradient"
        assert x.grad.shape == x.shape and x.grad.dtype == x.dtype
        assert_close(case, f"gradient of input {i}", x.grad.numpy(), want, case.rtol)


@table("gradcheck")
def test_gradcheck_accepts_every_case(case: Case):
    assert ag.gradcheck(case.fn, leaves(case.arrays()), eps=case.eps, atol=1e-6,
                        rtol=max(case.rtol, 1e-5)) is True


@table("vjp")
def test_vjp_equals_grad(case: Case):
    arrays = case.arrays()
    u = cotangent(case, arrays)
    out, grads = ag.vjp(case.fn, tuple(Tensor(a) for a in arrays), Tensor(u))
    assert isinstance(grads, tuple) and len(grads) == len(arrays)
    assert_close(case, "vjp's value", out.numpy(), value(case, arrays), 1e-12)
    xs = leaves(arrays)
    want = ag.grad(case.fn(*xs), xs, Tensor(u))
    for i, (g, w) in enumerate(zip(grads, want)):
        assert_close(case, f"vjp of input {i}", g.numpy(), w.numpy(), 1e-12)


# --- forward mode ------------------------------------------------------------------------
@table("forward")
def test_forward_matches_finite_differences(case: Case):
    arrays = case.arrays()
    vs = [draw_like(a.shape, 10 + i) for i, a in enumerate(arrays)]
    out, tangent = ag.jvp(case.fn, tuple(Tensor(a) for a in arrays),
                          tuple(Tensor(v) for v in vs))
    assert_close(case, "jvp's value", out.numpy(), value(case, arrays), 1e-12)
    want = directional(lambda xs: value(case, xs), arrays, vs, case.eps)
    assert tangent.shape == out.shape
    assert_close(case, "tangent", tangent.numpy(), want, case.rtol)


@table("adjoint")
def test_forward_and_reverse_are_adjoint(case: Case):
    """<u, J v> from one jvp equals <Jᵀ u, v> from one vjp, for random u and v."""
    arrays = case.arrays()
    u = cotangent(case, arrays)
    vs = [draw_like(a.shape, 20 + i) for i, a in enumerate(arrays)]
    primals = tuple(Tensor(a) for a in arrays)
    _, jv = ag.jvp(case.fn, primals, tuple(Tensor(v) for v in vs))
    _, jtu = ag.vjp(case.fn, primals, Tensor(u))
    left = float(np.sum(u * jv.numpy()))
    right = sum(float(np.sum(g.numpy() * v)) for g, v in zip(jtu, vs))
    assert left == pytest.approx(right, rel=max(case.rtol, 1e-9), abs=1e-9), case.name


# --- second order ------------------------------------------------------------------------
def gradient_fn(case, u):
    """x -> d<u, f(x)>/dx, as float64 arrays (used for finite differences of the gradient)."""
    def fun(arrays):
        xs = leaves(arrays)
        return np.concatenate([g.numpy().ravel() for g in ag.grad(case.fn(*xs), xs, Tensor(u))])
    return fun


@table("reverse2")
def test_reverse_over_reverse(case: Case):
    """The reverse rules are differentiable: d/dx and d/du of <w, Jᵀ(x) u> by a second reverse
    pass match central differences (d/du of it is the forward product J w)."""
    arrays = case.arrays()
    u0 = cotangent(case, arrays)
    xs = leaves(arrays)
    u = Tensor(u0, requires_grad=True)
    grads = ag.grad(case.fn(*xs), xs, u, create_graph=True)
    w = draw_like(sum(a.size for a in arrays), 30)
    flat = ag.concatenate([g.reshape(-1) for g in grads])
    h = (flat * Tensor(w)).sum()
    *d_xs, d_u = ag.grad(h, [*xs, u])

    for i, x in enumerate(arrays):
        want = np.zeros_like(x)
        for j in np.ndindex(x.shape):
            e = [np.zeros_like(a) for a in arrays]
            e[i][j] = 1.0
            want[j] = np.dot(w, directional(gradient_fn(case, u0), arrays, e, 1e-5))
        assert_close(case, f"second derivative in input {i}", d_xs[i].numpy(), want, 1e-5)
    # h is linear in u: dh/du = J w, which the forward difference of f along w gives exactly.
    ws = np.split(w, np.cumsum([a.size for a in arrays])[:-1])
    jw = directional(lambda xs: value(case, xs), arrays,
                     [p.reshape(a.shape) for p, a in zip(ws, arrays)], case.eps)
    assert_close(case, "d/du of the vjp", d_u.numpy(), jw, case.rtol)


@table("forward2")
def test_forward_over_reverse(case: Case):
    """ag.jvp through a function that calls ag.grad(create_graph=True): the tangent of the
    gradient is the Hessian-vector product, checked against differences of the gradient."""
    arrays = case.arrays()
    u = cotangent(case, arrays)
    vs = [draw_like(a.shape, 40 + i) for i, a in enumerate(arrays)]

    def grad_of(*xs):
        grads = ag.grad(case.fn(*xs), xs, Tensor(u), create_graph=True)
        return ag.concatenate([g.reshape(-1) for g in grads])

    primals = tuple(Tensor(a, requires_grad=True) for a in arrays)
    _, hvp = ag.jvp(grad_of, primals, tuple(Tensor(v) for v in vs))
    want = directional(gradient_fn(case, u), arrays, vs, 1e-5)
    assert_close(case, "forward-over-reverse", hvp.numpy(), want, 1e-5)


# --- coverage ----------------------------------------------------------------------------
def engine_ops():
    """Every concrete Op subclass the engine defines: walked recursively through
    __subclasses__(), skipping abstract bases (no forward of their own, e.g. _Reduction) and
    ops defined by tests. ag.compile's CompiledOp is a whole traced program, not a primitive
    (tests/autograd/test_compile.py checks it against eager)."""
    found, stack = set(), [ag.Op]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("autograd.") and sub.forward is not ag.Op.forward \
                    and not sub.__module__.startswith("autograd.compile"):
                found.add(sub)
    return found


def ops_in(tensors):
    return {type(t.grad_fn) for t in ag.toposort([t for t in tensors if t.grad_fn is not None])}


def test_table_covers_every_op():
    """Each op class shows up in the graph of some case, or (IndexAdd, whose only user is
    GetItem's reverse rule) in the graph of some case's create_graph gradient."""
    seen = set()
    for case in CASES:
        arrays = case.arrays()
        xs = leaves(arrays)
        out = case.fn(*xs)
        seen |= ops_in([out])
        u = Tensor(cotangent(case, arrays), requires_grad=True)  # so linear ops' rules record
        grads = ag.grad(out, xs, u, create_graph=True)
        seen |= ops_in(grads)
    ops = engine_ops()
    assert len(ops) >= 30, sorted(op.__name__ for op in ops)  # the walk itself works
    missing = sorted(op.__name__ for op in ops - seen)
    assert not missing, f"ops no case exercises: {missing}"


def test_coverage_walk_finds_known_ops():
    names = {op.__name__ for op in engine_ops()}
    for name in ("Add", "Minimum", "Min", "IndexAdd", "BroadcastTo", "MatMul", "LogSumExp"):
        assert name in names
    assert "Op" not in names and "_Reduction" not in names


# Everything SPEC lists under "Operators and functions", as ag.NAME functions and as methods.
SPEC_FUNCTIONS = [
    "add", "subtract", "multiply", "divide", "power", "negative", "matmul", "exp", "log", "sqrt",
    "tanh", "sigmoid", "relu", "leaky_relu", "abs", "sin", "cos", "clip", "maximum", "minimum",
    "where", "sum", "mean", "max", "min", "var", "std", "logsumexp", "softmax", "log_softmax",
    "reshape", "transpose", "squeeze", "expand_dims", "flatten", "broadcast_to", "concatenate",
    "stack", "astype",
]
SPEC_METHODS = [
    "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "leaky_relu", "abs", "sin", "cos", "clip",
    "maximum", "minimum", "sum", "mean", "max", "min", "var", "std", "logsumexp", "softmax",
    "log_softmax", "reshape", "transpose", "T", "squeeze", "expand_dims", "flatten",
    "broadcast_to", "astype",
]
SPEC_OPERATORS = {"+", "-", "*", "/", "**", "@"}


def spellings():
    """(functions called as ag.NAME, attributes used on tensors, binary operators, whether unary
    minus and indexing occur) over every case's fn, read from its bytecode."""
    functions, methods, operators, other = set(), set(), set(), set()
    for case in CASES:
        previous = None
        for ins in dis.get_instructions(case.fn):
            if ins.opname in ("LOAD_ATTR", "LOAD_METHOD"):
                if previous is not None and previous.opname == "LOAD_GLOBAL" and \
                        previous.argval == "ag":
                    functions.add(ins.argval)
                elif previous is not None and previous.opname in ("LOAD_FAST", "LOAD_DEREF"):
                    methods.add(ins.argval)
            elif ins.opname == "BINARY_OP":
                operators.add(ins.argrepr.rstrip("="))
            elif ins.opname in ("UNARY_NEGATIVE", "BINARY_SUBSCR", "STORE_SUBSCR"):
                other.add(ins.opname)
            previous = ins
    return functions, methods, operators, other


def test_table_spells_every_spec_function_method_and_operator():
    functions, methods, operators, other = spellings()
    for name in SPEC_FUNCTIONS:
        assert callable(getattr(ag, name, None)), f"SPEC function ag.{name} is missing"
    for name in SPEC_METHODS:
        assert hasattr(Tensor, name), f"SPEC method Tensor.{name} is missing"
    assert not set(SPEC_FUNCTIONS) - functions, "ag.NAME forms no case calls"
    assert not set(SPEC_METHODS) - methods, "methods no case calls"
    assert SPEC_OPERATORS <= operators, SPEC_OPERATORS - operators
    assert {"UNARY_NEGATIVE", "BINARY_SUBSCR", "STORE_SUBSCR"} <= other
