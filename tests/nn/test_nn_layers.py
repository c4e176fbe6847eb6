"""Every layer's forward against closed forms in NumPy, and its input and parameter gradients
against finite differences (float64); train/eval behaviour of Dropout and BatchNorm1d."""

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
from autograd import Tensor

pytestmark = pytest.mark.usefixtures("float64")


def rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def check_gradients(module, x, eps=1e-6):
    """Input gradient by ag.gradcheck; parameter gradients by central differences on the
    parameter arrays, with the loss sum(module(x) * u) for a fixed random u."""
    assert ag.gradcheck(lambda t: module(t), [Tensor(x, requires_grad=True)])
    if not list(module.parameters()):
        return
    x = Tensor(x)
    u = Tensor(rand(*module(x).shape, seed=99))
    module.zero_grad()
    (module(x) * u).sum().backward()
    for name, p in module.named_parameters():
        flat, numeric = p.numpy().reshape(-1), np.zeros(p.numel())
        for j in range(p.numel()):
            saved = flat[j]
            flat[j] = saved + eps
            plus = float((module(x) * u).sum().item())
            flat[j] = saved - eps
            minus = float((module(x) * u).sum().item())
            flat[j] = saved
            numeric[j] = (plus - minus) / (2 * eps)
        np.testing.assert_allclose(p.grad.numpy().reshape(-1), numeric, rtol=1e-5, atol=1e-8,
                                   err_msg=f"{type(module).__name__}.{name}")


def test_linear_values_init_gradients():
    layer = nn.Linear(5, 3)
    assert layer.weight.shape == (3, 5) and layer.bias.shape == (3,)
    assert list(layer.state_dict()) == ["weight", "bias"]
    x = rand(4, 5)
    np.testing.assert_allclose(layer(Tensor(x)).numpy(),
                               x @ layer.weight.numpy().T + layer.bias.numpy())
    check_gradients(layer, x)
    check_gradients(nn.Linear(3, 2, bias=False), rand(2, 7, 3))  # leading batch axes
    big = nn.Linear(400, 300)  # kaiming_uniform_(a=√5) = U(±1/√fan_in); bias the same
    bound = 1 / np.sqrt(400)
    assert np.abs(big.weight.numpy()).max() <= bound and np.abs(big.bias.numpy()).max() <= bound
    assert abs(big.weight.numpy().std() - bound / np.sqrt(3)) < 0.02 * bound
    with pytest.raises(ag.ShapeError, match=r"linear: input of shape \(4, 4\).*\(3, 5\)"):
        layer(Tensor(rand(4, 4)))


def test_init_is_reproducible_under_manual_seed():
    nn.manual_seed(123)
    a = nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 2))
    nn.manual_seed(123)
    b = nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 2))
    for (name, p), q in zip(a.named_parameters(), b.parameters()):
        np.testing.assert_array_equal(p.numpy(), q.numpy(), err_msg=name)
    c = nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 2))
    assert not np.array_equal(c[0].weight.numpy(), a[0].weight.numpy())


@pytest.mark.parametrize("layer, reference", [
    (nn.ReLU(), lambda x: np.maximum(x, 0)),
    (nn.LeakyReLU(), lambda x: np.where(x > 0, x, 0.01 * x)),
    (nn.LeakyReLU(0.2), lambda x: np.where(x > 0, x, 0.2 * x)),
    (nn.Tanh(), np.tanh),
    (nn.Sigmoid(), lambda x: 1 / (1 + np.exp(-x))),
    (nn.Softmax(dim=1), lambda x: np.exp(x) / np.exp(x).sum(1, keepdims=True)),
    (nn.Softmax(dim=0), lambda x: np.exp(x) / np.exp(x).sum(0, keepdims=True)),
    (nn.LogSoftmax(dim=1), lambda x: x - np.log(np.exp(x).sum(1, keepdims=True))),
    (nn.Flatten(), lambda x: x.reshape(len(x), -1)),
    (nn.Identity(3, foo=1), lambda x: x),
])
def test_activations(layer, reference):
    x = rand(4, 3)
    np.testing.assert_allclose(layer(Tensor(x)).numpy(), reference(x), rtol=1e-12)
    check_gradients(layer, x)


