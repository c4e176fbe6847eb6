"""BatchNorm2d, Dropout2d, Unflatten, Embedding's options and the lazy layers: side by side with
PyTorch from the same weights, state_dict keys, train/eval behaviour, gradcheck in float64."""

import re

import numpy as np
import pytest
from torch_reference import compare, copy_weights, needs_torch, rand, torch

import autograd as ag
import nn
import nn.functional as F
from autograd import Tensor

if torch is not None:
    tnn = torch.nn

pytestmark = pytest.mark.usefixtures("float64")

LAYERS = [
    (lambda lib: lib.BatchNorm2d(3), rand(4, 3, 2, 5) * 2 + 1),
    (lambda lib: lib.BatchNorm2d(2, momentum=None, eps=1e-3), rand(3, 2, 3, 3)),
    (lambda lib: lib.BatchNorm2d(2, affine=False), rand(3, 2, 3, 3)),
    (lambda lib: lib.BatchNorm2d(2, track_running_stats=False), rand(3, 2, 3, 3)),
    (lambda lib: lib.BatchNorm2d(2, track_running_stats=False).eval(), rand(3, 2, 3, 3)),
    (lambda lib: lib.BatchNorm2d(3).eval(), rand(2, 3, 2, 2)),
    (lambda lib: lib.Unflatten(1, (2, 3)), rand(4, 6)),
    (lambda lib: lib.Unflatten(-1, (2, -1)), rand(2, 3, 8)),
    (lambda lib: lib.Sequential(lib.Flatten(), lib.Unflatten(1, (3, 2, 2))), rand(2, 3, 2, 2)),
    (lambda lib: lib.Embedding(6, 3, padding_idx=2), np.array([[2, 0, 5], [2, 2, 1]])),
    (lambda lib: lib.Embedding(6, 3, padding_idx=-1), np.array([0, 5, 5, 3])),
    (lambda lib: lib.Embedding(5, 4, scale_grad_by_freq=True), np.array([[1, 1, 3], [1, 0, 3]])),
    (lambda lib: lib.Embedding(5, 4, max_norm=1.0), np.array([[1, 2], [4, 2]])),
    (lambda lib: lib.Embedding(5, 4, max_norm=0.5, norm_type=1.0, padding_idx=0),
     np.array([0, 1, 1, 3])),
    (lambda lib: lib.Dropout2d(0.4).eval(), rand(2, 3, 2, 2)),
    (lambda lib: lib.InstanceNorm2d(3), rand(2, 3, 3, 4) * 2 + 1),
    (lambda lib: lib.InstanceNorm2d(3, affine=True), rand(3, 3, 4)),  # unbatched
    (lambda lib: lib.InstanceNorm1d(2, affine=True, track_running_stats=True), rand(3, 2, 5)),
    (lambda lib: lib.InstanceNorm1d(2, track_running_stats=True, momentum=None).eval(),
     rand(3, 2, 5)),
]


@needs_torch
@pytest.mark.parametrize("make, x", LAYERS)
def test_layers_match_pytorch(make, x):
    ours = make(nn)
    theirs = make(tnn)
    compare(ours, theirs, x)


def test_embedding_padding_row_is_zero_and_gets_no_gradient():
    emb = nn.Embedding(4, 3, padding_idx=1)
    np.testing.assert_array_equal(emb.weight.numpy()[1], np.zeros(3))
    assert np.all(emb.weight.numpy()[[0, 2, 3]] != 0)
    with ag.no_grad():
        emb.weight[1] = 5.0  # a padding row the user changed is still returned as it is
    out = emb(np.array([1, 1, 2]))
    np.testing.assert_array_equal(out.numpy()[0], np.full(3, 5.0))
    out.sum().backward()
    np.testing.assert_array_equal(emb.weight.grad.numpy(), [[0] * 3, [0] * 3, [1] * 3, [0] * 3])
    # The other rows' gradients are the true ones (the padding row's is zero by design).
    assert ag.gradcheck(lambda w: F.embedding(np.array([[0, 1], [1, 2]]), w, padding_idx=3),
                        [Tensor(rand(4, 2), requires_grad=True)])


@needs_torch
def test_embedding_max_norm_renormalises_used_rows_in_place():
    ours = nn.Embedding(4, 3, max_norm=1.0)
    with ag.no_grad():
        ours.weight[...] = Tensor(rand(4, 3) * 3)
    theirs = copy_weights(ours, tnn.Embedding(4, 3, max_norm=1.0))
    idx = np.array([0, 2, 2])
    np.testing.assert_allclose(ours(idx).numpy(), theirs(torch.tensor(idx)).detach().numpy())
    np.testing.assert_allclose(ours.weight.numpy(), theirs.weight.detach().numpy())
    norms = np.linalg.norm(ours.weight.numpy(), axis=1)
    assert norms[0] <= 1.0 and norms[2] <= 1.0 and norms[1] > 1.0  # row 1 unused: untouched


