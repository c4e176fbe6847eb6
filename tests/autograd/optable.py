"""The one table of op cases that drives the engine's tests.

Each `Case` is an expression in Tensors (`fn`), NumPy's answer for the same expression (`ref`,
or `None` when `fn` itself is valid NumPy, e.g. `lambda a, b: a * b`), and a recipe for its
inputs (`args`): a function of a NumPy Generator that returns float64 arrays from the op's
smooth domain — positive for log and sqrt, away from the kinks of relu, abs, clip, max and
maximum — so that finite differences see a differentiable function. The value tests, the
gradient tests, the forward/reverse adjoint tests and the op-coverage test all read this table.
"""

import math
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import autograd as ag
from autograd import Tensor


@dataclass(frozen=True)
class Case:
    name: str
    fn: Callable          # Tensors -> Tensor
    ref: Callable | None  # ndarrays -> ndarray; None: `fn` applied to the ndarrays
    args: Callable        # np.random.Generator -> tuple of float64 ndarrays
    eps: float = 1e-6     # finite-difference step
    rtol: float = 1e-6    # tolerance of the derivative checks (relative to the scale)
    xfail: tuple = ()     # (check, reason) pairs: known engine bugs, each a strict xfail

    def arrays(self):
        """The case's inputs: the same arrays on every call (seeded by the case's name)."""
        rng = np.random.default_rng(zlib.crc32(self.name.encode()))
        return tuple(np.asarray(a, dtype=np.float64) for a in self.args(rng))

    def reference(self, *arrays):
        return np.asarray((self.fn if self.ref is None else self.ref)(*arrays))

    def __repr__(self):
        return self.name


# --- input recipes -----------------------------------------------------------------------
def real(*shape):
    return lambda rng: rng.standard_normal(shape)


def positive(*shape):
    return lambda rng: rng.uniform(0.5, 2.0, shape)


def away(*points, shape, gap=0.15, low=-2.0, high=2.0):
    """Uniform on [low, high] but at least `gap` from each of `points` (kinks)."""
    def draw(rng):
        x = rng.uniform(low, high, shape)
        while True:
            bad = np.zeros(x.shape, dtype=bool)
            for p in points:
                bad |= np.abs(x - p) < gap
            if not bad.any():
                return x
            x[bad] = rng.uniform(low, high, int(bad.sum()))
    return draw


def nonzero(*shape):
    return away(0.0, shape=shape)


def distinct(*shape):
    """Entries at least 0.25 apart (no ties, so max/min are differentiable), shuffled."""
    def draw(rng):
        n = int(np.prod(shape))
        return (rng.permutation(n) * 0.25 - n * 0.125 + rng.uniform(0, 0.05)).reshape(shape)
    return draw


def args(*recipes):
    return lambda rng: tuple(r(rng) for r in recipes)


def separated(shape_a, shape_b):
    """a (of the broadcast shape) and b (broadcasting against it) with 0.2 <= |a - b| <= 1
    everywhere: no ties, so maximum and minimum are smooth at the inputs."""
    assert np.broadcast_shapes(shape_a, shape_b) == shape_a

    def draw(rng):
        b = rng.standard_normal(shape_b)
        gap = rng.uniform(0.2, 1.0, shape_a) * rng.choice([-1.0, 1.0], shape_a)
        return b + gap, b
    return draw


# --- helpers used inside cases ------------------------------------------------------------
def np_logsumexp(a, axis=None, keepdims=False):
    m = np.max(a, axis=axis, keepdims=True)
    out = np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


def np_softmax(a, axis=-1):
    e = np.exp(a - np.max(a, axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def np_sigmoid(a):
    return 1 / (1 + np.exp(-a))


MASK = np.array([[True, False, True], [False, False, True]])
COND = np.array([[True, False, False], [True, True, False]])
C23 = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])  # a constant ndarray operand


def setitem_slice(a, b):
    c = a * 1.0  # a non-leaf copy: writing into a leaf that requires grad is refused
    c[0, 1:] = b
    return c


def setitem_mask(a):
    c = a + 0.0
    c[MASK] = 0.0
    return c


def setitem_broadcast(a, b):
    c = a * 2.0
    c[MASK] = b  # a 0-d value broadcast over the masked entries: its gradient sums them
    return c


