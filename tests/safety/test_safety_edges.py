"""Gradients at 0, inf and NaN edges match PyTorch's (no NaN where PyTorch gives a finite
value, no silent 0 where it gives NaN), and nothing inside the engine warns."""

import warnings

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor

torch = pytest.importorskip("torch")
NAN, INF = float("nan"), float("inf")

def _std(x, axis):
    """The population std along `axis` (the two engines spell ddof differently)."""
    return x.std(axis, ddof=0) if isinstance(x, Tensor) else x.std(axis, correction=0)


# (name, function of tensors written alike for both engines, inputs)
CASES = [
    ("std of a constant", lambda x: x.std(), [[1.0, 1.0, 1.0, 1.0]]),
    ("std of a constant row", lambda x: _std(x, 1), [[[2.0, 2.0, 2.0], [1.0, 2.0, 4.0]]]),
    ("var of a constant", lambda x: x.var(), [[3.0, 3.0]]),
    ("x ** 0 at 0", lambda x: x ** 0.0, [[0.0, 1.0, -2.0]]),
    ("0 ** b", lambda a, b: a ** b, [[0.0, 0.0, 0.0, 0.0], [-1.0, 0.0, 1.0, 2.0]]),
    ("0 ** negative", lambda a, b: a ** b, [[0.0, 0.0], [-1.0, -0.5]]),
    ("negative base", lambda a, b: a ** b, [[-2.0, -2.0, -2.0], [1.0, 2.0, 0.5]]),
    ("max over a NaN", lambda x: x.max(), [[1.0, NAN, 3.0]]),
    ("max over two NaNs", lambda x: x.max(), [[1.0, NAN, NAN]]),
    ("min over a NaN", lambda x: x.min(), [[1.0, NAN, 3.0]]),
    ("relu of NaN", lambda x: x.relu(), [[NAN, 0.0, 1.0, -1.0]]),
    ("abs of NaN", lambda x: abs(x), [[NAN, 0.0, -1.0]]),
    ("maximum with NaN", lambda a, b: a.maximum(b),
     [[NAN, 1.0, 2.0, NAN, 3.0], [1.0, NAN, 2.0, NAN, 0.0]]),
    ("minimum with NaN", lambda a, b: a.minimum(b),
     [[NAN, 1.0, 2.0, NAN, 3.0], [1.0, NAN, 2.0, NAN, 0.0]]),
    ("log of 0", lambda x: x.log(), [[0.0, 1.0]]),
    ("sqrt of 0", lambda x: x.sqrt(), [[0.0, 4.0]]),
    ("exp overflow", lambda x: x.exp(), [[1000.0, 0.0]]),
    ("divide by 0", lambda a, b: a / b, [[1.0, 0.0, -1.0], [0.0, 0.0, 0.0]]),
    ("logsumexp of -inf", lambda x: x.logsumexp(0), [[-INF, -INF]]),
]


def _grads(module, fn, inputs):
    if module is torch:
        xs = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in inputs]
        out = fn(*xs)
        out.sum().backward()
        return out.detach().numpy(), [x.grad.numpy() for x in xs]
    xs = [Tensor(np.array(v, dtype=np.float64), requires_grad=True) for v in inputs]
    out = fn(*xs)
    out.sum().backward()
    return out.numpy(), [x.grad.numpy() for x in xs]


@pytest.mark.parametrize("name,fn,inputs", CASES, ids=[c[0] for c in CASES])
def test_edge_values_match_torch_without_warnings(name, fn, inputs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, grads = _grads(ag, fn, inputs)
    want_value, want_grads = _grads(torch, fn, inputs)
    np.testing.assert_allclose(value, want_value, rtol=1e-14)
    for got, want in zip(grads, want_grads):
        # NaN and ±inf where torch has them, and nowhere else
        np.testing.assert_allclose(got, want, rtol=1e-14, atol=1e-15)


def test_a_constant_feature_does_not_poison_a_model():
    """Standardising a batch with a constant column: the other columns' gradients stay finite."""
    x = Tensor(np.array([[1.0, 5.0], [2.0, 5.0], [4.0, 5.0]]), requires_grad=True)
    z = (x - x.mean(0, keepdims=True)) / (x.std(0, keepdims=True) + 1e-5)
    (z * Tensor(np.arange(6.0).reshape(3, 2))).sum().backward()
    assert np.isfinite(x.grad.numpy()).all()


def test_edges_in_forward_mode_and_second_order_stay_quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, t = ag.jvp(lambda x: (x ** 0.0 + x.std() + x.log()).sum(), Tensor(np.zeros(3)),
                      np.ones(3))
        x = Tensor(np.array([0.0, 1.0]), requires_grad=True)
        (g,) = ag.grad((x ** 2.0).sum(), x, create_graph=True)
        g.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 2.0])
    assert np.isposinf(t.numpy())   # log'(0)·1 = inf; the other two terms give 0, not NaN


def test_anomaly_mode_still_reports_the_nan():
    x = Tensor(np.array([-1.0]), requires_grad=True)
    with ag.detect_anomaly(), pytest.raises(FloatingPointError, match="Sqrt produced NaN"):
        x.sqrt()


UPSTREAM = [  # (name, function, input): the cotangent arriving is NaN everywhere
    ("relu", lambda x: x.relu(), [1.0, 0.0, -2.0]),
    ("clip", lambda x: x.clip(-1.0, 0.5), [1.0, 0.0, -2.0]),
    ("maximum", lambda x: x.maximum(x * 0.0), [1.0, 0.0, -2.0]),
    ("max()", lambda x: x.max(), [1.0, 3.0, 2.0]),
    ("abs", lambda x: abs(x), [1.0, 0.0, -2.0]),
    ("x ** 0", lambda x: x ** 0.0, [1.0, 0.0, -2.0]),
    ("0 / x", lambda x: 0.0 / x, [1.0, 1e-200, -2.0]),
]


@pytest.mark.parametrize("name,fn,values", UPSTREAM, ids=[c[0] for c in UPSTREAM])
def test_masks_and_products_meet_a_nan_cotangent_as_torch_does(name, fn, values):
    """PyTorch masks some rules (relu, clip, maximum, max(), x ** 0: a masked entry is 0 even
    for a NaN cotangent) and multiplies in others (abs: NaN·0 = NaN)."""
    x = Tensor(np.array(values), requires_grad=True)
    out = fn(x)
    out.backward(Tensor(np.full(out.shape, np.nan)))
    tx = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    tout = fn(tx)
    tout.backward(torch.full(tout.shape, np.nan, dtype=torch.float64))
    np.testing.assert_array_equal(x.grad.numpy(), tx.grad.numpy())


def test_quiet_without_numpys_error_state_variable(monkeypatch):
    """Where NumPy keeps no ContextVar for its error state, np.errstate does the same job."""
    import autograd.op as op
    import autograd.reverse as reverse

    fallback = op._Errstate()
    for module in (op, reverse):
        monkeypatch.setattr(module, "quiet", fallback)
        monkeypatch.setattr(module, "IGNORE", None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x = Tensor(np.array([0.0, 1.0]), requires_grad=True)
        x.log().sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [np.inf, 1.0])