@needs_torch
def test_embedding_from_pretrained():
    table = rand(5, 2)
    for freeze in (True, False):
        ours = nn.Embedding.from_pretrained(Tensor(table), freeze=freeze, padding_idx=0)
        theirs = tnn.Embedding.from_pretrained(torch.tensor(table), freeze=freeze, padding_idx=0)
        assert ours.weight.requires_grad == theirs.weight.requires_grad == (not freeze)
        np.testing.assert_array_equal(ours.weight.numpy(), table)  # padding row kept as given
        assert repr(ours) == repr(theirs)
    with pytest.raises(ag.ShapeError, match="embeddings must be 2-dimensional"):
        nn.Embedding.from_pretrained(Tensor(rand(5)))


def test_dropout2d_zeroes_whole_channels_and_scales():
    nn.manual_seed(3)
    x = np.ones((50, 20, 3, 3))
    out = nn.Dropout2d(0.25)(Tensor(x)).numpy()
    per_channel = out.reshape(50, 20, 9)
    assert np.all(per_channel.min(axis=2) == per_channel.max(axis=2))  # a channel is one value
    assert set(np.unique(out)) == {0.0, 1 / 0.75}
    assert abs((out == 0).mean() - 0.25) < 0.03
    layer = nn.Dropout2d(0.25).eval()
    np.testing.assert_array_equal(layer(Tensor(x)).numpy(), x)
    assert repr(layer) == "Dropout2d(p=0.25, inplace=False)"
    mask = nn.Dropout2d(0.5)(Tensor(np.ones((2, 3, 4))))  # (N, C, L): channels of length L
    assert np.all(mask.numpy().min(axis=2) == mask.numpy().max(axis=2))


def test_batch_norm_2d_gradcheck():
    x = Tensor(rand(3, 2, 2, 3), requires_grad=True)
    w, b = Tensor(rand(2, seed=1), requires_grad=True), Tensor(rand(2, seed=2), requires_grad=True)
    assert ag.gradcheck(lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True),
                        [x, w, b])


@needs_torch
def test_batch_norm_2d_running_statistics_match_pytorch():
    ours, theirs = nn.BatchNorm2d(2, momentum=0.3), tnn.BatchNorm2d(2, momentum=0.3).double()
    for seed in range(3):
        data = rand(4, 2, 3, 3, seed=seed) * 2 + 1
        ours(Tensor(data))
        theirs(torch.tensor(data))
    ours.eval()
    theirs.eval()
    data = rand(2, 2, 3, 3, seed=9)
    np.testing.assert_allclose(ours(Tensor(data)).numpy(), theirs(torch.tensor(data)).detach()
                               .numpy(), atol=1e-12)
    assert ours.num_batches_tracked.item() == 3
    with pytest.raises(ag.ShapeError, match=r"BatchNorm2d: expected 4D \(N, C, H, W\) input"):
        ours(Tensor(rand(2, 2, 3)))


def test_unflatten_and_dropout2d_gradcheck():
    x = Tensor(rand(2, 6, 2), requires_grad=True)
    assert ag.gradcheck(nn.Unflatten(1, (3, 2)), [x])
    assert ag.gradcheck(lambda t: F.dropout2d(t, 0.5, generator=np.random.default_rng(0)), [x])


def test_instance_norm_gradcheck():
    x = Tensor(rand(2, 2, 3), requires_grad=True)
    w, b = Tensor(rand(2, seed=1), requires_grad=True), Tensor(rand(2, seed=2), requires_grad=True)
    assert ag.gradcheck(lambda x, w, b: F.instance_norm(x, weight=w, bias=b), [x, w, b])


@needs_torch
def test_state_dict_keys_match_pytorch():
    def build(lib):
        return lib.Sequential(
            lib.BatchNorm2d(3), lib.BatchNorm2d(3, affine=False),
            lib.BatchNorm2d(3, track_running_stats=False), lib.Dropout2d(),
            lib.Unflatten(1, (3, 1)), lib.Embedding(4, 2, padding_idx=1, max_norm=2.0),
            lib.Embedding(4, 2, norm_type=1.0, scale_grad_by_freq=True),
            lib.InstanceNorm2d(3), lib.InstanceNorm1d(3, affine=True, track_running_stats=True))

    ours, theirs = build(nn), build(tnn)
    assert [(k, v.shape) for k, v in ours.state_dict().items()] == \
        [(k, tuple(v.shape)) for k, v in theirs.state_dict().items()]
    assert repr(ours) == classic(repr(theirs))


