"""Every error SPEC promises: ShapeError (a ValueError) naming the op and both shapes as
tuples, IndexError for bad indices, reductions of nothing, and GradcheckError naming the input,
the entry, the analytic and the numeric value."""

import re

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor


def t(*shape):
    return Tensor(np.ones(shape))


def w(*shape):
    return Tensor(np.ones(shape), requires_grad=True)


def test_shape_error_is_a_value_error():
    assert issubclass(ag.ShapeError, ValueError)


# --- matmul ------------------------------------------------------------------------------------
def test_matmul_message_is_exactly_spec():
    with pytest.raises(ag.ShapeError) as info:
        t(2, 3) @ t(4, 5)
    assert str(info.value) == "matmul: cannot multiply (2, 3) by (4, 5)"


@pytest.mark.parametrize("a, b", [((3,), (4,)), ((3,), (4, 2)), ((2, 3), (2,)),
                                  ((2, 3, 4), (5, 6)), ((2, 3, 4), (3, 4, 5)), ((3,), ()),
                                  ((), (3,))])
def test_matmul_shape_errors_name_both_shapes(a, b):
    with pytest.raises(ag.ShapeError, match="matmul") as info:
        ag.matmul(w(*a), t(*b))
    assert str(a) in str(info.value) and str(b) in str(info.value)


# --- broadcasting --------------------------------------------------------------------------------
@pytest.mark.parametrize("name, fn", [
    ("add", lambda a, b: a + b), ("subtract", lambda a, b: a - b),
    ("multiply", lambda a, b: a * b), ("divide", lambda a, b: a / b),
    ("power", lambda a, b: a ** b), ("maximum", ag.maximum), ("minimum", ag.minimum),
    ("where", lambda a, b: ag.where(np.ones((2, 3), dtype=bool), a, b)),
    ("less", lambda a, b: a < b), ("equal", lambda a, b: a == b),
])
@pytest.mark.parametrize("grad", [False, True])
def test_broadcast_mismatch_names_the_op_and_both_shapes(name, fn, grad):
    a = w(2, 3) if grad else t(2, 3)
    with pytest.raises(ag.ShapeError) as info:
        fn(a, t(4,))
    message = str(info.value)
    assert name in message.lower(), message
    assert "(2, 3)" in message and "(4,)" in message, message


def test_broadcast_mismatch_with_an_ndarray_operand():
    with pytest.raises(ag.ShapeError, match=r"\(2, 3\).*\(2,\)|\(2,\).*\(2, 3\)"):
        np.ones(2) + w(2, 3)


def test_broadcast_to_an_impossible_shape():
    with pytest.raises(ag.ShapeError, match=r"broadcast_to.*\(3,\).*\(2, 4\)"):
        w(3).broadcast_to((2, 4))
    with pytest.raises(ag.ShapeError, match="broadcast_to"):
        ag.broadcast_to(w(2, 3), (3,))  # fewer dimensions than the input


# --- shape ops -----------------------------------------------------------------------------------
def test_reshape_to_an_impossible_shape():
    with pytest.raises(ag.ShapeError, match=r"reshape.*\(2, 3\).*\(4,\)"):
        w(2, 3).reshape(4)
    with pytest.raises(ag.ShapeError, match=r"reshape.*\(5, -1\)"):
        w(2, 3).reshape(5, -1)


def test_other_shape_op_errors_name_the_op():
    with pytest.raises(ag.ShapeError, match=r"squeeze.*\(2, 3\)"):
        w(2, 3).squeeze(axis=0)  # NumPy's spelling keeps NumPy's error; dim=0 is a no-op
    with pytest.raises(ag.ShapeError, match="transpose"):
        w(2, 3).transpose((0, 0))
    with pytest.raises(ag.ShapeError, match=r"concatenate.*\(2, 3\).*\(2, 4\)"):
        ag.concatenate([w(2, 3), w(2, 4)])
    with pytest.raises(ag.ShapeError, match=r"stack.*\(2, 3\).*\(3, 2\)"):
        ag.stack([w(2, 3), w(3, 2)])
    with pytest.raises(ValueError, match="concatenate"):
        ag.concatenate([])


@pytest.mark.parametrize("fn", [lambda x: x.sum(axis=2), lambda x: x.mean(axis=-3),
                                lambda x: x.max(axis=(0, 5)), lambda x: x.softmax(axis=2),
                                lambda x: x.expand_dims(4)])
def test_an_axis_out_of_range_is_a_value_error(fn):
    with pytest.raises(ValueError, match="axis"):
        fn(w(2, 3))


