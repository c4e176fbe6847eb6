"""Activations, as modules and as functions, against PyTorch (values, input gradients and
PReLU's weight gradient, including the kinks and the far tails), gradcheck in float64,
reprs and state_dict keys, and maxout written with reshape and max."""

import math

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
from autograd import Tensor

torch = pytest.importorskip("torch")
from test_nn_torch import compare  # noqa: E402

pytestmark = pytest.mark.usefixtures("float64")

# The kinks (0, ±1, Softplus's threshold 20), the tails (±60: exp would overflow float32).
EDGES = np.array([-60.0, -20.0, -3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.5, 19.0, 20.0, 21.0, 60.0])


def rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape) * 2


MODULES = [
    ("Sigmoid", (), {}), ("Tanh", (), {}), ("ReLU", (), {}), ("LeakyReLU", (0.2,), {}),
    ("Hardtanh", (), {}), ("Hardtanh", (-2.0, 0.5), {}), ("ELU", (), {}), ("ELU", (0.3,), {}),
    ("GELU", (), {}), ("GELU", (), {"approximate": "tanh"}), ("SiLU", (), {}),
    ("Softplus", (), {}), ("Softplus", (2.0, 5.0), {}), ("Softsign", (), {}),
    ("PReLU", (), {}), ("PReLU", (3, 0.1), {}), ("Softmax", (), {"dim": 1}),
    ("LogSoftmax", (), {"dim": 1}), ("GLU", (), {"dim": 1}), ("GLU", (), {}),
]


@pytest.mark.parametrize("name, args, kwargs", MODULES, ids=lambda v: str(v))
def test_modules_match_pytorch(name, args, kwargs):
    make = lambda lib: getattr(lib, name)(*args, **kwargs)  # noqa: E731
    compare(make(nn), make(torch.nn), rand(4, 3 if args[:1] == (3,) else 6, 4))
    if name not in ("Softmax", "LogSoftmax", "GLU") and args[:1] != (3,):
        compare(make(nn), make(torch.nn), EDGES.copy())  # kinks and tails, elementwise
    assert repr(make(nn)) == repr(make(torch.nn))


FUNCTIONS = [
    ("elu", {"alpha": 2.0}), ("gelu", {}), ("gelu", {"approximate": "tanh"}), ("silu", {}),
    ("softplus", {"beta": 0.5, "threshold": 3.0}), ("softsign", {}),
    ("hardtanh", {"min_val": -0.5, "max_val": 2.5}), ("leaky_relu", {"negative_slope": 0.1}),
    ("relu", {}), ("sigmoid", {}), ("tanh", {}),
]


@pytest.mark.parametrize("name, kwargs", FUNCTIONS, ids=lambda v: str(v))
def test_functions_match_pytorch(name, kwargs):
    x = np.concatenate([EDGES, rand(20)])
    ours_x, theirs_x = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ours = getattr(F, name)(ours_x, **kwargs)
    theirs = getattr(torch.nn.functional, name)(theirs_x, **kwargs)
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-12, atol=1e-14)
    u = np.cos(np.arange(x.size))
    (ours * Tensor(u)).sum().backward()
    (theirs * torch.tensor(u)).sum().backward()
    np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=1e-12,
                               atol=1e-14)


def test_prelu_functional_and_weight_gradient_per_channel():
    x, w = rand(2, 3, 4), np.array([0.1, -0.5, 2.0])
    ours_w, theirs_w = Tensor(w, requires_grad=True), torch.tensor(w, requires_grad=True)
    ours = F.prelu(Tensor(x), ours_w)
    theirs = torch.nn.functional.prelu(torch.tensor(x), theirs_w)
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-12)
    ours.sum().backward()
    theirs.sum().backward()
    np.testing.assert_allclose(ours_w.grad.numpy(), theirs_w.grad.numpy(), rtol=1e-12)
    with pytest.raises(ag.ShapeError, match="prelu: weight of shape \\(3,\\) does not match "
                                            "the 4 channels"):
        F.prelu(Tensor(rand(2, 4)), ours_w)


@pytest.mark.parametrize("fn", [
    lambda x: F.elu(x, 0.7), lambda x: F.gelu(x), lambda x: F.gelu(x, approximate="tanh"),
    F.silu, lambda x: F.softplus(x, 2.0, 1.0), F.softsign, lambda x: F.hardtanh(x, -1.5, 1.5),
    lambda x: nn.PReLU(3)(x), lambda x: F.glu(x, -1),
])
def test_gradcheck(fn):
    x = rand(2, 3, 2, seed=3) + 0.05  # away from 0, where ELU and softsign have kinks
    x[np.abs(np.abs(x) - 1.5) < 0.05] = 0.3
    assert ag.gradcheck(fn, [Tensor(x, requires_grad=True)])


def test_closed_forms_and_stability():
    x = Tensor(np.array([-1000.0, -1.0, 0.0, 1.0, 1000.0]))
    np.testing.assert_allclose(F.softplus(x).numpy(), [0.0, math.log1p(math.exp(-1)),
                                                         math.log(2), 1 + math.log1p(
                                                             math.exp(-1)), 1000.0])
    np.testing.assert_allclose(F.elu(x).numpy(), [-1.0, math.expm1(-1), 0.0, 1.0, 1000.0])
    np.testing.assert_allclose(F.gelu(Tensor(np.array([1.0]))).numpy(),
                               [0.5 * (1 + math.erf(1 / math.sqrt(2)))])
    x32 = Tensor(np.array([-100.0, 100.0], dtype=np.float32), requires_grad=True)
    y = F.elu(x32) + F.softplus(x32) + F.silu(x32) + F.gelu(x32)
    assert y.dtype == np.float32
    y.sum().backward()
    assert np.isfinite(x32.grad.numpy()).all()


def test_prelu_state_dict_and_init():
    ours, theirs = nn.PReLU(3, init=0.1), torch.nn.PReLU(3, init=0.1)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["weight"]
    np.testing.assert_allclose(ours.state_dict()["weight"], theirs.weight.detach().numpy())
    ours.load_state_dict({"weight": np.array([1.0, 2.0, 3.0])}, strict=True)
    np.testing.assert_array_equal(ours.weight.numpy(), [1.0, 2.0, 3.0])


def test_maxout_with_reshape_and_max():
    """Maxout over groups of k features: (N, C·k) -> (N, C, k) -> max over the last axis
    (PyTorch writes x.view(N, C, k).max(dim=2).values)."""
    x = rand(4, 6)
    ours_x, theirs_x = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ours = ours_x.reshape(4, 3, 2).max(axis=2)
    theirs = theirs_x.view(4, 3, 2).max(dim=2).values
    np.testing.assert_array_equal(ours.numpy(), theirs.detach().numpy())
    ours.sum().backward()
    theirs.sum().backward()
    np.testing.assert_array_equal(ours_x.grad.numpy(), theirs_x.grad.numpy())


def test_bad_options_are_errors():
    with pytest.raises(ValueError, match="approximate must be 'none' or 'tanh'"):
        nn.GELU("fast")
    with pytest.raises(ValueError, match="min_val"):
        nn.Hardtanh(1.0, -1.0)
    with pytest.raises(ValueError, match="num_parameters"):
        nn.PReLU(0)
    with pytest.raises(ag.ShapeError, match="halving dimension must be even"):
        F.glu(Tensor(rand(2, 3)))
