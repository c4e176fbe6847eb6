"""Broadcasting properties, with hypothesis drawing the shapes: for every elementwise binary op
the gradient of an input has that input's shape and equals the gradient of the explicitly
broadcast input summed back over the broadcast axes. Matmul's batch axes likewise."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import mutually_broadcastable_shapes

import autograd as ag
from autograd import Tensor

SETTINGS = settings(max_examples=40, deadline=None)
SEEDS = st.integers(0, 2**32 - 1)


def real(rng, shape):
    return rng.standard_normal(shape)


def positive(rng, shape):
    return rng.uniform(0.5, 2.0, shape)


def even(rng, shape):  # even integers and odd integers never tie: max/min stay smooth
    return 2.0 * rng.integers(-4, 5, shape)


def odd(rng, shape):
    return 2.0 * rng.integers(-4, 5, shape) + 1.0


def cond_for(shape):
    return (np.arange(int(np.prod(shape))).reshape(shape) % 3) == 0 if shape else np.bool_(True)


BINARY = {
    "add": (lambda a, b: a + b, real, real),
    "subtract": (lambda a, b: a - b, real, real),
    "multiply": (lambda a, b: a * b, real, real),
    "divide": (lambda a, b: a / b, real, positive),
    "power": (lambda a, b: a ** b, positive, real),
    "maximum": (ag.maximum, even, odd),
    "minimum": (lambda a, b: a.minimum(b), odd, even),
    "where": (lambda a, b: ag.where(cond_for(np.broadcast_shapes(a.shape, b.shape)), a, b),
              real, real),
}


def sum_to(g, shape):
    """NumPy's answer: sum g over the axes broadcasting added or stretched, giving `shape`."""
    lead = g.ndim - len(shape)
    g = g.sum(axis=tuple(range(lead)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    return g.sum(axis=stretched, keepdims=True).reshape(shape)


@pytest.mark.parametrize("name", sorted(BINARY))
@SETTINGS
@given(shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=3),
       seed=SEEDS)
def test_gradient_of_a_broadcast_input_is_the_summed_broadcast_gradient(name, shapes, seed):
    fn, draw_a, draw_b = BINARY[name]
    (shape_a, shape_b), shape = shapes.input_shapes, shapes.result_shape
    rng = np.random.default_rng(seed)
    a0, b0, g = draw_a(rng, shape_a), draw_b(rng, shape_b), rng.standard_normal(shape)

    a, b = Tensor(a0, requires_grad=True), Tensor(b0, requires_grad=True)
    out = fn(a, b)
    assert out.shape == shape
    out.backward(Tensor(g))
    assert a.grad.shape == shape_a and b.grad.shape == shape_b

    full_a = Tensor(np.broadcast_to(a0, shape).copy(), requires_grad=True)
    full_b = Tensor(np.broadcast_to(b0, shape).copy(), requires_grad=True)
    full = fn(full_a, full_b)
    np.testing.assert_allclose(out.numpy(), full.numpy(), rtol=1e-12)
    full.backward(Tensor(g))
    np.testing.assert_allclose(a.grad.numpy(), sum_to(full_a.grad.numpy(), shape_a), rtol=1e-10,
                               atol=1e-12, err_msg=f"{name}: gradient of a {shape_a} -> {shape}")
    np.testing.assert_allclose(b.grad.numpy(), sum_to(full_b.grad.numpy(), shape_b), rtol=1e-10,
                               atol=1e-12, err_msg=f"{name}: gradient of b {shape_b} -> {shape}")


@pytest.mark.parametrize("name", ["add", "multiply", "maximum"])
@SETTINGS
@given(shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3),
       seed=SEEDS)
def test_forward_mode_through_broadcasting(name, shapes, seed):
    """jvp of a broadcast op equals the jvp with the inputs (and tangents) broadcast first."""
    fn, draw_a, draw_b = BINARY[name]
    (shape_a, shape_b), shape = shapes.input_shapes, shapes.result_shape
    rng = np.random.default_rng(seed)
    a0, b0 = draw_a(rng, shape_a), draw_b(rng, shape_b)
    da, db = rng.standard_normal(shape_a), rng.standard_normal(shape_b)
    _, t = ag.jvp(fn, (Tensor(a0), Tensor(b0)), (Tensor(da), Tensor(db)))
    assert t.shape == shape

    def wide(x):
        return Tensor(np.broadcast_to(x, shape).copy())

    _, want = ag.jvp(fn, (wide(a0), wide(b0)), (wide(da), wide(db)))
    np.testing.assert_allclose(t.numpy(), want.numpy(), rtol=1e-12)


@SETTINGS
@given(shapes=mutually_broadcastable_shapes(signature=np.matmul.signature, max_dims=3,
                                            max_side=3),
       seed=SEEDS)
def test_matmul_gradients_over_broadcast_batch_axes(shapes, seed):
    (shape_a, shape_b), shape = shapes.input_shapes, shapes.result_shape
    rng = np.random.default_rng(seed)
    a0, b0, g = real(rng, shape_a), real(rng, shape_b), real(rng, shape)
    a, b = Tensor(a0, requires_grad=True), Tensor(b0, requires_grad=True)
    out = a @ b
    np.testing.assert_allclose(out.numpy(), a0 @ b0, rtol=1e-12, atol=1e-12)
    out.backward(Tensor(g))
    assert a.grad.shape == shape_a and b.grad.shape == shape_b

    # Broadcast the batch axes by hand (a 1-D operand has none), then sum them back.
    batch = np.broadcast_shapes(shape_a[:-2], shape_b[:-2])
    wide_a = np.broadcast_to(a0, batch + shape_a[-2:]).copy() if a0.ndim > 1 else a0
    wide_b = np.broadcast_to(b0, batch + shape_b[-2:]).copy() if b0.ndim > 1 else b0
    fa, fb = Tensor(wide_a, requires_grad=True), Tensor(wide_b, requires_grad=True)
    (fa @ fb).backward(Tensor(g))
    np.testing.assert_allclose(a.grad.numpy(), sum_to(fa.grad.numpy(), shape_a), rtol=1e-10,
                               atol=1e-12)
    np.testing.assert_allclose(b.grad.numpy(), sum_to(fb.grad.numpy(), shape_b), rtol=1e-10,
                               atol=1e-12)

    # And the closed form of one entry: d<g, a@b>/da = g @ bᵀ (lifted 1-D, summed batches).
    a2 = a0 if a0.ndim > 1 else a0[None, :]
    b2 = b0 if b0.ndim > 1 else b0[:, None]
    g2 = g.reshape(batch + (a2.shape[-2], b2.shape[-1]))
    want_a = sum_to(g2 @ np.swapaxes(np.broadcast_to(b2, batch + b2.shape[-2:]), -1, -2),
                    a2.shape).reshape(shape_a)
    np.testing.assert_allclose(a.grad.numpy(), want_a, rtol=1e-10, atol=1e-12)


@SETTINGS
@given(shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=3),
       seed=SEEDS)
def test_broadcast_to_gradient_counts_the_copies(shapes, seed):
    (shape_a, _), shape = shapes.input_shapes, shapes.result_shape
    rng = np.random.default_rng(seed)
    x = Tensor(real(rng, shape_a), requires_grad=True)
    x.broadcast_to(shape).sum().backward()
    copies = int(np.prod(shape)) // max(1, int(np.prod(shape_a)))
    np.testing.assert_array_equal(x.grad.numpy(), np.full(shape_a, float(copies)))
