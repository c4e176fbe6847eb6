"""nn.init (bounds, spreads, gains, seeding), nn.utils.clip_grad_norm_ and nn.batches."""

import math

import numpy as np
import pytest

import nn
from autograd import Tensor


def param(*shape):
    return nn.Parameter(np.zeros(shape))


def test_calculate_gain():
    assert nn.init.calculate_gain("linear") == 1 and nn.init.calculate_gain("conv2d") == 1
    assert nn.init.calculate_gain("sigmoid") == 1
    assert nn.init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert nn.init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert nn.init.calculate_gain("leaky_relu") == pytest.approx(math.sqrt(2 / (1 + 0.01 ** 2)))
    assert nn.init.calculate_gain("leaky_relu", math.sqrt(5)) == pytest.approx(math.sqrt(1 / 3))
    assert nn.init.calculate_gain("selu") == pytest.approx(0.75)
    with pytest.raises(ValueError, match="unsupported nonlinearity"):
        nn.init.calculate_gain("swish")


@pytest.mark.parametrize("fn, kwargs, shape, bound", [
    (nn.init.uniform_, {"a": -0.3, "b": 0.7}, (200, 300), None),
    (nn.init.xavier_uniform_, {}, (200, 300), math.sqrt(6 / 500)),
    (nn.init.xavier_uniform_, {"gain": 2.0}, (20, 30, 3, 3), 2 * math.sqrt(6 / (270 + 180))),
    (nn.init.kaiming_uniform_, {}, (200, 300), math.sqrt(2) * math.sqrt(3 / 300)),  # a=0
    (nn.init.kaiming_uniform_, {"a": math.sqrt(5)}, (200, 300), 1 / math.sqrt(300)),
    (nn.init.kaiming_uniform_, {"mode": "fan_out", "nonlinearity": "relu"}, (200, 300),
     math.sqrt(2) * math.sqrt(3 / 200)),
])
def test_uniform_initialisers_fill_their_interval(fn, kwargs, shape, bound):
    t = fn(param(*shape), **kwargs)
    lo, hi = (-bound, bound) if bound is not None else (-0.3, 0.7)
    slack = 1e-6 * (hi - lo)  # the float32 rounding of the bound itself
    assert t.numpy().min() >= lo - slack and t.numpy().max() <= hi + slack
    assert t.numpy().min() < lo + 0.02 * (hi - lo) and t.numpy().max() > hi - 0.02 * (hi - lo)
    assert abs(t.numpy().std() - (hi - lo) / math.sqrt(12)) < 0.02 * (hi - lo)


@pytest.mark.parametrize("fn, kwargs, std", [
    (nn.init.normal_, {"mean": 1.0, "std": 0.5}, 0.5),
    (nn.init.xavier_normal_, {}, math.sqrt(2 / 500)),
    (nn.init.kaiming_normal_, {"nonlinearity": "relu"}, math.sqrt(2 / 300)),
    (nn.init.kaiming_normal_, {"mode": "fan_out", "nonlinearity": "tanh"},
     5 / 3 / math.sqrt(200)),
])
def test_normal_initialisers_have_their_spread(fn, kwargs, std):
    t = fn(param(200, 300), **kwargs)
    assert abs(t.numpy().std() - std) < 0.02 * std
    assert abs(t.numpy().mean() - kwargs.get("mean", 0.0)) < 0.02 * std + 0.01 * abs(
        kwargs.get("mean", 0.0))


def test_constant_zeros_ones_and_dtype():
    t = param(2, 3)
    assert nn.init.constant_(t, 0.5) is t and (t.numpy() == 0.5).all()
    assert (nn.init.ones_(t).numpy() == 1).all() and not nn.init.zeros_(t).numpy().any()
    assert t.dtype == np.float32  # filled in place, dtype kept
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        nn.init.xavier_uniform_(param(3))
    with pytest.raises(ValueError, match="mode"):
        nn.init.kaiming_uniform_(param(3, 3), mode="fan")


def test_seeding_and_generators():
    nn.init.manual_seed(5)
    a = nn.init.normal_(param(10)).numpy().copy()
    nn.manual_seed(5)
    b = nn.init.normal_(param(10)).numpy().copy()
    np.testing.assert_array_equal(a, b)
    g1, g2 = np.random.default_rng(1), np.random.default_rng(1)
    np.testing.assert_array_equal(nn.init.uniform_(param(4), generator=g1).numpy(),
                                  nn.init.uniform_(param(4), generator=g2).numpy())


