"""Module and Parameter: discovery, modes, gradients, state_dict/load_state_dict and repr."""

import copy

import numpy as np
import pytest

import autograd as ag
import nn
from autograd import Tensor


class Net(nn.Module):
    """A model that uses every way of holding layers: attributes, a list, a dict, a
    ModuleList, a bare Parameter and a buffer."""

    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(np.ones(1))
        self.encoder = nn.Sequential(nn.Linear(2, 4), nn.ReLU())
        self.blocks = [nn.Linear(4, 4), nn.Tanh(), nn.Linear(4, 4)]
        self.heads = {"a": nn.Linear(4, 1), "b": nn.Linear(4, 2, bias=False)}
        self.extra = nn.ModuleList([nn.BatchNorm1d(4)])
        self.register_buffer("steps", np.zeros(2))
        self.not_a_param = Tensor(np.ones(3), requires_grad=True)  # plain Tensors are ignored

    def forward(self, x):
        h = self.encoder(x)
        for block in self.blocks:
            h = block(h)
        h = self.extra[0](h)
        return self.heads["a"](h) * self.scale, self.heads["b"](h)


EXPECTED_KEYS = [
    "scale", "steps",
    "encoder.0.weight", "encoder.0.bias",
    "blocks.0.weight", "blocks.0.bias", "blocks.2.weight", "blocks.2.bias",
    "heads.a.weight", "heads.a.bias", "heads.b.weight",
    "extra.0.weight", "extra.0.bias", "extra.0.running_mean", "extra.0.running_var",
    "extra.0.num_batches_tracked",
]


def test_parameter_requires_grad_and_follows_default_dtype():
    p = nn.Parameter(np.zeros((2, 3)))  # float64 data, float32 default
    assert p.requires_grad and p.is_leaf and p.dtype == np.float32
    assert isinstance(p, Tensor) and repr(p).startswith("Parameter containing:\nTensor(")
    assert nn.Parameter(Tensor([1.0, 2.0])).dtype == np.float32
    assert nn.Parameter([1, 2]).dtype == np.float32
    assert not nn.Parameter(np.zeros(2), requires_grad=False).requires_grad
    previous = ag.get_default_dtype()
    try:
        ag.set_default_dtype(np.float64)
        assert nn.Parameter(np.zeros(2, dtype=np.float32)).dtype == np.float64
        assert nn.Linear(2, 3).weight.dtype == np.float64
    finally:
        ag.set_default_dtype(previous)
    with pytest.raises(TypeError, match="floating-point"):
        nn.Parameter(np.arange(3))
    y = nn.Parameter(np.ones(2)) * 2  # ops on parameters give plain tensors
    assert type(y) is Tensor and y.grad_fn is not None


def test_named_parameters_discovers_attributes_containers_in_order():
    net = Net()
    names = [n for n, _ in net.named_parameters()]
    assert names == [k for k in EXPECTED_KEYS if "running" not in k and "num_batches" not in k
                     and k != "steps"]
    assert len(list(net.parameters())) == len(names)
    assert all(isinstance(p, nn.Parameter) for p in net.parameters())
    assert [n for n, _ in net.named_buffers()] == [
        "steps", "extra.0.running_mean", "extra.0.running_var", "extra.0.num_batches_tracked"]
    assert [n for n, _ in net.named_children()] == [
        "encoder", "blocks.0", "blocks.1", "blocks.2", "heads.a", "heads.b", "extra"]
    assert [n for n, _ in net.named_modules()] == [
        "", "encoder", "encoder.0", "encoder.1", "blocks.0", "blocks.1", "blocks.2", "heads.a",
        "heads.b", "extra", "extra.0"]
    assert len(list(net.modules())) == 11 and len(list(net.children())) == 7
    assert [n for n, _ in net.named_parameters(recurse=False)] == ["scale"]


def test_shared_parameters_are_listed_once():
    layer = nn.Linear(3, 3)
    model = nn.Sequential(layer, nn.ReLU(), layer)
    assert len(list(model.parameters())) == 2
    assert list(model.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]  # as torch
    assert len(list(model.modules())) == 3