def iadd(a, b):
    c = a * 1.0
    c += b
    return c


def imul(a, b):
    c = a - 0.0
    c *= b
    return c


def _reductions():
    """sum, mean, max, min, var, std, logsumexp over every kind of axis, method and function."""
    cases = []
    axes = [None, 0, -1, 1, (0, 2), (-1, 0), (0, 1, 2)]
    for axis in axes:
        for keepdims in (False, True):
            tag = f"axis={axis},keepdims={keepdims}"
            kw = dict(axis=axis, keepdims=keepdims)
            cases += [
                Case(f"sum[{tag}]", lambda a, kw=kw: a.sum(**kw), None, args(real(2, 3, 4))),
                Case(f"mean[{tag}]", lambda a, kw=kw: a.mean(**kw), None, args(real(2, 3, 4))),
                Case(f"max[{tag}]", lambda a, kw=kw: a.max(**kw), None, args(distinct(2, 3, 4))),
                Case(f"min[{tag}]", lambda a, kw=kw: a.min(**kw), None, args(distinct(2, 3, 4))),
                Case(f"var[{tag}]", lambda a, kw=kw: a.var(**kw), None, args(real(2, 3, 4))),
                Case(f"std[{tag}]", lambda a, kw=kw: a.std(**kw), None, args(real(2, 3, 4))),
                Case(f"logsumexp[{tag}]", lambda a, kw=kw: a.logsumexp(**kw),
                     lambda a, kw=kw: np_logsumexp(a, **kw), args(real(2, 3, 4))),
            ]
    cases += [
        Case("ag.sum", lambda a: ag.sum(a, axis=1), lambda a: a.sum(axis=1), args(real(3, 4))),
        Case("ag.mean", lambda a: ag.mean(a, 0, True), lambda a: a.mean(0, keepdims=True),
             args(real(3, 4))),
        Case("ag.max", lambda a: ag.max(a, axis=-1), lambda a: a.max(axis=-1),
             args(distinct(3, 4))),
        Case("ag.min", lambda a: ag.min(a), lambda a: a.min(), args(distinct(3, 4))),
        Case("ag.var[ddof=1]", lambda a: ag.var(a, axis=1, ddof=1),
             lambda a: a.var(axis=1, ddof=1), args(real(3, 4))),
        Case("var[ddof=1,axis=None]", lambda a: a.var(ddof=1), lambda a: a.var(ddof=1),
             args(real(3, 4))),
        Case("ag.std[ddof=1]", lambda a: ag.std(a, axis=0, keepdims=True, ddof=1),
             lambda a: a.std(axis=0, keepdims=True, ddof=1), args(real(3, 4))),
        Case("ag.logsumexp", lambda a: ag.logsumexp(a, axis=0), lambda a: np_logsumexp(a, 0),
             args(real(3, 4))),
        Case("sum[0-d]", lambda a: a.sum(), None, args(real())),
        Case("max[1-d]", lambda a: a.max(), None, args(distinct(5))),
        Case("logsumexp[0-d]", lambda a: a.logsumexp(), lambda a: a, args(real())),
    ]
    return cases


def np_windows(x, k, s, p, pad_value=0.0, dilation=1):
    """out[n, c, i, j, y, x] = xpad[n, c, y*s + i*d, x*s + j*d], written as plain loops."""
    n, c, h, w = x.shape
    d = dilation
    xpad = np.full((n, c, h + 2 * p, w + 2 * p), pad_value, dtype=x.dtype)
    xpad[:, :, p:p + h, p:p + w] = x
    oh, ow = (h + 2 * p - d * (k - 1) - 1) // s + 1, (w + 2 * p - d * (k - 1) - 1) // s + 1
    out = np.zeros((n, c, k, k, oh, ow), dtype=x.dtype)
    for i in range(k):
        for j in range(k):
            for y in range(oh):
                for x_ in range(ow):
                    out[:, :, i, j, y, x_] = xpad[:, :, y * s + i * d, x_ * s + j * d]
    return out


def np_col2im(g, shape, k, s, p, dilation=1):
    n, c, h, w = shape
    d = dilation
    out = np.zeros((n, c, h + 2 * p, w + 2 * p), dtype=g.dtype)
    for i in range(k):
        for j in range(k):
            for y in range(g.shape[4]):
                for x_ in range(g.shape[5]):
                    out[:, :, y * s + i * d, x_ * s + j * d] += g[:, :, i, j, y, x_]
    return out[:, :, p:p + h, p:p + w]