def grads(*arrays):
    params = []
    for a in arrays:
        p = nn.Parameter(np.zeros_like(a))
        p.grad = Tensor(np.asarray(a, dtype=np.float32))
        params.append(p)
    return params


def test_clip_grad_norm_scales_and_returns_the_norm_before():
    params = grads(np.array([3.0, 0.0]), np.array([[0.0, 4.0]]))
    total = nn.utils.clip_grad_norm_(params, max_norm=1.0)
    assert float(total) == pytest.approx(5.0)
    np.testing.assert_allclose(params[0].grad.numpy(), [0.6, 0.0], rtol=1e-5)
    np.testing.assert_allclose(params[1].grad.numpy(), [[0.0, 0.8]], rtol=1e-5)
    untouched = grads(np.array([0.3, 0.4]))
    assert float(nn.utils.clip_grad_norm_(untouched, 1.0)) == pytest.approx(0.5)
    np.testing.assert_allclose(untouched[0].grad.numpy(), [0.3, 0.4])
    inf = grads(np.array([1.0, -7.0]), np.array([2.0]))
    assert float(nn.utils.clip_grad_norm_(inf, 3.5, norm_type=math.inf)) == 7.0
    np.testing.assert_allclose(inf[0].grad.numpy(), [0.5, -3.5], rtol=1e-5)
    one = grads(np.array([1.0, -2.0]))
    assert float(nn.utils.clip_grad_norm_(one[0], 10, norm_type=1)) == pytest.approx(3.0)
    with pytest.raises(RuntimeError, match="nan"):
        nn.utils.clip_grad_norm_(grads(np.array([np.nan])), 1.0, error_if_nonfinite=True)
    assert float(nn.utils.clip_grad_norm_([nn.Parameter(np.zeros(2))], 1.0)) == 0.0


def test_clip_grad_norm_does_not_write_through_shared_gradient_arrays():
    a, b = nn.Parameter(np.ones(2)), nn.Parameter(np.ones(2))
    (a + b).sum().backward()  # Add's rule can hand both inputs the same cotangent array
    nn.utils.clip_grad_norm_([a], 0.5)
    np.testing.assert_allclose(b.grad.numpy(), [1.0, 1.0])


def test_clip_grad_value():
    params = grads(np.array([-3.0, 0.5, 2.0]))
    nn.utils.clip_grad_value_(params, 1.0)
    np.testing.assert_array_equal(params[0].grad.numpy(), [-1.0, 0.5, 1.0])


def test_batches_cover_every_row_once_and_are_seeded():
    X = (np.arange(10)[:, None] * np.ones((1, 2))).astype(np.float32)
    y = np.arange(10)
    out = list(nn.batches(X, y, batch_size=4, seed=0))
    assert [len(xb) for xb, _ in out] == [4, 4, 2]
    assert isinstance(out[0][0], Tensor) and out[0][0].dtype == np.float32
    assert out[0][1].dtype == y.dtype
    rows = np.concatenate([yb.numpy() for _, yb in out])
    assert sorted(rows) == list(range(10)) and list(rows) != list(range(10))
    for xb, yb in out:
        np.testing.assert_array_equal(xb.numpy()[:, 0], yb.numpy())  # rows stay paired
    again = np.concatenate([yb.numpy() for _, yb in nn.batches(X, y, 4, seed=0)])
    np.testing.assert_array_equal(rows, again)
    ordered = [yb.numpy().tolist() for _, yb in nn.batches(X, y, 4, shuffle=False, drop_last=True)]
    assert ordered == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert [len(xb) for xb in nn.batches(X, batch_size=5)] == [5, 5]
    with pytest.raises(ValueError, match="10 rows but y has 9"):
        list(nn.batches(X, y[:-1], 4))
    with pytest.raises(ValueError, match="batch_size"):
        list(nn.batches(X, y, 0))


def test_dataloader_reshuffles_each_epoch():
    X, y = np.zeros((10, 1)), np.arange(10)
    dataset = nn.utils.data.TensorDataset(X, y)
    loader = nn.DataLoader(dataset, batch_size=3, shuffle=True,
                           generator=np.random.default_rng(0))
    assert len(loader) == 4 and len(nn.DataLoader(dataset, 3, drop_last=True)) == 3
    first = np.concatenate([yb.numpy() for _, yb in loader])
    second = np.concatenate([yb.numpy() for _, yb in loader])
    assert sorted(first) == sorted(second) == list(range(10))
    assert list(first) != list(second)
