"""Higher derivatives against closed forms: repeated ag.grad(create_graph=True), hessian,
Hessian-vector products (reverse-over-reverse and forward-over-reverse), and jacobian in both
modes."""

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor

X = np.array([-1.3, -0.2, 0.4, 1.7])


def derivatives(f, x0, order):
    """[f', f'', ..., f^(order)] at x0 (elementwise), by repeated ag.grad(create_graph=True)."""
    x = Tensor(x0.copy(), requires_grad=True)
    y, out = f(x), []
    for _ in range(order):
        (y,) = ag.grad(y.sum(), x, create_graph=True)
        out.append(y.numpy().copy())
    return out


def tanh_derivs(x):
    t = np.tanh(x)
    return [1 - t**2, -2 * t * (1 - t**2), (1 - t**2) * (6 * t**2 - 2)]


@pytest.mark.parametrize("name, f, closed", [
    ("x**3", lambda x: x ** 3, lambda x: [3 * x**2, 6 * x, np.full_like(x, 6.0)]),
    ("sin", lambda x: x.sin(), lambda x: [np.cos(x), -np.sin(x), -np.cos(x)]),
    ("exp", lambda x: x.exp(), lambda x: [np.exp(x)] * 3),
    ("tanh", lambda x: x.tanh(), tanh_derivs),
    ("sigmoid", lambda x: x.sigmoid(), lambda x: [
        s * (1 - s), s * (1 - s) * (1 - 2 * s), s * (1 - s) * (1 - 6 * s + 6 * s**2)]
        if (s := 1 / (1 + np.exp(-x))) is not None else None),
    ("log", lambda x: (x * x + 1.0).log(), lambda x: [
        2 * x / (1 + x**2), (2 - 2 * x**2) / (1 + x**2) ** 2,
        (4 * x**3 - 12 * x) / (1 + x**2) ** 3]),
])
def test_first_second_third_derivatives(name, f, closed):
    got = derivatives(f, X, 3)
    for k, (g, want) in enumerate(zip(got, closed(X)), start=1):
        np.testing.assert_allclose(g, want, rtol=1e-12, atol=1e-12,
                                   err_msg=f"{name}: derivative {k}")


def test_fourth_derivative_of_x_cubed_is_zero_and_then_not_differentiable_further():
    x = Tensor(X.copy(), requires_grad=True)
    (d1,) = ag.grad((x ** 3).sum(), x, create_graph=True)
    (d2,) = ag.grad(d1.sum(), x, create_graph=True)
    (d3,) = ag.grad(d2.sum(), x, create_graph=True)
    np.testing.assert_allclose(d3.numpy(), 6.0)
    if d3.requires_grad:  # a constant may still hang off the graph; its derivative is 0
        (d4,) = ag.grad(d3.sum(), x)
        np.testing.assert_allclose(d4.numpy(), 0.0, atol=1e-12)


def test_backward_with_create_graph_makes_grad_differentiable():
    x = Tensor(np.array([0.5, -1.0]), requires_grad=True)
    (x ** 3).sum().backward(create_graph=True)
    g = x.grad
    assert g.requires_grad and g.grad_fn is not None
    np.testing.assert_allclose(g.numpy(), 3 * x.numpy()**2)
    (h,) = ag.grad(g.sum(), x)
    np.testing.assert_allclose(h.numpy(), 6 * x.numpy())


def test_mixed_partials_are_symmetric():
    x = Tensor(np.array(0.7), requires_grad=True)
    y = Tensor(np.array(-1.1), requires_grad=True)
    f = (x * x * y).sin()
    gx, gy = ag.grad(f, [x, y], create_graph=True)
    (gxy,) = ag.grad(gx, y, retain_graph=True)  # gx and gy share most of their graph
    (gyx,) = ag.grad(gy, x)
    a, b = 0.7, -1.1
    u = a * a * b
    want = 2 * a * np.cos(u) - 2 * a**3 * b * np.sin(u)  # d/dy (2ab cos(a²b))
    assert gxy.item() == pytest.approx(want, rel=1e-12)
    assert gyx.item() == pytest.approx(want, rel=1e-12)


# --- hessian ---------------------------------------------------------------------------------
A = np.array([[2.0, -1.0, 0.5], [0.3, 1.0, 4.0], [-2.0, 0.0, 3.0]])  # not symmetric


def quadratic(x):
    return x @ (Tensor(A) @ x)


def test_hessian_of_a_quadratic_form_is_a_plus_a_transpose():
    x = Tensor(np.array([0.2, -0.7, 1.5]))
    h = ag.hessian(quadratic, x)
    assert h.shape == (3, 3)
    np.testing.assert_allclose(h.numpy(), A + A.T, rtol=1e-12)


