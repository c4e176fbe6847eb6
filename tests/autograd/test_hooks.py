"""Tensor hooks and retain_grad: each hook sees a tensor's summed gradient once per backward
(leaves and non-leaves), may replace it, and can be removed; compared with PyTorch's."""

import numpy as np
import pytest

import autograd as ag


def program(lib, x_data, replace=False):
    """y = x·x used twice (two paths into y), with hooks on the leaf, y and the output."""
    x = lib.tensor(x_data, requires_grad=True)
    seen = {"x": [], "y": [], "z": []}
    x.register_hook(lambda g: seen["x"].append(g.numpy().copy()))
    y = x * x
    y.retain_grad()
    y.register_hook(lambda g: seen["y"].append(g.numpy().copy()))
    if replace:
        y.register_hook(lambda g: g * 10)
    z = (y * 3 + y.exp()).sum()
    z.register_hook(lambda g: seen["z"].append(g.numpy().copy()))
    z.backward()
    return x, y, seen


def test_hooks_see_the_summed_gradient_once():
    x, y, seen = program(ag, [1.0, 2.0])
    expected_y = 3 + np.exp(np.array([1.0, 4.0], dtype=np.float32))
    assert len(seen["y"]) == 1 and len(seen["x"]) == 1 and len(seen["z"]) == 1
    np.testing.assert_allclose(seen["y"][0], expected_y, rtol=1e-6)
    np.testing.assert_allclose(seen["x"][0], expected_y * 2 * np.array([1.0, 2.0]), rtol=1e-6)
    np.testing.assert_allclose(y.grad.numpy(), expected_y, rtol=1e-6)  # retained
    assert y.retains_grad and not x.retains_grad


def test_a_returned_gradient_replaces_it():
    x, y, seen = program(ag, [1.0, 2.0], replace=True)
    expected_y = 3 + np.exp(np.array([1.0, 4.0], dtype=np.float32))
    np.testing.assert_allclose(y.grad.numpy(), 10 * expected_y, rtol=1e-6)  # retain runs last
    np.testing.assert_allclose(x.grad.numpy(), 10 * expected_y * 2 * np.array([1.0, 2.0]),
                               rtol=1e-6)


@pytest.mark.parametrize("replace", [False, True])
def test_hooks_match_torch(replace):
    torch = pytest.importorskip("torch")
    ours = program(ag, [1.0, -0.5, 2.0], replace)
    theirs = program(torch, [1.0, -0.5, 2.0], replace)
    for a, b in zip(ours[:2], theirs[:2]):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-6)
    for key in ("x", "y", "z"):
        assert len(ours[2][key]) == len(theirs[2][key])
        np.testing.assert_allclose(ours[2][key], theirs[2][key], rtol=1e-6)


def test_leaf_hook_replaces_what_accumulates():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: g * 0 + 7)
    (x * x).sum().backward()
    (x * x).sum().backward()
    assert x.grad.tolist() == [14.0, 14.0]  # 7 per backward, accumulated


def test_remove_and_context_manager():
    x = ag.tensor([1.0], requires_grad=True)
    calls = []
    handle = x.register_hook(lambda g: calls.append(1))
    (x * 2).sum().backward()
    handle.remove()
    handle.remove()  # twice is harmless
    (x * 2).sum().backward()
    with x.register_hook(lambda g: calls.append(2)):
        (x * 2).sum().backward()
    (x * 2).sum().backward()
    assert calls == [1, 2]


def test_hooks_under_grad_and_create_graph():
    x = ag.tensor([3.0], requires_grad=True)
    y = x * x
    y.register_hook(lambda g: g * 2)
    (g,) = ag.grad(y.sum(), x, create_graph=True)
    assert g.tolist() == [12.0] and g.requires_grad  # 2·(2x)
    (gg,) = ag.grad(g.sum(), x)
    assert gg.tolist() == [4.0]


def test_retain_grad_accumulates_and_keeps_graph_under_create_graph():
    x = ag.tensor([2.0], requires_grad=True)
    y = x * 3
    y.retain_grad()
    (y * y).sum().backward(retain_graph=True)
    (y * y).sum().backward()
    assert y.grad.tolist() == [24.0]
    z = x * 5
    z.retain_grad()
    (z * z).sum().backward(create_graph=True)
    assert z.grad.requires_grad
    x.retain_grad()  # a leaf: keeps .grad anyway, nothing to do
    assert not x.retains_grad


def test_hook_errors():
    x = ag.tensor([1.0])
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        x.register_hook(lambda g: g)
    with pytest.raises(RuntimeError, match="requires_grad=False"):
        x.retain_grad()
    x.requires_grad_()
    with pytest.raises(TypeError, match="callable"):
        x.register_hook(3)
    x.register_hook(lambda g: ag.zeros(2))
    with pytest.raises(RuntimeError, match=r"shape \(2,\) for a tensor of shape \(1,\)"):
        (x * 2).sum().backward()