def test_train_eval_propagate_and_return_self():
    net = Net()
    assert net.training and all(m.training for m in net.modules())
    assert net.eval() is net
    assert not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())
    with pytest.raises(TypeError, match="bool"):
        net.train("no")


def test_zero_grad_and_gradients_flow_to_every_parameter():
    net = Net()
    a, b = net(Tensor(np.random.default_rng(0).standard_normal((5, 2)).astype(np.float32)))
    (a.sum() + (b * b).sum()).backward()
    assert all(p.grad is not None and p.grad.shape == p.shape for p in net.parameters())
    net.zero_grad(set_to_none=False)
    assert all(p.grad is not None and not p.grad.numpy().any() for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_state_dict_keys_shapes_and_copies():
    net = Net()
    state = net.state_dict()
    assert list(state) == EXPECTED_KEYS
    assert all(isinstance(v, np.ndarray) for v in state.values())
    assert state["heads.b.weight"].shape == (2, 4) and state["encoder.0.bias"].shape == (4,)
    assert state["extra.0.num_batches_tracked"].dtype == np.int64
    state["encoder.0.weight"][...] = 7  # a copy: the model is untouched
    assert not (net.encoder[0].weight.numpy() == 7).any()
    kept = net.state_dict(keep_vars=True)
    assert kept["encoder.0.weight"] is net.encoder[0].weight


def test_load_state_dict_round_trip_with_arrays_and_tensors():
    src, dst = Net(), Net()
    nn.init.normal_(src.encoder[0].weight)
    src.extra[0].running_mean[...] = 3.0
    state = src.state_dict()
    state["encoder.0.bias"] = Tensor(state["encoder.0.bias"])  # Tensors are accepted too
    state["heads.a.bias"] = state["heads.a.bias"].astype(np.float64)  # and cast to the param
    weight_before = dst.encoder[0].weight
    result = dst.load_state_dict(state)
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert dst.encoder[0].weight is weight_before  # copied in place: optimizers keep working
    for key, value in dst.state_dict().items():
        np.testing.assert_array_equal(value, np.asarray(state[key]), err_msg=key)
    assert dst.heads["a"].bias.dtype == np.float32


def test_load_state_dict_strict_names_every_problem_at_once():
    model = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    state = model.state_dict()
    del state["0.bias"], state["1.running_var"]
    state["0.weight"] = np.zeros((3, 5))
    state["2.weight"] = np.zeros(1)
    before = model[0].weight.numpy().copy()
    with pytest.raises(nn.StateDictError) as info:
        model.load_state_dict(state)
    message = str(info.value)
    for piece in ['Missing key(s) in state_dict: "0.bias", "1.running_var"',
                  'Unexpected key(s) in state_dict: "2.weight"',
                  "size mismatch for 0.weight", "(3, 5)", "(3, 2)", "Sequential"]:
        assert piece in message, (piece, message)
    assert isinstance(info.value, RuntimeError) and isinstance(info.value, ValueError)
    np.testing.assert_array_equal(model[0].weight.numpy(), before)  # nothing was copied


def test_load_state_dict_non_strict_reports_missing_and_unexpected():
    model = nn.Linear(2, 3)
    state = {"weight": np.ones((3, 2)), "extra": np.ones(1)}
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert missing == ["bias"] and unexpected == ["extra"]
    np.testing.assert_array_equal(model.weight.numpy(), np.ones((3, 2)))
    with pytest.raises(nn.StateDictError, match="size mismatch for weight"):
        model.load_state_dict({"weight": np.ones((2, 2))}, strict=False)


def test_buffers_persistent_and_not():
    m = nn.Module()
    m.register_buffer("saved", np.arange(3.0))
    m.register_buffer("scratch", np.zeros(2), persistent=False)
    m.register_buffer("empty", None)
    assert list(m.state_dict()) == ["saved"]
    assert isinstance(m.saved, Tensor) and not m.saved.requires_grad
    assert [n for n, _ in m.named_buffers()] == ["saved", "scratch"]
    m.saved = np.ones(3)  # assigning to a buffer keeps it a buffer (as a Tensor)
    assert isinstance(m.saved, Tensor) and list(m.state_dict()) == ["saved"]
    with pytest.raises(KeyError):
        m.register_buffer("a.b", np.zeros(1))


def test_assigning_a_plain_tensor_over_a_parameter_is_refused():
    layer = nn.Linear(2, 2)
    with pytest.raises(TypeError, match="parameter 'weight'"):
        layer.weight = Tensor(np.zeros((2, 2)))
    layer.bias = None  # None is allowed, as in PyTorch
    assert list(layer.state_dict()) == ["weight"]


def test_sequential_indexing_len_iteration_append():
    a, b, c = nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)
    seq = nn.Sequential(a, b)
    assert len(seq) == 2 and seq[0] is a and seq[-1] is b and list(seq) == [a, b]
    seq.append(c)
    assert seq[2] is c and len(seq) == 3
    tail = seq[1:]
    assert isinstance(tail, nn.Sequential) and list(tail) == [b, c]
    assert list(tail.state_dict()) == ["2.weight", "2.bias"]  # names kept, as in PyTorch
    with pytest.raises(IndexError):
        seq[3]
    with pytest.raises(TypeError, match="not a Module"):
        nn.Sequential(nn.ReLU(), "relu")
    x = Tensor(np.ones((4, 2), dtype=np.float32))
    np.testing.assert_allclose(seq(x).numpy(), c(b(a(x))).numpy())
    named = nn.Sequential({"fc": nn.Linear(2, 2), "act": nn.ReLU()})
    assert list(named.state_dict()) == ["fc.weight", "fc.bias"]