def test_hessian_of_logsumexp_is_diag_p_minus_p_p_transpose():
    x = Tensor(np.array([0.1, -2.0, 1.3, 0.4]))
    p = np.exp(x.numpy()) / np.exp(x.numpy()).sum()
    h = ag.hessian(lambda x: x.logsumexp(), x)
    np.testing.assert_allclose(h.numpy(), np.diag(p) - np.outer(p, p), rtol=1e-10, atol=1e-14)


def test_hessian_has_shape_x_shape_twice():
    x0 = np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.2]])
    h = ag.hessian(lambda x: (x ** 3).sum(), Tensor(x0))
    assert h.shape == (2, 3, 2, 3)
    want = np.diag(6 * x0.ravel()).reshape(2, 3, 2, 3)
    np.testing.assert_allclose(h.numpy(), want, rtol=1e-12)


def test_hessian_of_a_linear_function_is_zero():
    h = ag.hessian(lambda x: (x * Tensor(np.array([1.0, 2.0]))).sum(), Tensor(np.ones(2)))
    np.testing.assert_array_equal(h.numpy(), np.zeros((2, 2)))


def test_hessian_of_a_non_scalar_function_is_an_error():
    with pytest.raises(ValueError, match="scalar"):
        ag.hessian(lambda x: x * x, Tensor(np.ones(2)))


# --- Hessian-vector products ------------------------------------------------------------------
V = np.array([1.0, -2.0, 0.5])


def hvp_reverse_over_reverse(f, x0, v):
    x = Tensor(x0.copy(), requires_grad=True)
    (g,) = ag.grad(f(x), x, create_graph=True)
    (hv,) = ag.grad((g * Tensor(v)).sum(), x)
    return hv.numpy()


def hvp_forward_over_reverse(f, x0, v):
    def gradient(x):
        return ag.grad(f(x), x, create_graph=True)[0]

    _, hv = ag.jvp(gradient, Tensor(x0.copy(), requires_grad=True), Tensor(v))
    return hv.numpy()


@pytest.mark.parametrize("hvp", [hvp_reverse_over_reverse, hvp_forward_over_reverse])
def test_hvp_of_a_quadratic_form(hvp):
    x0 = np.array([0.2, -0.7, 1.5])
    np.testing.assert_allclose(hvp(quadratic, x0, V), (A + A.T) @ V, rtol=1e-12)


@pytest.mark.parametrize("hvp", [hvp_reverse_over_reverse, hvp_forward_over_reverse])
def test_hvp_of_logsumexp(hvp):
    x0 = np.array([0.3, 1.0, -0.5])
    p = np.exp(x0) / np.exp(x0).sum()
    want = (np.diag(p) - np.outer(p, p)) @ V
    np.testing.assert_allclose(hvp(lambda x: x.logsumexp(), x0, V), want, rtol=1e-10)


def test_forward_over_reverse_equals_reverse_over_reverse_on_a_small_network():
    w0 = np.array([[0.5, -0.3], [0.8, 0.1], [-0.6, 0.9]])
    data = Tensor(np.array([[1.0, 2.0, -1.0], [0.5, -0.5, 0.2]]))

    def loss(w):
        return ((data @ w).tanh() ** 2).mean() + (w * w).sum() * 0.1

    v = np.random.default_rng(3).standard_normal(w0.shape)
    fwd = hvp_forward_over_reverse(loss, w0, v)
    rev = hvp_reverse_over_reverse(loss, w0, v)
    np.testing.assert_allclose(fwd, rev, rtol=1e-10, atol=1e-14)
    full = ag.hessian(loss, Tensor(w0)).numpy().reshape(6, 6)
    np.testing.assert_allclose(rev.ravel(), full @ v.ravel(), rtol=1e-10, atol=1e-14)


# --- jacobian ---------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_jacobian_of_softmax(mode):
    x = Tensor(np.array([0.5, -1.0, 2.0, 0.0]))
    p = np.exp(x.numpy()) / np.exp(x.numpy()).sum()
    j = ag.jacobian(lambda x: x.softmax(), x, mode=mode)
    assert j.shape == (4, 4)
    np.testing.assert_allclose(j.numpy(), np.diag(p) - np.outer(p, p), rtol=1e-10, atol=1e-15)


def test_jacobian_modes_agree_and_have_shape_out_plus_in():
    w = np.array([[1.0, -2.0, 0.5, 3.0], [0.2, 0.0, -1.0, 1.5], [2.0, 1.0, 1.0, -0.5]])
    x0 = np.array([[0.3, -0.1, 0.8], [1.0, 0.5, -2.0]])

    def f(x):
        return x @ Tensor(w)  # (2, 3) @ (3, 4) -> (2, 4)

    jr = ag.jacobian(f, Tensor(x0), mode="reverse")
    jf = ag.jacobian(f, Tensor(x0), mode="forward")
    assert jr.shape == jf.shape == (2, 4, 2, 3)
    want = np.einsum("ik,jl->ijkl", np.eye(2), w.T)  # d out[i, j] / d x[k, l] = δik w[l, j]
    np.testing.assert_allclose(jr.numpy(), want, rtol=1e-12)
    np.testing.assert_allclose(jf.numpy(), want, rtol=1e-12)


