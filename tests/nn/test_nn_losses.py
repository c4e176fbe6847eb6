"""Every loss: values against NumPy closed forms for each reduction, gradients against finite
differences (float64), stability at extreme logits, and the errors for bad targets."""

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
from autograd import Tensor

pytestmark = pytest.mark.usefixtures("float64")


rng = np.random.default_rng(0)
X = rng.standard_normal((5, 4))
T = rng.standard_normal((5, 4))
P = rng.uniform(0.05, 0.95, (5, 4))
B = (rng.uniform(size=(5, 4)) > 0.5).astype(float)
S = np.where(rng.uniform(size=(5, 4)) > 0.5, 1.0, -1.0)
LABELS = np.array([0, 3, 1, 3, 2])


def log_softmax(x):
    m = x.max(1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(1, keepdims=True))


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


# name, module, function, input, target, per-element reference
ELEMENTWISE = [
    ("mse", nn.MSELoss, F.mse_loss, X, T, lambda x, t: (x - t) ** 2),
    ("l1", nn.L1Loss, F.l1_loss, X, T, lambda x, t: np.abs(x - t)),
    ("bce", nn.BCELoss, F.binary_cross_entropy, P, B,
     lambda p, t: -(t * np.log(p) + (1 - t) * np.log(1 - p))),
    ("bce_logits", nn.BCEWithLogitsLoss, F.binary_cross_entropy_with_logits, X, B,
     lambda x, t: -(t * np.log(sigmoid(x)) + (1 - t) * np.log(1 - sigmoid(x)))),
    ("hinge", nn.HingeLoss, F.hinge_loss, X, S, lambda y, t: np.maximum(0, 1 - t * y)),
]


@pytest.mark.parametrize("name, module, fn, x, t, reference", ELEMENTWISE,
                         ids=[c[0] for c in ELEMENTWISE])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_elementwise_losses(name, module, fn, x, t, reference, reduction):
    per = reference(x, t)
    expected = {"mean": per.mean(), "sum": per.sum(), "none": per}[reduction]
    got = module(reduction=reduction)(Tensor(x), Tensor(t))
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-10)
    np.testing.assert_allclose(fn(Tensor(x), t, reduction=reduction).numpy(), expected, rtol=1e-10)
    assert ag.gradcheck(lambda a: fn(a, Tensor(t), reduction=reduction),
                        [Tensor(x, requires_grad=True)])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_and_nll(reduction):
    per = -log_softmax(X)[np.arange(5), LABELS]
    expected = {"mean": per.mean(), "sum": per.sum(), "none": per}[reduction]
    got = nn.CrossEntropyLoss(reduction=reduction)(Tensor(X), Tensor(LABELS))
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-10)
    nll = nn.NLLLoss(reduction=reduction)(Tensor(log_softmax(X)), LABELS)
    np.testing.assert_allclose(nll.numpy(), expected, rtol=1e-10)
    for fn in (F.cross_entropy, F.nll_loss):
        assert ag.gradcheck(lambda a, fn=fn: fn(a, LABELS, reduction=reduction),
                            [Tensor(X, requires_grad=True)])


def test_cross_entropy_gradient_is_softmax_minus_onehot():
    x = Tensor(X, requires_grad=True)
    F.cross_entropy(x, LABELS).backward()
    softmax = np.exp(log_softmax(X))
    np.testing.assert_allclose(x.grad.numpy(), (softmax - np.eye(4)[LABELS]) / 5, rtol=1e-10)


def test_cross_entropy_ignore_index_and_weight():
    labels = np.array([0, -100, 1, 3, -100])
    per = -log_softmax(X)[np.arange(5), np.where(labels < 0, 0, labels)]
    kept = labels >= 0
    got = F.cross_entropy(Tensor(X), labels)
    np.testing.assert_allclose(got.numpy(), per[kept].mean(), rtol=1e-10)
    none = F.cross_entropy(Tensor(X), labels, reduction="none").numpy()
    np.testing.assert_allclose(none, np.where(kept, per, 0), rtol=1e-10)
    custom = F.cross_entropy(Tensor(X), np.array([1, 2, 0, 0, 2]), ignore_index=2)
    assert custom.item() == pytest.approx(-log_softmax(X)[[0, 2, 3], [1, 0, 0]].mean())
    w = np.array([1.0, 2.0, 0.5, 3.0])
    weighted = F.cross_entropy(Tensor(X), LABELS, weight=w)
    per_all = -log_softmax(X)[np.arange(5), LABELS]
    np.testing.assert_allclose(weighted.numpy(), (w[LABELS] * per_all).sum() / w[LABELS].sum())
    assert np.isnan(F.cross_entropy(Tensor(X), np.full(5, -100)).item())  # all ignored: NaN


def test_cross_entropy_is_stable_for_huge_logits():
    x = Tensor(np.array([[1000.0, -1000.0], [-1000.0, 1000.0]]), requires_grad=True)
    loss = F.cross_entropy(x, np.array([0, 0]))
    assert loss.item() == pytest.approx(1000.0)  # (0 + 2000) / 2
    loss.backward()
    assert np.isfinite(x.grad.numpy()).all()


