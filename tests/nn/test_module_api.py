"""The Module API beyond parameters: forward, pre-forward and full backward hooks (values as
PyTorch passes them), handles, named_modules/buffers/children, non-persistent buffers,
requires_grad_, to/half/float/double, get_submodule/get_parameter, add_module, zero_grad."""

import numpy as np
import pytest
from torch_reference import copy_weights, needs_torch, rand, torch

import autograd as ag
import nn
from autograd import Tensor

if torch is not None:
    tnn = torch.nn

pytestmark = pytest.mark.usefixtures("float64")


def build(lib):
    model = lib.Sequential(lib.Linear(3, 4), lib.Tanh(), lib.Linear(4, 2))
    model.add_module("head", lib.Sequential(lib.BatchNorm1d(2)))
    return model


def test_forward_hooks_see_and_replace_inputs_and_outputs():
    layer, calls = nn.Linear(3, 2), []
    pre = layer.register_forward_pre_hook(lambda m, args: calls.append(("pre", m, args[0].shape)))
    post = layer.register_forward_hook(lambda m, args, out: calls.append(("post", out.shape)))
    x = Tensor(rand(5, 3))
    layer(x)
    assert calls == [("pre", layer, (5, 3)), ("post", (5, 2))]
    pre.remove()
    post.remove()
    layer(x)
    assert len(calls) == 2  # removed hooks stay quiet
    with layer.register_forward_pre_hook(lambda m, args: (args[0] * 0.0,)):
        np.testing.assert_allclose(layer(x).numpy(), np.broadcast_to(layer.bias.numpy(), (5, 2)))
    np.testing.assert_allclose(layer(x).numpy(), rand(5, 3) @ layer.weight.numpy().T
                               + layer.bias.numpy())
    layer.register_forward_hook(lambda m, args, out: out * 2.0)
    layer.register_forward_hook(lambda m, args, out: out + 1.0)  # sees the doubled output
    first = layer.register_forward_hook(lambda m, args, out: out * 10.0, prepend=True)
    np.testing.assert_allclose(layer(x).numpy(), (rand(5, 3) @ layer.weight.numpy().T
                                                  + layer.bias.numpy()) * 20 + 1)
    first.remove()


def test_forward_hooks_with_kwargs():
    class Scaled(nn.Module):
        def forward(self, x, scale=1.0):
            return x * scale

    m, seen = Scaled(), []
    m.register_forward_pre_hook(lambda mod, args, kwargs: (args, {"scale": kwargs["scale"] + 1}),
                                with_kwargs=True)
    m.register_forward_hook(lambda mod, args, kwargs, out: seen.append(kwargs), with_kwargs=True)
    np.testing.assert_array_equal(m(Tensor(np.ones(2)), scale=2.0).numpy(), [3.0, 3.0])
    assert seen == [{"scale": 3.0}]


def test_hook_must_be_callable():
    with pytest.raises(TypeError, match="register_forward_hook: the hook must be callable"):
        nn.Linear(2, 2).register_forward_hook(3)


@needs_torch
@pytest.mark.parametrize("input_requires_grad", [True, False])
def test_full_backward_hook_matches_pytorch(input_requires_grad):
    ours = nn.Linear(3, 2)
    theirs = copy_weights(ours, tnn.Linear(3, 2))
    got = {}

    def record(lib):
        def hook(module, grad_input, grad_output):
            got[lib] = ([None if g is None else np.array(g.detach().numpy()) for g in grad_input],
                        [np.array(g.detach().numpy()) for g in grad_output])
        return hook

    ours.register_full_backward_hook(record("ours"))
    theirs.register_full_backward_hook(record("theirs"))
    x, u = rand(4, 3), rand(4, 2, seed=1)
    xt = Tensor(x, requires_grad=input_requires_grad)
    tx = torch.tensor(x, requires_grad=input_requires_grad)
    if input_requires_grad:
        (ours(xt) * Tensor(u)).sum().backward()
        (theirs(tx) * torch.tensor(u)).sum().backward()
    else:
        with pytest.warns(UserWarning):
            (ours(xt) * Tensor(u)).sum().backward()
        with pytest.warns(UserWarning):
            (theirs(tx) * torch.tensor(u)).sum().backward()
    (ours_in, ours_out), (theirs_in, theirs_out) = got["ours"], got["theirs"]
    assert len(ours_in) == len(theirs_in) == 1 and len(ours_out) == len(theirs_out) == 1
    np.testing.assert_allclose(ours_out[0], theirs_out[0])
    if input_requires_grad:
        np.testing.assert_allclose(ours_in[0], theirs_in[0])
    else:
        assert ours_in == theirs_in == [None]
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy())