def test_activation_reprs():
    assert repr(nn.ReLU()) == "ReLU()" and repr(nn.Tanh()) == "Tanh()"
    assert repr(nn.LeakyReLU(0.2)) == "LeakyReLU(negative_slope=0.2)"
    assert repr(nn.Softmax(dim=1)) == "Softmax(dim=1)"
    assert repr(nn.LogSoftmax(dim=-1)) == "LogSoftmax(dim=-1)"
    assert repr(nn.Dropout()) == "Dropout(p=0.5, inplace=False)"
    assert repr(nn.Flatten()) == "Flatten(start_dim=1, end_dim=-1)"
    assert repr(nn.Embedding(10, 3)) == "Embedding(10, 3)"
    assert repr(nn.LayerNorm(8)) == "LayerNorm((8,), eps=1e-05, elementwise_affine=True)"


def test_flatten_dims():
    x = Tensor(rand(2, 3, 4, 5))
    assert nn.Flatten()(x).shape == (2, 60)
    assert nn.Flatten(0, 1)(x).shape == (6, 4, 5)
    assert nn.Flatten(1, 2)(x).shape == (2, 12, 5)
    with pytest.raises(ag.ShapeError, match="Flatten"):
        nn.Flatten(2, 1)(x)


def test_dropout_train_and_eval():
    with pytest.raises(ValueError, match="between 0 and 1"):
        nn.Dropout(1.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        F.dropout(Tensor(np.ones(2)), -0.1)
    drop = nn.Dropout(0.25)
    x = Tensor(np.ones((200, 100)), requires_grad=True)
    y = drop(x)
    kept = y.numpy() != 0
    assert abs(1 - kept.mean() - 0.25) < 0.02  # about p of the entries are dropped
    np.testing.assert_allclose(y.numpy()[kept], 1 / 0.75)  # the survivors are scaled up
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), kept / 0.75)
    drop.eval()
    assert drop(x) is x  # identity in eval mode
    assert F.dropout(x, 0.5, training=False) is x and F.dropout(x, 0.0) is x
    assert not F.dropout(x, 1.0).numpy().any()
    same = [F.dropout(x, 0.5, generator=np.random.default_rng(3)).numpy() for _ in range(2)]
    assert F.dropout(x, 0.5, True, False).shape == x.shape  # torch's (p, training, inplace)
    assert nn.Dropout(np.float32(0.5)).p == 0.5
    np.testing.assert_array_equal(*same)


def test_batchnorm_training_values_and_running_stats():
    bn = nn.BatchNorm1d(3, momentum=0.1)
    assert list(bn.state_dict()) == ["weight", "bias", "running_mean", "running_var",
                                     "num_batches_tracked"]
    np.testing.assert_array_equal(bn.weight.numpy(), 1)
    np.testing.assert_array_equal(bn.bias.numpy(), 0)
    nn.init.normal_(bn.weight)
    nn.init.normal_(bn.bias)
    x = rand(8, 3) * 2 + 5
    y = bn(Tensor(x)).numpy()
    mean, var = x.mean(0), x.var(0)
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + 1e-5) * bn.weight.numpy()
                               + bn.bias.numpy(), rtol=1e-10)
    np.testing.assert_allclose(bn.running_mean.numpy(), 0.9 * 0 + 0.1 * mean)
    np.testing.assert_allclose(bn.running_var.numpy(), 0.9 * 1 + 0.1 * x.var(0, ddof=1))
    assert bn.num_batches_tracked.item() == 1
    bn(Tensor(x))
    assert bn.num_batches_tracked.item() == 2
    bn.eval()  # eval: the running statistics, nothing updated
    stats = bn.running_mean.numpy().copy(), bn.running_var.numpy().copy()
    z = rand(4, 3, seed=1)
    np.testing.assert_allclose(bn(Tensor(z)).numpy(), (z - stats[0]) / np.sqrt(stats[1] + 1e-5)
                               * bn.weight.numpy() + bn.bias.numpy(), rtol=1e-10)
    np.testing.assert_array_equal(bn.running_mean.numpy(), stats[0])
    assert bn.num_batches_tracked.item() == 2


def test_batchnorm_3d_cumulative_and_untracked():
    bn = nn.BatchNorm1d(2, momentum=None)  # cumulative moving average
    a, b = rand(4, 2, 5), rand(4, 2, 5, seed=1)
    ya = bn(Tensor(a)).numpy()
    mean = a.mean((0, 2), keepdims=True)
    np.testing.assert_allclose(ya, (a - mean) / np.sqrt(a.var((0, 2), keepdims=True) + 1e-5))
    bn(Tensor(b))
    np.testing.assert_allclose(bn.running_mean.numpy(), (a.mean((0, 2)) + b.mean((0, 2))) / 2)
    assert list(nn.BatchNorm1d(2, bias=False).state_dict()) == [
        "weight", "running_mean", "running_var", "num_batches_tracked"]
    free = nn.BatchNorm1d(2, affine=False, track_running_stats=False)
    assert list(free.state_dict()) == [] and list(free.parameters()) == []
    free.eval()  # no running statistics: batch statistics even in eval
    np.testing.assert_allclose(free(Tensor(a)).numpy(), ya)