def test_class_target_errors():
    x = Tensor(X)
    with pytest.raises(TypeError, match="integers"):
        F.cross_entropy(x, LABELS.astype(float))
    with pytest.raises(TypeError, match="integers"):
        nn.NLLLoss()(x, Tensor([0.0, 1, 2, 3, 0]))
    with pytest.raises(IndexError, match=r"target 4 .*0 <= target < 4"):
        F.cross_entropy(x, np.array([0, 1, 2, 3, 4]))
    with pytest.raises(IndexError, match="target -1"):
        F.cross_entropy(x, np.array([0, -1, 2, 3, 0]))
    with pytest.raises(ValueError):  # also a ValueError
        F.nll_loss(x, np.array([0, 1, 2, 3, 9]))
    with pytest.raises(ag.ShapeError, match=r"\(5, 4\).*\(3,\)"):
        F.cross_entropy(x, np.array([0, 1, 2]))
    with pytest.raises(ag.ShapeError, match=r"\(N, C\)"):
        F.cross_entropy(Tensor(X[0]), np.array([1]))
    with pytest.raises(ValueError, match="reduction"):
        nn.CrossEntropyLoss(reduction="avg")


@pytest.mark.parametrize("fn", [F.mse_loss, F.l1_loss, F.binary_cross_entropy,
                                F.binary_cross_entropy_with_logits, F.hinge_loss])
def test_elementwise_losses_refuse_to_broadcast(fn):
    x = Tensor(np.full((4, 1), 0.5))
    with pytest.raises(ag.ShapeError, match=r"target shape \(4,\) does not match input shape "
                                            r"\(4, 1\)"):
        fn(x, np.ones(4))


def test_bce_checks_range_and_clamps_log():
    with pytest.raises(ValueError, match=r"\[0, 1\].*1\.5"):
        F.binary_cross_entropy(Tensor([0.5, 1.5]), Tensor([1.0, 0.0]))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        nn.BCELoss()(Tensor([-0.1]), Tensor([0.0]))
    p = Tensor(np.array([0.0, 1.0, 0.0, 1.0]), requires_grad=True)
    loss = F.binary_cross_entropy(p, np.array([1.0, 0.0, 0.0, 1.0]), reduction="none")
    np.testing.assert_allclose(loss.numpy(), [100, 100, 0, 0])  # log clamped at -100, as torch
    loss.sum().backward()
    assert np.isfinite(p.grad.numpy()).all()


def test_bce_with_logits_is_finite_at_extremes_and_exact_at_zero():
    x = Tensor(np.array([1000.0, -1000.0, 1000.0, -1000.0, 0.0]), requires_grad=True)
    t = np.array([1.0, 0.0, 0.0, 1.0, 1.0])
    loss = F.binary_cross_entropy_with_logits(x, t, reduction="none")
    np.testing.assert_allclose(loss.numpy(), [0, 0, 1000, 1000, np.log(2)])
    loss.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [0, 0, 1, -1, -0.5])  # σ(x) - t, also at x = 0
    x32 = Tensor(np.array([1000.0, -1000.0], dtype=np.float32))
    out = F.binary_cross_entropy_with_logits(x32, np.array([0.0, 1.0]))
    assert out.dtype == np.float32 and out.item() == pytest.approx(1000.0)


def test_bce_weights():
    w = np.array([1.0, 2.0, 0.0, 1.0])
    got = F.binary_cross_entropy(Tensor(P), B, weight=w, reduction="sum")
    per = -(B * np.log(P) + (1 - B) * np.log(1 - P))
    np.testing.assert_allclose(got.numpy(), (per * w).sum())
    pw = np.array([3.0, 1.0, 1.0, 0.5])
    got = F.binary_cross_entropy_with_logits(Tensor(X), B, pos_weight=pw, reduction="none")
    expected = -(pw * B * np.log(sigmoid(X)) + (1 - B) * np.log(1 - sigmoid(X)))
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-10)


def test_hinge_targets_must_be_plus_minus_one():
    with pytest.raises(ValueError, match="-1 or \\+1.*0"):
        F.hinge_loss(Tensor([0.5, 0.2]), np.array([1.0, 0.0]))
    assert repr(nn.HingeLoss(margin=2.0)) == "HingeLoss(margin=2.0)"
    got = nn.HingeLoss(margin=2.0, reduction="none")(Tensor([0.5, 3.0]), np.array([1, -1]))
    np.testing.assert_allclose(got.numpy(), [1.5, 5.0])


def test_targets_keep_the_input_dtype():
    x = Tensor(np.ones(3, dtype=np.float32))
    assert F.mse_loss(x, np.zeros(3)).dtype == np.float32  # float64 targets do not promote
    assert F.mse_loss(x, [0, 1, 2]).dtype == np.float32
    assert F.cross_entropy(Tensor(np.zeros((2, 3), np.float32)), np.array([0, 1])).dtype == \
        np.float32