def test_full_backward_hook_can_replace_grad_input():
    model = nn.Sequential(nn.Linear(3, 3), nn.Tanh())
    handle = model[1].register_full_backward_hook(lambda m, gi, go: (gi[0] * 0.0,))
    x = Tensor(rand(2, 3), requires_grad=True)
    model(x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros((2, 3)))
    assert model[0].weight.grad.numpy().sum() == 0
    handle.remove()
    x.grad = None
    model(x).sum().backward()
    assert np.abs(x.grad.numpy()).sum() > 0


def test_backward_hook_refuses_two_tracked_inputs():
    class Add(nn.Module):
        def forward(self, a, b):
            return a + b

    m = Add()
    m.register_full_backward_hook(lambda *args: None)
    a, b = Tensor(rand(2), requires_grad=True), Tensor(rand(2), requires_grad=True)
    with pytest.raises(NotImplementedError, match="Add got 2 inputs that require grad"):
        m(a, b)
    assert m(a, Tensor(rand(2))).shape == (2,)


@needs_torch
def test_named_modules_children_buffers_match_pytorch():
    ours, theirs = build(nn), build(tnn)
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert [n for n, _ in ours.named_children()] == [n for n, _ in theirs.named_children()]
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert [n for n, _ in ours.named_modules(prefix="m")] == \
        [n for n, _ in theirs.named_modules(prefix="m")]
    assert ours.get_submodule("head.0") is ours.head[0]
    assert ours.get_parameter("2.bias") is ours[2].bias
    assert ours.get_buffer("head.0.running_mean") is ours.head[0].running_mean
    with pytest.raises(AttributeError, match="has no submodule 'nope'"):
        ours.get_submodule("head.nope")
    with pytest.raises(AttributeError, match="no parameter named '1.weight'"):
        ours.get_parameter("1.weight")


@needs_torch
def test_non_persistent_buffers_stay_out_of_state_dict():
    for lib in (nn, tnn):
        m = lib.Linear(2, 2)
        m.register_buffer("scale", (Tensor if lib is nn else torch.tensor)(np.ones(2)),
                          persistent=False)
        m.register_buffer("shift", (Tensor if lib is nn else torch.tensor)(np.zeros(2)))
        assert list(m.state_dict()) == ["weight", "bias", "shift"]
        assert [n for n, _ in m.named_buffers()] == ["scale", "shift"]
        m.load_state_dict({k: (np.asarray if lib is nn else torch.tensor)(v) for k, v in
                           {"weight": np.eye(2), "bias": np.zeros(2), "shift": np.ones(2)}
                           .items()}, strict=True)
        np.testing.assert_array_equal(np.asarray(m.shift), np.ones(2))


def test_requires_grad_zero_grad_and_register_module():
    m = build(nn)
    assert m.requires_grad_(False) is m
    assert not any(p.requires_grad for p in m.parameters())
    m.requires_grad_()
    m.register_module("extra", nn.Linear(1, 1))
    assert "extra.weight" in m.state_dict()
    (m[0](Tensor(rand(2, 3))).sum()).backward()
    grad = m[0].weight.grad
    m.zero_grad(set_to_none=False)
    assert m[0].weight.grad is grad  # zeroed in place, as PyTorch does
    np.testing.assert_array_equal(grad.numpy(), np.zeros((4, 3)))
    m.zero_grad()
    assert m[0].weight.grad is None


def test_to_dtype_casts_floating_state_in_place():
    m = build(nn)
    weight = m[0].weight
    for method, dtype in (("float", np.float32), ("half", np.float16), ("double", np.float64)):
        assert getattr(m, method)() is m
        assert {p.dtype for p in m.parameters()} == {np.dtype(dtype)}
        assert m.head[0].running_mean.dtype == dtype
        assert m.head[0].num_batches_tracked.dtype == np.int64  # integer buffers stay
    assert m.to(np.float32) is m and m[0].weight is weight  # the same Parameter objects
    assert m.to("cpu", dtype=np.float64).cpu() is m and weight.dtype == np.float64
    assert m.to(Tensor(np.zeros(1, np.float32))) is m and weight.dtype == np.float32
    with pytest.raises(RuntimeError, match="device 'cuda' is not available"):
        m.to("cuda")
    with pytest.raises(RuntimeError, match="device 'cuda' is not available"):
        m.cuda()
    with pytest.raises(TypeError, match="only accepts floating point dtypes"):
        m.to(np.int64)


@needs_torch
def test_extra_repr_shapes_a_custom_module_like_pytorch():
    def custom(lib):
        class Scale(lib.Module):
            def __init__(self):
                super().__init__()
                self.inner = lib.Linear(2, 2)

            def extra_repr(self):
                return "factor=3"
        return Scale()

    assert repr(custom(nn)) == repr(custom(tnn))
    with pytest.raises(ag.ShapeError):
        nn.Unflatten(1, (4, 4))(Tensor(rand(2, 6)))
