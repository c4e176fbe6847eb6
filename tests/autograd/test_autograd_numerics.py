"""Numerical stability at extreme inputs, and SPEC's tie rule for max/min/maximum/minimum.

pytest runs with filterwarnings=error, so any overflow or invalid-value warning NumPy would
raise inside these ops fails the test by itself.
"""

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor

BIG = np.array([1000.0, -1000.0, 0.0, 999.0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_at_plus_minus_1000(dtype):
    x = Tensor(BIG.astype(dtype), requires_grad=True)
    y = x.sigmoid()
    assert y.dtype == dtype
    np.testing.assert_allclose(y.numpy(), [1.0, 0.0, 0.5, 1.0])
    y.sum().backward()
    assert np.isfinite(x.grad.numpy()).all()
    np.testing.assert_allclose(x.grad.numpy(), [0.0, 0.0, 0.25, 0.0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_and_log_softmax_at_plus_minus_1000(dtype):
    x = Tensor(BIG.astype(dtype), requires_grad=True)
    p = x.softmax()
    lp = x.log_softmax()
    assert p.dtype == lp.dtype == dtype
    lse = 1000 + np.log1p(np.exp(-1.0))  # logsumexp of [1000, 999] (the rest is negligible)
    np.testing.assert_allclose(p.numpy(), np.exp(BIG - lse), rtol=1e-5, atol=1e-30)
    np.testing.assert_allclose(lp.numpy(), BIG - lse, rtol=1e-6)
    assert np.isfinite(lp.numpy()).all()
    assert float(p.numpy().sum()) == pytest.approx(1.0, rel=4 * float(np.finfo(dtype).eps))
    (lp * Tensor(np.array([1.0, 0.0, 0.0, 0.0], dtype=dtype))).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [1.0, 0.0, 0.0, 0.0] - np.exp(BIG - lse),
                               rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_logsumexp_of_huge_and_tiny_values(dtype):
    big = Tensor(np.array([1000.0, 1000.0], dtype=dtype), requires_grad=True)
    y = big.logsumexp()
    assert y.item() == pytest.approx(1000 + np.log(2), rel=1e-6)
    y.backward()
    # The rule is exp(a - out): out = 1000.69 carries float32's rounding at 1000 (~3e-5).
    np.testing.assert_allclose(big.grad.numpy(), [0.5, 0.5], rtol=1e-6 if dtype == np.float64
                               else 1e-4)
    small = Tensor(np.array([-1000.0, -1000.0], dtype=dtype))
    assert small.logsumexp().item() == pytest.approx(-1000 + np.log(2), rel=1e-6)


def test_logsumexp_of_all_minus_infinity_is_minus_infinity():
    x = Tensor(np.full(3, -np.inf))
    assert x.logsumexp().item() == -np.inf
    rows = Tensor(np.array([[-np.inf, -np.inf], [0.0, np.log(3.0)]]))
    got = rows.logsumexp(axis=1)
    assert got.numpy()[0] == -np.inf
    assert got.numpy()[1] == pytest.approx(np.log(4.0))
    np.testing.assert_allclose(ag.logsumexp(rows, axis=1, keepdims=True).numpy()[1], [np.log(4.0)])


def test_logsumexp_with_some_minus_infinity_entries():
    x = Tensor(np.array([-np.inf, 0.0, 0.0]), requires_grad=True)
    y = x.logsumexp()
    assert y.item() == pytest.approx(np.log(2.0))
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), [0.0, 0.5, 0.5])


def test_cross_entropy_style_expression_stays_finite():
    logits = Tensor(np.array([[1000.0, -1000.0], [-1000.0, 1000.0]]), requires_grad=True)
    loss = -(logits.log_softmax(axis=1)[np.arange(2), np.array([1, 1])]).mean()
    assert loss.item() == pytest.approx(1000.0)  # the first row is off by 2000, the second 0
    loss.backward()
    np.testing.assert_allclose(logits.grad.numpy(), [[0.5, -0.5], [0.0, 0.0]], atol=1e-12)


# --- ties ------------------------------------------------------------------------------------
def test_maximum_of_a_tensor_with_itself_has_gradient_one():
    x = Tensor(np.array([1.0, -2.0, 3.0]), requires_grad=True)
    ag.maximum(x, x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 1.0, 1.0])
    x.grad = None
    ag.minimum(x, x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 1.0, 1.0])