def classic(text):
    """Recent PyTorch adds "bias=..." to the norm layers' reprs; ours keep the classic form."""
    return re.sub(r"(affine=\w+), bias=\w+", r"\1", text)


# --- lazy layers ---------------------------------------------------------------------------
LAZY = [
    (lambda lib: lib.LazyLinear(3), rand(4, 5), "Linear", {"in_features": 5}),
    (lambda lib: lib.LazyLinear(2, bias=False), rand(2, 3, 4), "Linear", {"in_features": 4}),
    (lambda lib: lib.LazyConv2d(4, 3, padding=1, groups=2), rand(2, 6, 4, 4), "Conv2d",
     {"in_channels": 6}),
    (lambda lib: lib.LazyConv2d(2, 2, bias=False), rand(3, 4, 4), "Conv2d",
     {"in_channels": 3}),
    (lambda lib: lib.LazyBatchNorm1d(), rand(5, 3), "BatchNorm1d", {"num_features": 3}),
    (lambda lib: lib.LazyBatchNorm1d(affine=False), rand(5, 3, 2), "BatchNorm1d",
     {"num_features": 3}),
    (lambda lib: lib.LazyBatchNorm2d(momentum=None), rand(3, 2, 2, 2), "BatchNorm2d",
     {"num_features": 2}),
]


@needs_torch
@pytest.mark.parametrize("make, x, becomes, inferred", LAZY)
def test_lazy_layers_infer_shapes_and_become_the_concrete_layer(make, x, becomes, inferred):
    ours, theirs = make(nn), make(tnn).double()
    assert list(ours.state_dict()) == list(theirs.state_dict())  # keys before the first call
    assert repr(ours).startswith("Lazy")
    params = list(ours.parameters())  # an optimizer made now holds the same objects
    with pytest.raises(RuntimeError, match="has no shape yet"):
        _ = (params or list(ours.buffers()))[0].shape
    ours(Tensor(x))
    theirs(torch.tensor(x))
    assert type(ours).__name__ == type(theirs).__name__ == becomes
    for name, value in inferred.items():
        assert getattr(ours, name) == getattr(theirs, name) == value
    assert [p is q for p, q in zip(params, ours.parameters())] == [True] * len(params)
    assert [(k, v.shape) for k, v in ours.state_dict().items()] == \
        [(k, tuple(v.shape)) for k, v in theirs.state_dict().items()]
    assert repr(ours) == classic(repr(theirs))
    compare(ours, make(tnn), x)  # and from here on it is the concrete layer


def test_lazy_linear_initialises_like_linear_at_the_first_call():
    nn.manual_seed(4)
    plain = nn.Linear(7, 3)
    nn.manual_seed(4)
    lazy = nn.LazyLinear(3)  # draws nothing until its first call
    lazy(Tensor(rand(2, 7)))
    np.testing.assert_array_equal(lazy.weight.numpy(), plain.weight.numpy())
    np.testing.assert_array_equal(lazy.bias.numpy(), plain.bias.numpy())


@needs_torch
def test_lazy_module_loads_a_pytorch_state_dict_before_the_first_call():
    theirs = tnn.Sequential(tnn.Conv2d(3, 4, 3), tnn.BatchNorm2d(4), tnn.Flatten(),
                            tnn.Linear(16, 2)).double()
    ours = nn.Sequential(nn.LazyConv2d(4, 3), nn.LazyBatchNorm2d(), nn.Flatten(),
                         nn.LazyLinear(2))
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()}, strict=True)
    assert [type(m).__name__ for m in ours] == ["Conv2d", "BatchNorm2d", "Flatten", "Linear"]
    assert ours[0].in_channels == 3 and ours[1].num_features == 4 and ours[3].in_features == 16
    x = rand(2, 3, 4, 4)
    np.testing.assert_allclose(ours(Tensor(x)).numpy(), theirs(torch.tensor(x)).detach().numpy(),
                               atol=1e-10)


def test_a_custom_lazy_module_initialises_at_its_first_call():
    class Scale(nn.LazyModuleMixin, nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = nn.UninitializedParameter()

        def initialize_parameters(self, x):
            self.weight.materialize(x.shape[-1:])
            nn.init.constant_(self.weight, 2.0)

        def forward(self, x):
            return x * self.weight

    m = Scale()
    assert m.has_uninitialized_params()
    np.testing.assert_array_equal(m(Tensor(np.ones((2, 3)))).numpy(), np.full((2, 3), 2.0))
    assert type(m) is Scale and m.weight.shape == (3,) and type(m.weight) is nn.Parameter
