"""`autograd.func`: torch.func's transforms (grad, grad_and_value, vjp, jvp, jacrev, jacfwd,
hessian), nested as well as alone, against torch.func where it is installed and closed forms."""

import numpy as np
import pytest

import autograd as ag
from autograd import func


def f(x):
    return (x.sin() * x).sum()


def x2():
    return ag.tensor([1.0, 2.0], dtype=ag.float64)


def test_closed_forms():
    x = x2()
    v = x.numpy()
    np.testing.assert_allclose(func.grad(f)(x).numpy(), np.sin(v) + v * np.cos(v))
    g, value = func.grad_and_value(f)(x)
    assert value.item() == pytest.approx(np.sum(np.sin(v) * v)) and not g.requires_grad
    np.testing.assert_allclose(func.jacrev(ag.sin)(x).numpy(), np.diag(np.cos(v)))
    np.testing.assert_allclose(func.jacfwd(ag.sin)(x).numpy(), np.diag(np.cos(v)))
    np.testing.assert_allclose(func.hessian(f)(x).numpy(),
                               np.diag(2 * np.cos(v) - v * np.sin(v)), atol=1e-12)
    third = func.grad(lambda y: func.grad(lambda z: (z * z * z).sum())(y).sum())(x)
    np.testing.assert_allclose(third.numpy(), 6 * v)  # nesting: d/dx Σ 3x² = 6x


def test_argnums_aux_vjp_jvp():
    x = x2()
    ga, gb = func.grad(lambda a, b: (a * b).sum(), argnums=(0, 1))(x, x * 2)
    assert ga.tolist() == [2.0, 4.0] and gb.tolist() == [1.0, 2.0]
    g, aux = func.grad(lambda a: ((a * a).sum(), a.mean()), has_aux=True)(x)
    assert g.tolist() == [2.0, 4.0] and aux.item() == 1.5 and not aux.requires_grad
    out, vjp_fn = func.vjp(ag.sin, x)
    (gx,) = vjp_fn(ag.ones(2, dtype=ag.float64))
    np.testing.assert_allclose(gx.numpy(), np.cos(x.numpy()))
    _, t = func.jvp(ag.sin, (x,), (ag.ones(2, dtype=ag.float64),))
    np.testing.assert_allclose(t.numpy(), np.cos(x.numpy()))
    with pytest.raises(NotImplementedError, match="vmap"):
        func.vmap(ag.sin)
    with pytest.raises(RuntimeError, match="one element"):
        func.grad(ag.sin)(x)
    with pytest.raises(ValueError, match="argnums 3"):
        func.grad(f, argnums=3)(x)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # torch.func's own, about torch.jit
def test_same_as_torch_func():
    torch = pytest.importorskip("torch")
    tf = torch.func
    v = np.array([0.5, -1.0, 2.0])
    for name in ("grad", "jacrev", "jacfwd", "hessian"):
        fn = f if name in ("grad", "hessian") else (lambda x: x.exp() * x.sin())
        ours = getattr(func, name)(fn)(ag.tensor(v))
        theirs = getattr(tf, name)(fn)(torch.tensor(v))
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-10, atol=1e-12)


def forward_ad_program(lib):
    fwAD = lib.autograd.forward_ad
    x = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64)
    with fwAD.dual_level():
        dual = fwAD.make_dual(x, lib.ones(3, dtype=lib.float64))
        out = (dual.exp() * dual).sum() * dual
        primal, tangent = fwAD.unpack_dual(out)
    return primal, tangent


def test_forward_ad_dual_numbers():
    primal, tangent = forward_ad_program(ag)
    v = np.array([0.5, -1.0, 2.0])
    s = np.sum(np.exp(v) * v)
    np.testing.assert_allclose(primal.numpy(), s * v)
    np.testing.assert_allclose(tangent.numpy(), np.sum(np.exp(v) * (v + 1)) * v + s)
    assert ag.autograd.forward_ad.unpack_dual(ag.ones(2)).tangent is None
    with pytest.raises(RuntimeError, match="nested"):
        with ag.autograd.forward_ad.dual_level(), ag.autograd.forward_ad.dual_level():
            pass
    torch = pytest.importorskip("torch")
    for ours, theirs in zip(forward_ad_program(ag), forward_ad_program(torch)):
        np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-12)