@pytest.mark.parametrize("fn", [ag.maximum, ag.minimum])
def test_ties_in_maximum_and_minimum_split_the_gradient(fn):
    a = Tensor(np.array([1.0, 2.0, 5.0]), requires_grad=True)
    b = Tensor(np.array([1.0, 3.0, 4.0]), requires_grad=True)
    fn(a, b).sum().backward()
    big = 1.0 if fn is ag.maximum else 0.0
    np.testing.assert_array_equal(a.grad.numpy(), [0.5, 1 - big, big])
    np.testing.assert_array_equal(b.grad.numpy(), [0.5, big, 1 - big])


def test_tie_with_a_broadcast_scalar_in_maximum():
    x = Tensor(np.array([0.0, 1.0, -1.0]), requires_grad=True)
    x.maximum(0.0).sum().backward()  # relu by maximum: the tie at 0 gets half
    np.testing.assert_array_equal(x.grad.numpy(), [0.5, 1.0, 0.0])


@pytest.mark.parametrize("reduce", ["max", "min"])
def test_ties_in_max_and_min_split_the_gradient_equally(reduce):
    sign = 1.0 if reduce == "max" else -1.0
    x = Tensor(sign * np.array([1.0, 3.0, 3.0, 3.0, 2.0]), requires_grad=True)
    getattr(x, reduce)().backward()
    np.testing.assert_allclose(x.grad.numpy(), [0.0, 1 / 3, 1 / 3, 1 / 3, 0.0])


def test_ties_in_max_along_an_axis_split_per_row():
    x = Tensor(np.array([[1.0, 4.0, 4.0], [7.0, 7.0, 7.0], [0.0, 5.0, -1.0]]),
               requires_grad=True)
    y = x.max(axis=1)
    np.testing.assert_array_equal(y.numpy(), [4.0, 7.0, 5.0])
    y.backward(Tensor(np.array([2.0, 3.0, 1.0])))
    np.testing.assert_allclose(x.grad.numpy(), [[0, 1, 1], [1, 1, 1], [0, 1, 0]], rtol=1e-15)
    z = Tensor(np.array([[4.0, 1.0], [4.0, 2.0], [0.0, 2.0]]), requires_grad=True)
    z.max(axis=0, keepdims=True).sum().backward()
    np.testing.assert_allclose(z.grad.numpy(), [[0.5, 0.0], [0.5, 0.5], [0.0, 0.5]])


def test_forward_mode_of_a_tied_max_averages_the_tangents():
    x = Tensor(np.array([2.0, 2.0, 1.0]))
    _, t = ag.jvp(lambda x: x.max(), x, Tensor(np.array([1.0, 3.0, 100.0])))
    assert t.item() == pytest.approx(2.0)
    _, t = ag.jvp(lambda x: ag.maximum(x, Tensor(np.array([2.0, 0.0, 1.0]))), x,
                  Tensor(np.array([4.0, 1.0, 2.0])))
    np.testing.assert_allclose(t.numpy(), [2.0, 1.0, 1.0])


def test_relu_abs_and_clip_at_their_kinks():
    x = Tensor(np.array([0.0, 0.0, 0.0]), requires_grad=True)
    (x.relu() + x.abs()).sum().backward()
    assert np.isfinite(x.grad.numpy()).all()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.0, 0.0])  # relu'(0) = 0, sign(0) = 0
    y = Tensor(np.array([-1.0, 1.0, 0.5]), requires_grad=True)
    y.clip(-1.0, 1.0).sum().backward()  # boundaries count as inside, like PyTorch
    np.testing.assert_array_equal(y.grad.numpy(), [1.0, 1.0, 1.0])


def test_softmax_with_minus_infinity_masked_entries():
    """Attention-style masking: -inf logits get probability 0 and gradient 0."""
    x = Tensor(np.array([[-np.inf, 0.0, np.log(3.0)], [1.0, -np.inf, 1.0]]), requires_grad=True)
    p = x.softmax(axis=1)
    np.testing.assert_allclose(p.numpy(), [[0.0, 0.25, 0.75], [0.5, 0.0, 0.5]], rtol=1e-12)
    lp = x.log_softmax(axis=1)
    assert lp.numpy()[0, 0] == -np.inf and lp.numpy()[1, 1] == -np.inf
    (p * Tensor(np.array([[1.0, 2.0, 3.0], [1.0, 5.0, 0.0]]))).sum().backward()
    assert np.isfinite(x.grad.numpy()).all()
    # d(Σ w p)/dx = p (w - Σ w p)
    want = [[0.0, 0.25 * (2 - 2.75), 0.75 * (3 - 2.75)], [0.5 * (1 - 0.5), 0.0, 0.5 * (0 - 0.5)]]
    np.testing.assert_allclose(x.grad.numpy(), want, rtol=1e-12, atol=1e-15)