def test_module_list_and_dict():
    ml = nn.ModuleList([nn.Linear(1, 1)]).extend([nn.Linear(1, 2)])
    assert len(ml) == 2 and ml[1].out_features == 2
    md = nn.ModuleDict({"x": nn.Linear(1, 1)})
    md["y"] = nn.ReLU()
    assert md.keys() == ["x", "y"] and "y" in md and len(md) == 2
    with pytest.raises(KeyError):
        md["z"]
    with pytest.raises(KeyError, match="clashing"):
        md["train"] = nn.ReLU()


def test_repr_matches_pytorch_layout():
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2))
    assert repr(model) == (
        "Sequential(\n"
        "  (0): Linear(in_features=2, out_features=16, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Linear(in_features=16, out_features=2, bias=True)\n"
        ")")
    assert repr(Net()) == (
        "Net(\n"
        "  (encoder): Sequential(\n"
        "    (0): Linear(in_features=2, out_features=4, bias=True)\n"
        "    (1): ReLU()\n"
        "  )\n"
        "  (blocks): ModuleList(\n"
        "    (0): Linear(in_features=4, out_features=4, bias=True)\n"
        "    (1): Tanh()\n"
        "    (2): Linear(in_features=4, out_features=4, bias=True)\n"
        "  )\n"
        "  (heads): ModuleDict(\n"
        "    (a): Linear(in_features=4, out_features=1, bias=True)\n"
        "    (b): Linear(in_features=4, out_features=2, bias=False)\n"
        "  )\n"
        "  (extra): ModuleList(\n"
        "    (0): BatchNorm1d(4, eps=1e-05, momentum=0.1, affine=True, "
        "track_running_stats=True)\n"
        "  )\n"
        ")")


def test_forward_must_be_written_and_call_dispatches():
    with pytest.raises(NotImplementedError, match="Module: forward"):
        nn.Module()(1)

    class Double(nn.Module):
        def forward(self, x, times=2):
            return x * times

    assert Double()(3, times=4) == 12


def test_deepcopy_apply_and_requires_grad():
    model = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    clone = copy.deepcopy(model)
    clone[0].weight.numpy()[...] = 0
    assert model[0].weight.numpy().any()
    assert isinstance(clone[0].weight, nn.Parameter) and clone[0].weight.requires_grad
    seen = []
    model.apply(lambda m: seen.append(type(m).__name__))
    assert seen == ["Linear", "ReLU", "Sequential"]
    model.requires_grad_(False)
    assert not any(p.requires_grad for p in model.parameters())
