"""SPEC's dtype policy, which tensors may require grad, comparisons, no_grad (thread-local),
detach, is_leaf and grad_fn, and the small Tensor API around them."""

import threading

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor


# --- dtype policy ------------------------------------------------------------------------------
@pytest.mark.parametrize("data", [[1.0, 2.0], [1, 2], 3, 2.5, [[1, 2], [3, 4]], [True, 1.5]])
def test_python_data_becomes_float32(data):
    t = Tensor(data)
    assert t.dtype == np.float32
    np.testing.assert_array_equal(t.numpy(), np.asarray(data, dtype=np.float32))


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16, np.int64, np.int32,
                                   np.uint8, np.bool_])
def test_an_ndarray_keeps_its_dtype_and_is_not_copied(dtype):
    a = np.zeros(3, dtype=dtype)
    t = Tensor(a)
    assert t.dtype == dtype
    assert t.numpy() is a


def test_dtype_argument_casts():
    t = Tensor([1, 2, 3], dtype=np.float64)
    assert t.dtype == np.float64
    u = Tensor(np.array([1.7, -2.2]), dtype=np.int32)
    assert u.dtype == np.int32
    np.testing.assert_array_equal(u.numpy(), [1, -2])
    assert Tensor(np.ones(2, dtype=np.float32), dtype="float64").dtype == np.float64


def test_bool_lists_stay_bool():
    assert Tensor([True, False]).dtype == np.bool_


def test_set_default_dtype_changes_what_python_data_becomes():
    assert ag.get_default_dtype() == np.float32
    ag.set_default_dtype(np.float64)
    try:
        assert ag.get_default_dtype() == np.float64
        assert Tensor([1.0, 2.0]).dtype == np.float64
        assert Tensor(3).dtype == np.float64
        assert Tensor(np.ones(2, dtype=np.float32)).dtype == np.float32  # ndarrays keep theirs
        assert (Tensor(np.ones(2, dtype=np.float32)) * 2.0).dtype == np.float32
    finally:
        ag.set_default_dtype(np.float32)
    assert Tensor([1.0]).dtype == np.float32


def test_set_default_dtype_refuses_non_floats():
    with pytest.raises(TypeError):
        ag.set_default_dtype(np.int32)
    assert ag.get_default_dtype() == np.float32


@pytest.mark.parametrize("make", [
    lambda: Tensor(np.array([1, 2]), requires_grad=True),
    lambda: Tensor([1, 2], dtype=np.int64, requires_grad=True),
    lambda: Tensor(np.array([True, False]), requires_grad=True),
    lambda: Tensor(np.arange(3)).requires_grad_(),
])
def test_int_and_bool_tensors_cannot_require_grad(make):
    with pytest.raises(TypeError, match="requires_grad"):
        make()


def test_setting_requires_grad_on_an_int_tensor_leaves_it_off():
    t = Tensor(np.arange(3))
    with pytest.raises(TypeError):
        t.requires_grad = True
    assert t.requires_grad is False


@pytest.mark.parametrize("scalar", [2.5, 2, -1e-3])
def test_float32_with_a_python_number_stays_float32(scalar):
    x = Tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    for y in (x * scalar, scalar * x, x + scalar, scalar - x, x / scalar, x ** 2, 2.0 ** x,
              ag.maximum(x, scalar), ag.where(np.array([True, False]), x, scalar)):
        assert y.dtype == np.float32, y
    (x * 0.5).sum().backward()
    assert x.grad.dtype == np.float32


def test_mixed_float_tensors_follow_numpy_promotion_and_grads_keep_input_dtype():
    a = Tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    b = Tensor(np.array([3.0, 4.0]), requires_grad=True)
    y = a * b
    assert y.dtype == np.float64
    y.sum().backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float64
    np.testing.assert_allclose(a.grad.numpy(), [3.0, 4.0])


def test_integer_tensors_compute_like_numpy():
    i = Tensor(np.array([1, 2, 3]))
    assert (i * 2).dtype == i.dtype
    np.testing.assert_array_equal((i * 2).numpy(), [2, 4, 6])
    np.testing.assert_array_equal((i + i).numpy(), [2, 4, 6])
    assert (i / 2).dtype.kind == "f"