def test_jacobian_of_an_elementwise_nonlinear_map():
    x0 = np.array([0.1, -0.5, 1.2])
    for mode in ("reverse", "forward"):
        j = ag.jacobian(lambda x: x.sin() * x, Tensor(x0), mode=mode)
        np.testing.assert_allclose(j.numpy(), np.diag(np.cos(x0) * x0 + np.sin(x0)), rtol=1e-12)


def test_jacobian_of_a_scalar_function_is_the_gradient():
    x0 = np.array([0.4, -0.9])
    for mode in ("reverse", "forward"):
        j = ag.jacobian(lambda x: (x ** 2).sum(), Tensor(x0), mode=mode)
        assert j.shape == (2,)
        np.testing.assert_allclose(j.numpy(), 2 * x0)


def test_jacobian_of_a_constant_function_is_zero():
    for mode in ("reverse", "forward"):
        j = ag.jacobian(lambda x: Tensor(np.ones(3)), Tensor(np.ones(2)), mode=mode)
        assert j.shape == (3, 2)
        np.testing.assert_array_equal(j.numpy(), 0.0)


def test_jacobian_rejects_an_unknown_mode():
    with pytest.raises(ValueError, match="mode"):
        ag.jacobian(lambda x: x, Tensor(np.ones(2)), mode="sideways")


# --- jvp / vjp calling conventions --------------------------------------------------------------
def test_jvp_and_vjp_with_a_single_tensor_return_single_tensors():
    x = Tensor(np.array([1.0, 2.0]))
    out, t = ag.jvp(lambda x: x * x, x, Tensor(np.array([1.0, 0.5])))
    assert isinstance(t, Tensor)
    np.testing.assert_allclose(out.numpy(), [1.0, 4.0])
    np.testing.assert_allclose(t.numpy(), [2.0, 2.0])
    out, g = ag.vjp(lambda x: x * x, x, Tensor(np.array([1.0, 0.5])))
    assert isinstance(g, Tensor)
    np.testing.assert_allclose(g.numpy(), [2.0, 2.0])
    assert x.grad is None and not x.requires_grad and x.tangent is None


def test_jvp_and_vjp_with_tuples_return_one_result_per_primal():
    a, b = Tensor(np.array([1.0, 2.0])), Tensor(np.array([3.0, -1.0]))
    out, t = ag.jvp(lambda a, b: a * b, (a, b), (Tensor(np.ones(2)), Tensor(np.zeros(2))))
    np.testing.assert_allclose(t.numpy(), b.numpy())
    out, (ga, gb) = ag.vjp(lambda a, b: a * b, (a, b), Tensor(np.ones(2)))
    np.testing.assert_allclose(ga.numpy(), b.numpy())
    np.testing.assert_allclose(gb.numpy(), a.numpy())
    out, grads = ag.vjp(lambda a: a * 2.0, (a,), Tensor(np.ones(2)))
    assert isinstance(grads, tuple) and len(grads) == 1


def test_jvp_needs_one_tangent_per_primal_of_the_same_shape():
    x = Tensor(np.ones(3))
    with pytest.raises(ValueError, match=r"\(2,\)"):
        ag.jvp(lambda x: x * 2.0, x, Tensor(np.ones(2)))
    with pytest.raises(ValueError, match="tangent"):
        ag.jvp(lambda a, b: a * b, (x, x), (Tensor(np.ones(3)),))


def test_primals_that_require_grad_keep_working_in_jvp():
    x = Tensor(np.array([0.5, 1.5]), requires_grad=True)
    out, t = ag.jvp(lambda x: x.exp(), x, Tensor(np.array([1.0, 2.0])))
    np.testing.assert_allclose(t.numpy(), np.exp(x.numpy()) * [1.0, 2.0])
    assert x.tangent is None  # the caller's tensor never carries a tangent
    out.sum().backward()  # the value is still differentiable through the graph
    np.testing.assert_allclose(x.grad.numpy(), np.exp(x.numpy()))


def test_jvp_and_vjp_call_f_exactly_once():
    calls = []

    def f(x):
        calls.append(1)
        return (x * x).sin()

    x = Tensor(np.array([0.5, 1.0, 2.0]))
    _, t = ag.jvp(f, x, Tensor(np.array([1.0, 0.0, 2.0])))
    assert len(calls) == 1  # ONE forward pass carries the tangents
    np.testing.assert_allclose(t.numpy(), np.cos(x.numpy()**2) * 2 * x.numpy() * [1.0, 0.0, 2.0])
    _, g = ag.vjp(f, x, Tensor(np.ones(3)))
    assert len(calls) == 2
    np.testing.assert_allclose(g.numpy(), np.cos(x.numpy()**2) * 2 * x.numpy())