def _windows():
    """The sliding-window primitives under convolution and pooling (when the engine has them)."""
    try:
        from autograd.ops.windows import col2im, sliding_windows
    except ImportError:
        return []
    return [
        Case("sliding_windows", lambda a: sliding_windows(a, 2), lambda a: np_windows(a, 2, 1, 0),
             args(real(1, 2, 3, 4))),
        Case("sliding_windows[stride, padding]", lambda a: sliding_windows(a, 3, 2, 1),
             lambda a: np_windows(a, 3, 2, 1), args(real(2, 1, 4, 5))),
        Case("sliding_windows[max pool]",
             lambda a: sliding_windows(a, 2, 2, 1, pad_value=-np.inf).max(axis=(2, 3)),
             lambda a: np_windows(a, 2, 2, 1, -np.inf).max(axis=(2, 3)),
             args(distinct(1, 2, 3, 3))),
        Case("col2im", lambda g: col2im(g, (1, 2, 3, 4), 2),
             lambda g: np_col2im(g, (1, 2, 3, 4), 2, 1, 0), args(real(1, 2, 2, 2, 2, 3))),
        Case("col2im[stride, padding]", lambda g: col2im(g, (1, 1, 4, 5), 3, 2, 1),
             lambda g: np_col2im(g, (1, 1, 4, 5), 3, 2, 1), args(real(1, 1, 3, 3, 2, 3))),
        Case("sliding_windows[dilation]", lambda a: sliding_windows(a, 2, 1, 1, dilation=2),
             lambda a: np_windows(a, 2, 1, 1, dilation=2), args(real(1, 2, 4, 5))),
        Case("col2im[dilation]", lambda g: col2im(g, (1, 1, 4, 5), 2, 2, 1, dilation=2),
             lambda g: np_col2im(g, (1, 1, 4, 5), 2, 2, 1, dilation=2),
             args(real(1, 1, 2, 2, 2, 3))),
    ]


def _softmaxes():
    cases = []
    for axis in (-1, 0, 1):
        cases += [
            Case(f"softmax[axis={axis}]", lambda a, axis=axis: a.softmax(axis=axis),
                 lambda a, axis=axis: np_softmax(a, axis), args(real(2, 3, 4))),
            Case(f"log_softmax[axis={axis}]", lambda a, axis=axis: a.log_softmax(axis),
                 lambda a, axis=axis: np.log(np_softmax(a, axis)), args(real(2, 3, 4))),
        ]
    cases += [
        Case("softmax[default]", lambda a: a.softmax(), lambda a: np_softmax(a), args(real(3, 4))),
        Case("ag.softmax", lambda a: ag.softmax(a, axis=0), lambda a: np_softmax(a, 0),
             args(real(3, 4))),
        Case("ag.log_softmax", lambda a: ag.log_softmax(a), lambda a: np.log(np_softmax(a)),
             args(real(3, 4))),
    ]
    return cases


def np_softplus(a, beta=1.0, threshold=20.0):
    return np.where(a * beta > threshold, a, np.log1p(np.exp(np.minimum(a * beta, 50))) / beta)


def _activations():
    """The activation primitives (softplus, ELU, erf under the exact GELU)."""
    from autograd.ops.activations import elu, erf, softplus

    np_erf = np.vectorize(math.erf)
    return [
        Case("softplus", lambda a: softplus(a), np_softplus, args(real(2, 3))),
        Case("softplus[beta=2, threshold=1]", lambda a: softplus(a, 2.0, 1.0),
             lambda a: np_softplus(a, 2.0, 1.0), args(away(0.5, shape=(3, 4)))),
        Case("elu", lambda a: elu(a), lambda a: np.where(a > 0, a, np.expm1(np.minimum(a, 0))),
             args(nonzero(2, 3))),
        Case("elu[alpha=0.5]", lambda a: elu(a, 0.5),
             lambda a: np.where(a > 0, a, 0.5 * np.expm1(np.minimum(a, 0))),
             args(nonzero(2, 3))),
        Case("erf", lambda a: erf(a), lambda a: np_erf(a).astype(a.dtype), args(real(2, 3))),
    ]