def test_astype():
    x = Tensor(np.array([1.5, -2.5], dtype=np.float32), requires_grad=True)
    y = x.astype(np.float64)
    assert y.dtype == np.float64 and y.grad_fn is not None
    (y * y).sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_allclose(x.grad.numpy(), [3.0, -5.0])
    same = x.astype(np.float32)
    assert same.dtype == np.float32
    np.testing.assert_array_equal(same.numpy(), x.numpy())
    labels = Tensor(np.array([0.9, 2.1])).astype(np.int64)
    assert labels.dtype == np.int64 and labels.grad_fn is None
    np.testing.assert_array_equal(labels.numpy(), [0, 2])


# --- comparisons -------------------------------------------------------------------------------
@pytest.mark.parametrize("op, ref", [
    (lambda a, b: a < b, np.less), (lambda a, b: a <= b, np.less_equal),
    (lambda a, b: a > b, np.greater), (lambda a, b: a >= b, np.greater_equal),
    (lambda a, b: a == b, np.equal), (lambda a, b: a != b, np.not_equal),
])
def test_comparisons_return_bool_tensors_without_grad(op, ref):
    a0, b0 = np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]]), np.array([2.0, 2.0, 2.0])
    a = Tensor(a0, requires_grad=True)
    b = Tensor(b0, requires_grad=True)
    for got, want in [(op(a, b), ref(a0, b0)), (op(a, 2.0), ref(a0, 2.0)),
                      (op(a, b0), ref(a0, b0)), (op(a0, b), ref(a0, b0))]:
        assert isinstance(got, Tensor)
        assert got.dtype == np.bool_
        assert not got.requires_grad and got.grad_fn is None
        np.testing.assert_array_equal(got.numpy(), want)


def test_a_comparison_can_mask_a_differentiable_expression():
    x = Tensor(np.array([-1.0, 2.0, -3.0, 4.0]), requires_grad=True)
    (ag.where(x > 0, x * x, 0.0)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [0.0, 4.0, 0.0, 8.0])


# --- no_grad -----------------------------------------------------------------------------------
def test_no_grad_records_nothing_and_restores():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    assert ag.is_grad_enabled()
    with ag.no_grad():
        assert not ag.is_grad_enabled()
        y = (x * 2.0).exp().sum()
        with ag.no_grad():
            z = x + 1.0
        assert not ag.is_grad_enabled()
        with ag.enable_grad():
            w = x * 3.0
    assert ag.is_grad_enabled()
    assert y.grad_fn is None and not y.requires_grad and y.is_leaf
    assert z.grad_fn is None
    assert w.grad_fn is not None and w.requires_grad
    np.testing.assert_allclose(y.item(), np.exp(2.0) + np.exp(4.0))


def test_no_grad_is_restored_after_an_exception():
    with pytest.raises(KeyError), ag.no_grad():
        raise KeyError("inside no_grad")
    assert ag.is_grad_enabled()


def test_set_grad_enabled():
    x = Tensor(np.ones(2), requires_grad=True)
    with ag.set_grad_enabled(False):
        assert (x * 2.0).grad_fn is None
    with ag.set_grad_enabled(True):
        assert (x * 2.0).grad_fn is not None


def _in_other_thread(body):
    errors = []

    def run():
        try:
            body()
        except BaseException as e:  # hand failures back to the test thread
            errors.append(e)

    thread = threading.Thread(target=run)
    return thread, errors


def test_no_grad_in_one_thread_does_not_affect_another():
    inside, done = threading.Event(), threading.Event()

    def worker():
        with ag.no_grad():
            inside.set()
            assert done.wait(10)
            assert not ag.is_grad_enabled()

    thread, errors = _in_other_thread(worker)
    thread.start()
    try:
        assert inside.wait(10)
        assert ag.is_grad_enabled()
        x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
        y = (x * x).sum()
        assert y.grad_fn is not None
        y.backward()
        np.testing.assert_allclose(x.grad.numpy(), [2.0, 4.0])
    finally:
        done.set()
        thread.join(10)
    assert not errors, errors


