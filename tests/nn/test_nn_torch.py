"""Side by side with PyTorch (skipped when it is not installed): with the same weights, every
layer and loss gives PyTorch's values and gradients; state_dict keys and reprs match."""

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd import Tensor

torch = pytest.importorskip("torch")
tnn = torch.nn

from torch_reference import compare, copy_weights, rand  # noqa: E402  (needs torch)

pytestmark = pytest.mark.usefixtures("float64")


@pytest.mark.parametrize("make, x", [
    (lambda lib: lib.Linear(5, 3), rand(4, 5)),
    (lambda lib: lib.Sequential(lib.Linear(3, 8), lib.Tanh(), lib.Linear(8, 2)), rand(6, 3)),
    (lambda lib: lib.Conv2d(2, 3, 3, stride=2, padding=1), rand(2, 2, 7, 6)),
    (lambda lib: lib.Conv2d(2, 3, (2, 3), stride=(1, 2), padding=(1, 0), bias=False),
     rand(2, 2, 5, 6)),
    (lambda lib: lib.MaxPool2d(3, stride=2, padding=1), rand(2, 3, 7, 6)),
    (lambda lib: lib.MaxPool2d(2), rand(2, 3, 6, 6)),
    (lambda lib: lib.BatchNorm1d(4), rand(6, 4) * 3 + 1),
    (lambda lib: lib.BatchNorm1d(3, momentum=None), rand(4, 3, 5)),
    (lambda lib: lib.BatchNorm1d(3, bias=False).eval(), rand(4, 3)),
    (lambda lib: lib.LayerNorm((3, 4)), rand(2, 3, 4)),
    (lambda lib: lib.Embedding(7, 3), np.array([[1, 6, 1], [0, 2, 6]])),
    (lambda lib: lib.Sequential(lib.Flatten(), lib.LeakyReLU(0.2), lib.LogSoftmax(dim=1)),
     rand(3, 2, 2)),
    (lambda lib: lib.Softmax(dim=0), rand(3, 4)),
])
def test_layers_match_pytorch(make, x):
    compare(make(nn), make(tnn), x)


def test_batchnorm_eval_matches_pytorch_after_training_steps():
    ours, theirs = nn.BatchNorm1d(3), None
    theirs = copy_weights(ours, tnn.BatchNorm1d(3))
    for seed in range(3):
        x = rand(5, 3, seed=seed) * 2 + 1
        ours(Tensor(x))
        theirs(torch.tensor(x))
    ours.eval()
    theirs.eval()
    x = rand(4, 3, seed=9)
    np.testing.assert_allclose(ours(Tensor(x)).numpy(), theirs(torch.tensor(x)).detach().numpy(),
                               atol=1e-12)
    assert ours.num_batches_tracked.item() == theirs.num_batches_tracked.item() == 3


def test_state_dict_keys_and_reprs_match_pytorch():
    def build(lib):
        return lib.Sequential(
            lib.Conv2d(1, 4, 3, padding=1), lib.ReLU(), lib.BatchNorm1d(4), lib.Flatten(),
            lib.Linear(16, 8), lib.LayerNorm(8), lib.Dropout(0.1), lib.Embedding(5, 2),
            lib.LeakyReLU(), lib.Tanh(), lib.Sigmoid(), lib.Softmax(dim=1))

    ours, theirs = build(nn), build(tnn)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for (name, value), tvalue in zip(ours.state_dict().items(), theirs.state_dict().values()):
        assert value.shape == tuple(tvalue.shape), name
    # Recent PyTorch adds "bias=True" to the norm layers' reprs; ours keep the classic form.
    assert repr(ours) == repr(theirs).replace("affine=True, bias=True", "affine=True")
    assert repr(nn.MaxPool2d(2)) == repr(tnn.MaxPool2d(2))


def losses(lib):
    functional = F if lib is nn else torch.nn.functional
    wrap = Tensor if lib is nn else torch.tensor
    x, labels = rand(5, 4), np.array([0, 3, 1, 3, 2])
    p = 1 / (1 + np.exp(-rand(5, 4, seed=1)))
    bits = (rand(5, 4, seed=2) > 0).astype(float)
    weight = np.array([1.0, 2.0, 0.5, 3.0])
    return [
        (functional.mse_loss, x, wrap(rand(5, 4, seed=3)), {}),
        (functional.l1_loss, x, wrap(rand(5, 4, seed=3)), {}),
        (functional.cross_entropy, x, wrap(labels), {}),
        (functional.cross_entropy, x, wrap(np.array([0, -100, 1, 3, -100])), {}),
        (functional.cross_entropy, x, wrap(labels), {"weight": wrap(weight)}),
        (functional.nll_loss, x, wrap(labels), {"ignore_index": 3}),
        (functional.binary_cross_entropy, p, wrap(bits), {"weight": wrap(weight)}),
        (functional.binary_cross_entropy_with_logits, x * 300, wrap(bits), {}),
        (functional.binary_cross_entropy_with_logits, x, wrap(bits),
         {"pos_weight": wrap(weight)}),
    ]


@pytest.mark.parametrize("index", range(9))
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_losses_match_pytorch(index, reduction):
    fn, x, target, kwargs = losses(nn)[index]
    tfn, _, ttarget, tkwargs = losses(torch)[index]
    ours_x, theirs_x = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ours, theirs = fn(ours_x, target, reduction=reduction, **kwargs), \
        tfn(theirs_x, ttarget, reduction=reduction, **tkwargs)
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-10, atol=1e-12)
    u = rand(*ours.shape, seed=4)
    (ours * Tensor(u)).sum().backward()
    (theirs * torch.tensor(u)).sum().backward()
    np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_bce_clamp_matches_pytorch():
    p, t = np.array([0.0, 1.0, 0.0, 1.0]), np.array([1.0, 0.0, 0.0, 1.0])
    ours = F.binary_cross_entropy(Tensor(p), Tensor(t), reduction="none").numpy()
    theirs = torch.nn.functional.binary_cross_entropy(torch.tensor(p), torch.tensor(t),
                                                      reduction="none").numpy()
    np.testing.assert_allclose(ours, theirs)


def test_clip_grad_norm_matches_pytorch():
    grads = [rand(3, 4), rand(5, seed=1)]
    ours = [nn.Parameter(np.zeros_like(g)) for g in grads]
    theirs = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
    for p, q, g in zip(ours, theirs, grads):
        p.grad = Tensor(g)
        q.grad = torch.tensor(g)
    for norm_type in (2.0, 1.0, float("inf")):
        total = nn.utils.clip_grad_norm_(ours, 0.5, norm_type)
        ttotal = torch.nn.utils.clip_grad_norm_(theirs, 0.5, norm_type)
        assert float(total) == pytest.approx(float(ttotal), rel=1e-10)
        for p, q in zip(ours, theirs):
            np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-10)