CASES = [
    # --- + - * / ** and unary - ----------------------------------------------------------
    Case("add", lambda a, b: a + b, None, args(real(2, 3), real(2, 3))),
    Case("add[bcast (3,)]", lambda a, b: a + b, None, args(real(2, 3), real(3))),
    Case("add[bcast (4,1)+(1,3)]", lambda a, b: a + b, None, args(real(4, 1), real(1, 3))),
    Case("add[bcast 0-d]", lambda a, b: a + b, None, args(real(), real(2, 3))),
    Case("add[scalar]", lambda a: a + 2.5, None, args(real(2, 3))),
    Case("radd[scalar]", lambda a: 2.5 + a, None, args(real(2, 3))),
    Case("radd[int]", lambda a: 3 + a, None, args(real(2, 3))),
    Case("add[ndarray]", lambda a: a + C23, None, args(real(2, 3))),
    Case("radd[ndarray]", lambda a: C23 + a, None, args(real(2, 3))),
    Case("radd[ndarray bcast]", lambda a: C23 + a, None, args(real(3))),
    Case("ag.add", lambda a, b: ag.add(a, b), np.add, args(real(2, 3), real(2, 1))),
    Case("sub", lambda a, b: a - b, None, args(real(2, 3), real(2, 3))),
    Case("sub[bcast]", lambda a, b: a - b, None, args(real(3, 1), real(1, 4))),
    Case("sub[scalar]", lambda a: a - 1.5, None, args(real(2, 3))),
    Case("rsub[scalar]", lambda a: 1.5 - a, None, args(real(2, 3))),
    Case("rsub[ndarray]", lambda a: C23 - a, None, args(real(2, 3))),
    Case("ag.subtract", lambda a, b: ag.subtract(a, b), np.subtract, args(real(3), real(2, 3))),
    Case("mul", lambda a, b: a * b, None, args(real(2, 3), real(2, 3))),
    Case("mul[same tensor]", lambda a: a * a, None, args(real(2, 3))),
    Case("mul[bcast]", lambda a, b: a * b, None, args(real(2, 1, 3), real(4, 1))),
    Case("mul[scalar]", lambda a: a * -0.5, None, args(real(2, 3))),
    Case("rmul[scalar]", lambda a: 3.0 * a, None, args(real(2, 3))),
    Case("rmul[int]", lambda a: 2 * a, None, args(real(2, 3))),
    Case("mul[ndarray]", lambda a: a * C23, None, args(real(2, 3))),
    Case("rmul[ndarray]", lambda a: C23 * a, None, args(real(1, 3))),
    Case("ag.multiply", lambda a, b: ag.multiply(a, b), np.multiply, args(real(2, 3), real())),
    Case("div", lambda a, b: a / b, None, args(real(2, 3), nonzero(2, 3))),
    Case("div[bcast]", lambda a, b: a / b, None, args(real(2, 3), nonzero(3))),
    Case("div[scalar]", lambda a: a / 4.0, None, args(real(2, 3))),
    Case("rdiv[scalar]", lambda a: 1.0 / a, None, args(nonzero(2, 3))),
    Case("rdiv[ndarray]", lambda a: C23 / a, None, args(nonzero(2, 3))),
    Case("div[same tensor]", lambda a: a / a, None, args(nonzero(2, 3))),
    Case("ag.divide", lambda a, b: ag.divide(a, b), np.divide, args(real(2, 3), positive(2, 1))),
    Case("pow[2]", lambda a: a ** 2, None, args(real(2, 3))),
    Case("pow[3.0]", lambda a: a ** 3.0, None, args(real(2, 3))),
    Case("pow[0.5]", lambda a: a ** 0.5, None, args(positive(2, 3))),
    Case("pow[-1]", lambda a: a ** -1, lambda a: a ** -1.0, args(nonzero(2, 3))),
    Case("pow[tensor exponent]", lambda a, b: a ** b, None, args(positive(2, 3), real(2, 3))),
    Case("pow[bcast]", lambda a, b: a ** b, None, args(positive(2, 3), real(3))),
    Case("rpow[scalar]", lambda a: 2.0 ** a, None, args(real(2, 3))),
    Case("rpow[ndarray]", lambda a: np.abs(C23) ** a, None, args(real(2, 3))),
    Case("pow[ndarray]", lambda a: a ** C23, None, args(positive(2, 3))),
    Case("ag.power", lambda a, b: ag.power(a, b), np.power, args(positive(3), real(2, 3))),
    Case("neg", lambda a: -a, None, args(real(2, 3))),
    Case("ag.negative", lambda a: ag.negative(a), np.negative, args(real(2, 3))),
    # --- @: every shape case ----------------------------------------------------------------
    Case("matmul[2-d@2-d]", lambda a, b: a @ b, None, args(real(2, 3), real(3, 4))),
    Case("matmul[1-d@1-d]", lambda a, b: a @ b, None, args(real(3), real(3))),
    Case("matmul[1-d@2-d]", lambda a, b: a @ b, None, args(real(3), real(3, 4))),
    Case("matmul[2-d@1-d]", lambda a, b: a @ b, None, args(real(2, 3), real(3))),
    Case("matmul[batched]", lambda a, b: a @ b, None, args(real(2, 3, 4), real(2, 4, 5))),
    Case("matmul[batched@2-d]", lambda a, b: a @ b, None, args(real(2, 3, 4), real(4, 2))),
    Case("matmul[2-d@batched]", lambda a, b: a @ b, None, args(real(3, 4), real(2, 4, 2))),
    Case("matmul[batch bcast]", lambda a, b: a @ b, None,
         args(real(2, 1, 3, 4), real(3, 4, 2))),
    Case("matmul[1-d@batched]", lambda a, b: a @ b, None, args(real(4), real(2, 4, 3))),
    Case("matmul[batched@1-d]", lambda a, b: a @ b, None, args(real(2, 3, 4), real(4))),
    Case("matmul[2-d@transposed]", lambda a, b: a @ b.T, lambda a, b: a @ b.T,
         args(real(2, 3), real(4, 3))),
    Case("matmul[batched@transposed]", lambda a, b: a @ b.T, lambda a, b: a @ b.T,
         args(real(2, 3, 4), real(5, 4))),
    Case("linear", lambda x, w, b: ag.linear(x, w, b), lambda x, w, b: x @ w.T + b,
         args(real(3, 4), real(2, 4), real(2))),
    Case("linear[batched]", lambda x, w, b: ag.linear(x, w, b), lambda x, w, b: x @ w.T + b,
         args(real(2, 3, 4), real(5, 4), real(5))),
    Case("linear[1-d]", lambda x, w, b: ag.linear(x, w, b), lambda x, w, b: x @ w.T + b,
         args(real(4), real(3, 4), real(3))),
    Case("linear[no bias]", lambda x, w: ag.linear(x, w), lambda x, w: x @ w.T,
         args(real(3, 4), real(2, 4))),
    Case("matmul[same tensor]", lambda a: a @ a, None, args(real(3, 3))),
    Case("matmul[ndarray]", lambda a: a @ C23.T, None, args(real(2, 3))),
    Case("rmatmul[ndarray]", lambda a: C23 @ a, None, args(real(3, 2))),
    Case("ag.matmul", lambda a, b: ag.matmul(a, b), np.matmul, args(real(2, 3), real(3, 2))),
    # --- elementwise functions: method and ag.function --------------------------------------
    Case("exp", lambda a: a.exp(), np.exp, args(real(2, 3))),
    Case("ag.exp", lambda a: ag.exp(a), np.exp, args(real(2, 3))),
    Case("log", lambda a: a.log(), np.log, args(positive(2, 3))),
    Case("ag.log", lambda a: ag.log(a), np.log, args(positive(2, 3))),
    Case("sqrt", lambda a: a.sqrt(), np.sqrt, args(positive(2, 3))),
    Case("ag.sqrt", lambda a: ag.sqrt(a), np.sqrt, args(positive(2, 3))),
    Case("tanh", lambda a: a.tanh(), np.tanh, args(real(2, 3))),
    Case("ag.tanh", lambda a: ag.tanh(a), np.tanh, args(real(2, 3))),
    Case("sigmoid", lambda a: a.sigmoid(), np_sigmoid, args(real(2, 3))),
    Case("ag.sigmoid", lambda a: ag.sigmoid(a), np_sigmoid, args(real(2, 3))),
    Case("relu", lambda a: a.relu(), lambda a: np.maximum(a, 0), args(nonzero(2, 3))),
    Case("ag.relu", lambda a: ag.relu(a), lambda a: np.maximum(a, 0), args(nonzero(2, 3))),
    Case("leaky_relu", lambda a: a.leaky_relu(), lambda a: np.where(a > 0, a, 0.01 * a),
         args(nonzero(2, 3))),
    Case("ag.leaky_relu[slope=0.2]", lambda a: ag.leaky_relu(a, slope=0.2),
         lambda a: np.where(a > 0, a, 0.2 * a), args(nonzero(2, 3))),
    Case("abs", lambda a: a.abs(), np.abs, args(nonzero(2, 3))),
    Case("abs[builtin]", lambda a: abs(a), np.abs, args(nonzero(2, 3))),
    Case("ag.abs", lambda a: ag.abs(a), np.abs, args(nonzero(2, 3))),
    Case("sin", lambda a: a.sin(), np.sin, args(real(2, 3))),
    Case("ag.sin", lambda a: ag.sin(a), np.sin, args(real(2, 3))),
    Case("cos", lambda a: a.cos(), np.cos, args(real(2, 3))),
    Case("ag.cos", lambda a: ag.cos(a), np.cos, args(real(2, 3))),
    Case("clip", lambda a: a.clip(-0.5, 0.5), lambda a: np.clip(a, -0.5, 0.5),
         args(away(-0.5, 0.5, shape=(3, 4)))),
    Case("clip[lo only]", lambda a: a.clip(lo=0.25), lambda a: np.clip(a, 0.25, None),
         args(away(0.25, shape=(3, 4)))),
    Case("ag.clip[hi only]", lambda a: ag.clip(a, hi=-0.25), lambda a: np.clip(a, None, -0.25),
         args(away(-0.25, shape=(3, 4)))),
    Case("maximum", lambda a, b: a.maximum(b), np.maximum, separated((2, 3), (2, 3))),
    Case("ag.maximum[bcast]", lambda a, b: ag.maximum(a, b), np.maximum,
         separated((2, 3), (3,))),
    Case("ag.maximum[scalar]", lambda a: ag.maximum(a, 0.5), lambda a: np.maximum(a, 0.5),
         args(away(0.5, shape=(2, 3)))),
    Case("minimum", lambda a, b: a.minimum(b), np.minimum, separated((2, 3), (2, 3))),
    Case("ag.minimum[bcast]", lambda a, b: ag.minimum(a, b), np.minimum,
         separated((2, 2, 3), (2, 1, 3))),
    Case("where", lambda a, b: ag.where(COND, a, b), lambda a, b: np.where(COND, a, b),
         args(real(2, 3), real(2, 3))),
    Case("where[bcast]", lambda a, b: ag.where(COND[0], a, b),
         lambda a, b: np.where(COND[0], a, b), args(real(2, 3), real(2, 1))),
    Case("where[scalar branch]", lambda a: ag.where(Tensor(COND), 0.0, a),
         lambda a: np.where(COND, 0.0, a), args(real(2, 3))),
    Case("where[cond bcasts]", lambda a, b: ag.where(COND, a, b),
         lambda a, b: np.where(COND, a, b), args(real(3), real())),
    # --- reductions and softmaxes ---------------------------------------------------------------
    *_reductions(),
    *_softmaxes(),
    *_windows(),
    *_activations(),
    # --- shape ---------------------------------------------------------------------------------
    Case("reshape[*shape]", lambda a: a.reshape(3, 2, 4), None, args(real(2, 3, 4))),
    Case("reshape[tuple]", lambda a: a.reshape((4, 6)), None, args(real(2, 3, 4))),
    Case("reshape[-1]", lambda a: a.reshape(-1, 2), None, args(real(2, 3, 4))),
    Case("reshape[to 0-d]", lambda a: a.reshape(()), None, args(real(1, 1))),
    Case("ag.reshape", lambda a: ag.reshape(a, (6,)), lambda a: a.reshape(6), args(real(2, 3))),
    Case("transpose[]", lambda a: a.transpose(), None, args(real(2, 3, 4))),
    Case("transpose[*axes]", lambda a: a.transpose(1, 2, 0), None, args(real(2, 3, 4))),
    Case("transpose[tuple]", lambda a: a.transpose((2, 0, 1)), None, args(real(2, 3, 4))),
    Case("transpose[negative axes]", lambda a: a.transpose(-1, 0, 1),
         lambda a: a.transpose(2, 0, 1), args(real(2, 3, 4))),
    Case("ag.transpose", lambda a: ag.transpose(a), np.transpose, args(real(2, 3))),
    Case("ag.transpose[axes]", lambda a: ag.transpose(a, axes=(0, 2, 1)),
         lambda a: np.transpose(a, (0, 2, 1)), args(real(2, 3, 4))),
    Case(".T", lambda a: a.T, None, args(real(2, 3))),
    Case("squeeze", lambda a: a.squeeze(), None, args(real(1, 3, 1))),
    Case("squeeze[axis]", lambda a: a.squeeze(axis=-1), None, args(real(1, 3, 1))),
    Case("squeeze[tuple]", lambda a: a.squeeze((0, 2)), None, args(real(1, 3, 1, 2))),
    Case("ag.squeeze", lambda a: ag.squeeze(a, 0), lambda a: np.squeeze(a, 0),
         args(real(1, 3))),
    Case("expand_dims[0]", lambda a: a.expand_dims(0), lambda a: np.expand_dims(a, 0),
         args(real(2, 3))),
    Case("expand_dims[-1]", lambda a: a.expand_dims(-1), lambda a: np.expand_dims(a, -1),
         args(real(2, 3))),
    Case("ag.expand_dims[tuple]", lambda a: ag.expand_dims(a, (0, 2)),
         lambda a: np.expand_dims(a, (0, 2)), args(real(2, 3))),
    Case("flatten", lambda a: a.flatten(), None, args(real(2, 3, 4))),
    Case("ag.flatten", lambda a: ag.flatten(a), np.ravel, args(real(3, 2))),
    Case("broadcast_to", lambda a: a.broadcast_to((2, 3, 4)),
         lambda a: np.broadcast_to(a, (2, 3, 4)), args(real(3, 1))),
    Case("ag.broadcast_to", lambda a: ag.broadcast_to(a, (4, 3)),
         lambda a: np.broadcast_to(a, (4, 3)), args(real(3))),
    # --- indexing ------------------------------------------------------------------------------
    Case("getitem[int]", lambda a: a[1], None, args(real(3, 4))),
    Case("getitem[negative int]", lambda a: a[-1, -2], None, args(real(3, 4))),
    Case("getitem[slice]", lambda a: a[1:3], None, args(real(4, 3))),
    Case("getitem[step slice]", lambda a: a[::-2, 1:], None, args(real(5, 3))),
    Case("getitem[None]", lambda a: a[None, :, None], None, args(real(3, 2))),
    Case("getitem[Ellipsis]", lambda a: a[..., 1], None, args(real(2, 3, 4))),
    Case("getitem[mixed]", lambda a: a[1, ..., None, 0:2], None, args(real(2, 3, 4))),
    Case("getitem[int array, repeats]", lambda a: a[np.array([0, 2, 0, 0])], None,
         args(real(3, 2))),
    Case("getitem[list, repeats]", lambda a: a[[1, 1, 0]], None, args(real(3))),
    Case("getitem[2-d int array]", lambda a: a[np.array([[0, 1], [1, 1]])], None,
         args(real(2, 3))),
    Case("getitem[two int arrays]", lambda a: a[np.array([0, 1, 0]), np.array([2, 2, 2])], None,
         args(real(2, 3))),
    Case("getitem[slice, int array]", lambda a: a[:, [2, 0, 2]], None, args(real(2, 3))),
    Case("getitem[int Tensor]", lambda a: a[Tensor(np.array([1, 1, 0]))],
         lambda a: a[np.array([1, 1, 0])], args(real(2, 3))),
    Case("getitem[bool mask]", lambda a: a[MASK], None, args(real(2, 3))),
    Case("getitem[bool row mask]", lambda a: a[np.array([True, False, True])], None,
         args(real(3, 2))),
    Case("getitem[bool Tensor]", lambda a: a[Tensor(MASK)], lambda a: a[MASK], args(real(2, 3))),
    Case("setitem[slice]", setitem_slice, None, args(real(2, 3), real(2))),
    Case("setitem[mask]", setitem_mask, None, args(real(2, 3))),
    Case("setitem[bcast value]", setitem_broadcast, None, args(real(2, 3), real())),
    Case("iadd", iadd, None, args(real(2, 3), real(3))),
    Case("imul", imul, None, args(real(2, 3), real(2, 3))),
    # --- joining -------------------------------------------------------------------------------
    Case("concatenate", lambda a, b: ag.concatenate([a, b]), lambda a, b: np.concatenate([a, b]),
         args(real(2, 3), real(1, 3))),
    Case("concatenate[axis=1]", lambda a, b, c: ag.concatenate([a, b, c], axis=1),
         lambda a, b, c: np.concatenate([a, b, c], axis=1),
         args(real(2, 1), real(2, 3), real(2, 2))),
    Case("concatenate[axis=-1, same tensor]", lambda a: ag.concatenate((a, a), axis=-1),
         lambda a: np.concatenate((a, a), axis=-1), args(real(2, 2))),
    Case("concatenate[ndarray]", lambda a: ag.concatenate([C23, a]),
         lambda a: np.concatenate([C23, a]), args(real(1, 3))),
    Case("stack", lambda a, b: ag.stack([a, b]), lambda a, b: np.stack([a, b]),
         args(real(2, 3), real(2, 3))),
    Case("stack[axis=1]", lambda a, b, c: ag.stack([a, b, c], axis=1),
         lambda a, b, c: np.stack([a, b, c], axis=1), args(real(2, 3), real(2, 3), real(2, 3))),
    Case("stack[axis=-1]", lambda a, b: ag.stack((a, b), axis=-1),
         lambda a, b: np.stack((a, b), axis=-1), args(real(3), real(3))),
    Case("stack[0-d]", lambda a, b: ag.stack([a, b]), lambda a, b: np.stack([a, b]),
         args(real(), real())),
    # --- dtype casts (float32 rounding needs a coarse difference step) -------------------------
    Case("astype[float32 round trip]", lambda a: a.astype(np.float32).astype(np.float64),
         lambda a: a.astype(np.float32).astype(np.float64), args(real(2, 3)),
         eps=1e-2, rtol=1e-4),
    Case("ag.astype", lambda a: ag.astype(a, np.float32) * 2.0,
         lambda a: a.astype(np.float32) * 2.0, args(real(3)), eps=1e-2, rtol=1e-4),
    # --- 0-d tensors -----------------------------------------------------------------------------
    Case("0-d: exp", lambda a: a.exp(), np.exp, args(real())),
    Case("0-d: mul by 1-d", lambda a, b: a * b, None, args(real(), real(3))),
    Case("0-d: max", lambda a: a.max(), None, args(real())),
    Case("0-d: mean[keepdims]", lambda a: a.mean(keepdims=True), None, args(real())),
    Case("0-d: getitem[None]", lambda a: a[None], None, args(real())),
    Case("0-d: getitem[...]", lambda a: a[...] * 2.0, None, args(real())),
    Case("0-d: expand_dims", lambda a: a.expand_dims(0), lambda a: np.expand_dims(a, 0),
         args(real())),
    Case("0-d: transpose", lambda a: a.transpose() + a.T, None, args(real())),
    Case("0-d: broadcast_to", lambda a: a.broadcast_to((2, 3)),
         lambda a: np.broadcast_to(a, (2, 3)), args(real())),
    Case("0-d: flatten", lambda a: a.flatten(), None, args(real())),
    Case("0-d: squeeze", lambda a: a.squeeze(), None, args(real())),
    Case("0-d: where", lambda a, b: ag.where(np.bool_(False), a, b),
         lambda a, b: np.where(False, a, b), args(real(), real())),
    Case("1-d: getitem to 0-d", lambda a: a[2] * a[0], None, args(real(4))),
    # --- compositions that reuse values --------------------------------------------------------
    Case("diamond", lambda a: (a.exp() * a.sin()) / (a * a + 1.0),
         lambda a: (np.exp(a) * np.sin(a)) / (a * a + 1.0), args(real(2, 3))),
    Case("layer", lambda x, w, b: (x @ w + b).tanh().sum(axis=0),
         lambda x, w, b: np.tanh(x @ w + b).sum(axis=0), args(real(4, 3), real(3, 2), real(2))),
]

BY_NAME = {case.name: case for case in CASES}
assert len(BY_NAME) == len(CASES), "case names must be unique"