def test_batchnorm_gradients_and_errors():
    check_gradients(nn.BatchNorm1d(3), rand(5, 3))
    check_gradients(nn.BatchNorm1d(2), rand(3, 2, 4))
    check_gradients(nn.BatchNorm1d(3).eval(), rand(5, 3))
    bn = nn.BatchNorm1d(3)
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        bn(Tensor(rand(1, 3)))
    with pytest.raises(ag.ShapeError, match="num_features=3"):
        bn(Tensor(rand(4, 2)))
    with pytest.raises(ag.ShapeError, match="2D"):
        bn(Tensor(rand(4, 3, 2, 2)))


def test_layernorm_values_and_gradients():
    ln = nn.LayerNorm(4)
    nn.init.normal_(ln.weight)
    nn.init.normal_(ln.bias)
    x = rand(3, 4) * 3 + 1
    expected = (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + 1e-5)
    want = expected * ln.weight.numpy() + ln.bias.numpy()
    np.testing.assert_allclose(ln(Tensor(x)).numpy(), want, rtol=1e-10)
    check_gradients(ln, x)
    ln2 = nn.LayerNorm((2, 3), elementwise_affine=False)
    x2 = rand(2, 2, 3)
    m, v = x2.mean((1, 2), keepdims=True), x2.var((1, 2), keepdims=True)
    np.testing.assert_allclose(ln2(Tensor(x2)).numpy(), (x2 - m) / np.sqrt(v + 1e-5), rtol=1e-10)
    assert list(ln2.parameters()) == []
    check_gradients(nn.LayerNorm((2, 3)), x2)
    with pytest.raises(ag.ShapeError, match="normalized shape"):
        ln(Tensor(rand(3, 5)))


def test_embedding_values_gradients_and_errors():
    emb = nn.Embedding(5, 3)
    assert emb.weight.shape == (5, 3) and list(emb.state_dict()) == ["weight"]
    idx = np.array([[0, 4, 4], [2, 0, 4]])
    out = emb(Tensor(idx))
    assert out.shape == (2, 3, 3)
    np.testing.assert_array_equal(out.numpy(), emb.weight.numpy()[idx])
    out.sum().backward()  # repeated indices accumulate
    np.testing.assert_array_equal(emb.weight.grad.numpy()[:, 0], [2, 0, 1, 0, 3])
    with pytest.raises(IndexError, match=r"index 5 .*0 <= index < 5"):
        emb(np.array([1, 5]))
    with pytest.raises(IndexError, match="index -1"):
        emb(np.array([-1]))
    with pytest.raises(TypeError, match="integers"):
        emb(Tensor([0.0, 1.0]))
    big = nn.Embedding(1000, 50)  # N(0, 1) init
    assert abs(big.weight.numpy().mean()) < 0.02 and abs(big.weight.numpy().std() - 1) < 0.02


def test_one_hot():
    np.testing.assert_array_equal(F.one_hot(np.array([0, 2, 1])).numpy(),
                                  [[1, 0, 0], [0, 0, 1], [0, 1, 0]])
    assert F.one_hot(Tensor(np.array([[1], [0]])), 4).shape == (2, 1, 4)
    assert F.one_hot(np.array([1]), 3).dtype == np.int64
    with pytest.raises(IndexError):
        F.one_hot(np.array([3]), 3)


def test_forward_mode_and_hessian_through_a_model():
    model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.LayerNorm(8), nn.Linear(8, 3), nn.BatchNorm1d(3))
    x, v = rand(4, 1, 4, 4), rand(4, 1, 4, 4, seed=1)
    _, jv = ag.jvp(lambda t: model(t), Tensor(x), Tensor(v))
    numeric = (model(Tensor(x + 1e-6 * v)).numpy() - model(Tensor(x - 1e-6 * v)).numpy()) / 2e-6
    np.testing.assert_allclose(jv.numpy(), numeric, rtol=1e-5, atol=1e-8)
    labels = np.array([0, 1, 2, 0])
    h = ag.hessian(lambda t: F.cross_entropy(model(t.reshape(4, 1, 4, 4)), labels),
                   Tensor(x.reshape(-1)))
    assert h.shape == (64, 64)
    np.testing.assert_allclose(h.numpy(), h.numpy().T, atol=1e-12)