def test_a_thread_records_while_the_main_thread_is_in_no_grad():
    results = {}

    def worker():
        results["enabled"] = ag.is_grad_enabled()
        x = Tensor(np.array([3.0]), requires_grad=True)
        (x * x).sum().backward()
        results["grad"] = x.grad.numpy().copy()

    thread, errors = _in_other_thread(worker)
    with ag.no_grad():
        thread.start()
        thread.join(10)
        assert not ag.is_grad_enabled()
    assert not errors, errors
    assert results["enabled"] is True
    np.testing.assert_allclose(results["grad"], [6.0])


# --- detach, is_leaf, grad_fn -------------------------------------------------------------
def test_detach_shares_data_and_cuts_the_graph():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = x * 2.0
    d = y.detach()
    assert d.numpy() is y.numpy() or np.shares_memory(d.numpy(), y.numpy())
    assert d.grad_fn is None and d.is_leaf and not d.requires_grad
    assert x.detach().numpy() is x.numpy()
    z = (d * x).sum()
    z.backward()
    np.testing.assert_allclose(x.grad.numpy(), y.numpy())  # d is a constant to the graph


def test_is_leaf_and_grad_fn():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    c = Tensor(np.array([3.0, 4.0]))
    assert x.is_leaf and x.grad_fn is None
    assert c.is_leaf and c.grad_fn is None
    y = x * c
    assert not y.is_leaf
    assert isinstance(y.grad_fn, ag.Op) and type(y.grad_fn).__name__ == "Multiply"
    assert any(t is x for t in y.grad_fn.inputs)
    assert type((x @ c).grad_fn).__name__ == "MatMul"
    assert type(x.exp().grad_fn).__name__ == "Exp"
    assert type(x.sum().grad_fn).__name__ == "Sum"
    assert type(x[0].grad_fn).__name__ == "GetItem"
    k = c * 2.0  # nothing requires grad: the result is a leaf
    assert k.is_leaf and k.grad_fn is None and not k.requires_grad


def test_requires_grad_cannot_be_switched_off_on_a_non_leaf():
    x = Tensor(np.ones(2), requires_grad=True)
    y = x * 2.0
    with pytest.raises(RuntimeError, match="detach"):
        y.requires_grad = False
    x.requires_grad = False  # on a leaf it can
    assert not (x * 2.0).requires_grad


def test_tensor_basics():
    x = Tensor(np.arange(6.0).reshape(2, 3))
    assert x.shape == (2, 3) and x.ndim == 2 and x.numel() == 6 and x.dtype == np.float64
    assert x.numpy() is x.numpy()
    assert x.grad is None
    assert Tensor([[4.5]]).item() == 4.5
    with pytest.raises(ValueError):
        x.item()
    assert Tensor(x).numpy() is x.numpy()
    assert len(x) == 2
    np.testing.assert_array_equal(np.asarray(x), x.numpy())


# --- function forms take plain data too ----------------------------------------------------------
@pytest.mark.parametrize("call, want", [
    (lambda: ag.add(1.0, 2.0), 3.0),
    (lambda: ag.where(np.array([True, False]), 1.0, 0.0), [1.0, 0.0]),
    (lambda: ag.maximum(np.array([-1.0, 2.0]), 0.0), [0.0, 2.0]),
    (lambda: ag.matmul(np.ones((2, 3)), np.ones((3,))), [3.0, 3.0]),
    (lambda: ag.multiply([1.0, 2.0], np.array([3.0, 4.0])), [3.0, 8.0]),
    (lambda: ag.power(2.0, np.array([1.0, 3.0])), [2.0, 8.0]),
    (lambda: ag.exp([0.0]), [1.0]),
    (lambda: ag.sum(np.ones(3)), 3.0),
])
def test_functions_accept_python_and_numpy_operands(call, want):
    out = call()
    assert isinstance(out, Tensor) and out.grad_fn is None
    np.testing.assert_allclose(out.numpy(), want)


def test_two_python_numbers_give_the_default_dtype():
    assert ag.add(1.0, 2).dtype == np.float32
    assert ag.maximum(np.float64(1.0) * np.ones(2), 0.5).dtype == np.float64