# --- indexing ------------------------------------------------------------------------------------
@pytest.mark.parametrize("index", [3, -4, (0, 3), np.array([0, 3]), (0, 0, 0)])
def test_out_of_range_index_is_an_index_error(index):
    x = w(3, 3)
    with pytest.raises(IndexError, match=r"\(3, 3\)"):
        x[index]


def test_a_mask_of_the_wrong_shape_is_an_index_error():
    with pytest.raises(IndexError):
        w(3)[np.array([True, False])]


# --- reductions of nothing ----------------------------------------------------------------------
@pytest.mark.parametrize("name", ["max", "min"])
def test_max_and_min_of_an_empty_tensor(name):
    x = Tensor(np.zeros(0), requires_grad=True)
    with pytest.raises(ValueError, match=rf"{name}.*\(0,\)"):
        getattr(x, name)()
    with pytest.raises(ValueError, match=name):
        getattr(ag, name)(Tensor(np.zeros((2, 0))), axis=1)


def test_max_over_the_non_empty_axis_of_an_empty_tensor_is_empty_as_in_numpy():
    x = Tensor(np.zeros((0, 3)), requires_grad=True)
    y = x.max(axis=1)
    assert y.shape == (0,)
    y.sum().backward()
    assert x.grad.shape == (0, 3)


def test_mean_and_var_of_nothing_are_nan_as_in_pytorch():
    assert np.isnan(Tensor(np.zeros(0)).mean().item())
    np.testing.assert_array_equal(Tensor(np.zeros((0, 2))).mean(0).numpy(), [np.nan, np.nan])
    assert np.isnan(Tensor(np.ones(3)).var(ddof=3).item())  # 0 / 0
    assert Tensor(np.array([1.0, 2.0])).var(correction=3).item() == np.inf  # 0.5 / max(0, -1)


def test_clip_with_crossed_bounds_gives_max_and_needs_a_bound():
    np.testing.assert_array_equal(w(3).clip(1.0, -1.0).numpy(), [-1.0, -1.0, -1.0])
    with pytest.raises(ValueError, match="clip"):
        w(3).clip()


# --- gradcheck -----------------------------------------------------------------------------------
class HalfSquare(ag.Op):
    """out = a², with a deliberately wrong reverse rule (g·a instead of 2·g·a)."""

    __slots__ = ()

    def forward(self, a):
        return a * a

    def vjp(self, out, g):
        return (g * self.inputs[0],)

    def jvp(self, out, da):
        return da * self.inputs[0] * 2.0


def _numbers(message):
    got = re.search(r"analytic gradient (\S+)", message)
    want = re.search(r"numeric (\S+)", message)
    assert got and want, message
    return float(got.group(1)), float(want.group(1))


def test_gradcheck_names_the_input_entry_and_both_values():
    x = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    with pytest.raises(ag.GradcheckError) as info:
        ag.gradcheck(lambda x: HalfSquare()(x), [x])
    message = str(info.value)
    assert "input 0" in message and "entry (0,)" in message, message
    analytic, numeric = _numbers(message)
    assert numeric == pytest.approx(2 * analytic, rel=1e-4)
    assert analytic != 0


def test_gradcheck_names_the_second_input_and_a_2d_entry():
    a = Tensor(np.array([[1.0, -1.0], [0.5, 2.0]]), requires_grad=True)
    b = Tensor(np.array([[0.0, 0.0], [0.0, 1.5]]), requires_grad=True)

    def f(a, b):  # wrong only where b is non-zero: entry (1, 1) of input 1
        return a * 3.0 + HalfSquare()(b)

    with pytest.raises(ag.GradcheckError) as info:
        ag.gradcheck(f, [a, b])
    message = str(info.value)
    assert "input 1" in message and "entry (1, 1)" in message, message
    analytic, numeric = _numbers(message)
    assert numeric == pytest.approx(2 * analytic, rel=1e-4)


def test_gradcheck_passes_a_correct_function_and_checks_only_inputs_requiring_grad():
    a = Tensor(np.array([0.5, -1.5]), requires_grad=True)
    c = Tensor(np.array([2.0, 3.0]))
    assert ag.gradcheck(lambda a, c: (a * c).tanh(), [a, c]) is True
    assert ag.gradcheck(lambda c, a: HalfSquare()(c) + a, [c, a]) is True  # c is not checked
    with pytest.raises(ValueError, match="requires grad"):
        ag.gradcheck(lambda c: c * 2.0, [c])


def test_gradcheck_of_a_float32_input_warns_and_checks_in_float64():
    x = Tensor(np.array([0.5, 1.5], dtype=np.float32), requires_grad=True)
    with pytest.warns(UserWarning, match="float64"):
        assert ag.gradcheck(lambda x: x.exp(), [x]) is True
    assert x.dtype == np.float32 and x.grad is None  # the caller's tensor is untouched

