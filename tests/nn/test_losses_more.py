"""SmoothL1, Huber, KL divergence, multi-margin and cross-entropy's label smoothing,
probability targets and (N, C, d1, ...) inputs, against PyTorch in all three reductions
(values and input gradients), with closed forms, gradchecks and the modules' options."""

import math

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
from autograd import Tensor

torch = pytest.importorskip("torch")
TF = torch.nn.functional

pytestmark = pytest.mark.usefixtures("float64")


def rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def probs(*shape, seed=0, axis=1):
    e = np.exp(rand(*shape, seed=seed))
    return e / e.sum(axis=axis, keepdims=True)


LABELS = np.array([0, 3, 1, 3, 2])
W4 = np.array([1.0, 2.0, 0.5, 3.0])
LOG_P = np.log(probs(5, 4, seed=5))
SPARSE = probs(5, 4, seed=6) * (rand(5, 4, seed=7) > -0.5)  # some exact zeros

CASES = [  # (name, input, target, kwargs); target ndarray: floats are values, ints labels
    ("smooth_l1_loss", rand(5, 4) * 2, rand(5, 4, seed=1), {}),
    ("smooth_l1_loss", rand(5, 4) * 2, rand(5, 4, seed=1), {"beta": 0.3}),
    ("smooth_l1_loss", rand(5, 4), rand(5, 4, seed=1), {"beta": 0.0}),
    ("huber_loss", rand(5, 4) * 2, rand(5, 4, seed=1), {}),
    ("huber_loss", rand(5, 4) * 2, rand(5, 4, seed=1), {"delta": 0.4}),
    ("kl_div", LOG_P, SPARSE, {}),
    ("kl_div", LOG_P, np.log(probs(5, 4, seed=8)), {"log_target": True}),
    ("multi_margin_loss", rand(5, 4), LABELS, {}),
    ("multi_margin_loss", rand(5, 4), LABELS, {"p": 2, "margin": 0.5}),
    ("multi_margin_loss", rand(5, 4), LABELS, {"weight": W4}),
    ("multi_margin_loss", rand(4), np.array(2), {}),
    ("cross_entropy", rand(5, 4), LABELS, {"label_smoothing": 0.1}),
    ("cross_entropy", rand(5, 4), np.array([0, -100, 1, 3, -100]), {"label_smoothing": 0.2}),
    ("cross_entropy", rand(5, 4), np.array([0, 1, 1, 3, 0]),
     {"label_smoothing": 0.3, "weight": W4, "ignore_index": 1}),
    ("cross_entropy", rand(5, 4), probs(5, 4, seed=2), {}),
    ("cross_entropy", rand(5, 4), probs(5, 4, seed=2), {"weight": W4, "label_smoothing": 0.2}),
    ("cross_entropy", rand(2, 4, 3, 2), rand(2, 3, 2, seed=3).argsort(0)[:2] % 4, {}),
    ("cross_entropy", rand(2, 4, 3), np.array([[0, 3, 1], [2, 2, -100]]),
     {"weight": W4, "label_smoothing": 0.1}),
    ("cross_entropy", rand(2, 4, 3), probs(2, 4, 3, seed=4), {}),
    ("cross_entropy", rand(4), np.array(3), {}),
    ("nll_loss", LOG_P.reshape(5, 4, 1), LABELS.reshape(5, 1), {"weight": W4}),
]


def wrap(value, lib):
    if value is None or not isinstance(value, np.ndarray):
        return value
    return Tensor(value) if lib == "ours" else torch.tensor(value)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("index", range(len(CASES)),
                         ids=[f"{c[0]}{c[3]}" for c in CASES])
def test_losses_match_pytorch(index, reduction):
    name, x, target, kwargs = CASES[index]
    if name == "kl_div" and reduction == "mean":
        reduction = "batchmean"  # "mean" warns in both (checked below)
    ours_x, theirs_x = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ours = getattr(F, name)(ours_x, wrap(target, "ours"), reduction=reduction,
                            **{k: wrap(v, "ours") for k, v in kwargs.items()})
    theirs = getattr(TF, name)(theirs_x, wrap(target, "torch"), reduction=reduction,
                               **{k: wrap(v, "torch") for k, v in kwargs.items()})
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-10, atol=1e-12)
    u = np.cos(np.arange(max(ours.numel(), 1))).reshape(ours.shape)
    (ours * Tensor(u)).sum().backward()
    (theirs * torch.tensor(u)).sum().backward()
    np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=1e-9,
                               atol=1e-12)


def test_modules_match_pytorch_and_keep_their_options():
    x, t = rand(5, 4) * 2, rand(5, 4, seed=1)
    pairs = [
        (nn.SmoothL1Loss(beta=0.5), torch.nn.SmoothL1Loss(beta=0.5), t),
        (nn.HuberLoss(reduction="sum", delta=0.3), torch.nn.HuberLoss(reduction="sum",
                                                                      delta=0.3), t),
        (nn.KLDivLoss(reduction="batchmean", log_target=True),
         torch.nn.KLDivLoss(reduction="batchmean", log_target=True), np.log(probs(5, 4))),
        (nn.MultiMarginLoss(p=2, margin=0.7, weight=Tensor(W4)),
         torch.nn.MultiMarginLoss(p=2, margin=0.7, weight=torch.tensor(W4)), LABELS),
        (nn.CrossEntropyLoss(label_smoothing=0.25), torch.nn.CrossEntropyLoss(
            label_smoothing=0.25), LABELS),
        (nn.CrossEntropyLoss(weight=Tensor(W4), reduction="none"),
         torch.nn.CrossEntropyLoss(weight=torch.tensor(W4), reduction="none"), probs(5, 4)),
    ]
    for ours, theirs, target in pairs:
        np.testing.assert_allclose(ours(Tensor(x), wrap(target, "ours")).numpy(),
                                   theirs(torch.tensor(x), wrap(target, "torch")).numpy(),
                                   rtol=1e-10)
        assert list(ours.state_dict()) == list(theirs.state_dict())
    assert nn.KLDivLoss(reduction="batchmean").reduction == "batchmean"


def test_kl_div_mean_warns_like_pytorch():
    x, t = LOG_P, SPARSE
    with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
        ours = F.kl_div(Tensor(x), Tensor(t))
    with pytest.warns(UserWarning):
        theirs = TF.kl_div(torch.tensor(x), torch.tensor(t))
    assert ours.item() == pytest.approx(theirs.item(), rel=1e-12)


def test_closed_forms():
    d = np.array([-2.0, -0.5, 0.0, 0.25, 3.0])
    zero = np.zeros(5)
    smooth = F.smooth_l1_loss(Tensor(d), Tensor(zero), reduction="none", beta=1.0).numpy()
    np.testing.assert_allclose(smooth, [1.5, 0.125, 0.0, 0.03125, 2.5])
    huber = F.huber_loss(Tensor(d), Tensor(zero), reduction="none", delta=2.0).numpy()
    np.testing.assert_allclose(huber, [2.0, 0.125, 0.0, 0.03125, 4.0])
    # KL(p ‖ p) = 0 and KL of one-hot t from uniform x = log C
    p = probs(3, 4)
    assert F.kl_div(Tensor(np.log(p)), Tensor(p), reduction="sum").item() == pytest.approx(0)
    one_hot = np.eye(4)[[0, 2]]
    kl = F.kl_div(Tensor(np.full((2, 4), -math.log(4))), Tensor(one_hot), reduction="batchmean")
    assert kl.item() == pytest.approx(math.log(4))
    # SVM: scores (3, 1, 0), y = 0, margin 1: only class 1 violates, by 1 - 3 + 1 = -1 -> 0
    svm = F.multi_margin_loss(Tensor(np.array([[3.0, 2.5, 0.0]])), np.array([0]))
    assert svm.item() == pytest.approx(0.5 / 3)  # max(0, 1 - 3 + 2.5) / C
    # label smoothing 1: the loss is the mean of -log softmax over the classes
    x = rand(2, 3)
    ls = F.cross_entropy(Tensor(x), np.array([0, 1]), label_smoothing=1.0).item()
    logp = x - np.log(np.exp(x).sum(1, keepdims=True))
    assert ls == pytest.approx(-logp.mean())


@pytest.mark.parametrize("fn", [
    lambda x, t: F.smooth_l1_loss(x, t, beta=0.7), lambda x, t: F.huber_loss(x, t, delta=0.6),
    lambda x, t: F.kl_div(x, t.exp(), reduction="batchmean"),
    lambda x, t: F.kl_div(x, t, reduction="sum", log_target=True),
    lambda x, t: F.cross_entropy(x, t.softmax(axis=1), label_smoothing=0.1),
    lambda x, t: F.multi_margin_loss(x, np.array([1, 0, 2]), p=2),
    lambda x, t: F.cross_entropy(x, np.array([1, 0, 2]), label_smoothing=0.3),
])
def test_gradcheck(fn):
    x = Tensor(rand(3, 4, seed=11), requires_grad=True)
    t = Tensor(rand(3, 4, seed=12), requires_grad=True)
    assert ag.gradcheck(fn, [x, t])


def test_errors_and_legacy_flags():
    with pytest.raises(ValueError, match="label_smoothing must be between 0.0 and 1.0"):
        nn.CrossEntropyLoss(label_smoothing=1.5)
    with pytest.raises(ValueError, match="only p == 1 and p == 2"):
        F.multi_margin_loss(Tensor(rand(2, 3)), np.array([0, 1]), p=3)
    with pytest.raises(ValueError, match="beta must be >= 0"):
        F.smooth_l1_loss(Tensor(rand(2)), Tensor(rand(2)), beta=-1.0)
    with pytest.raises(ag.ShapeError, match=r"needs a target of shape \(2, 3\)"):
        F.cross_entropy(Tensor(rand(2, 4, 3)), np.array([0, 1]))
    with pytest.raises(IndexError, match="target 3"):
        F.multi_margin_loss(Tensor(rand(2, 3)), np.array([0, 3]))
    with pytest.warns(UserWarning, match="reduction='sum' instead"):
        loss = nn.CrossEntropyLoss(size_average=False)
    assert loss.reduction == "sum"
