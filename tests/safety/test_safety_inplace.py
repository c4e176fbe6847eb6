"""In-place updates under autograd: `x += y` and friends, `x[i] = v`, `zero_`, `fill_`, `copy_`.

Values must match NumPy's; a recorded in-place update on a non-leaf must give the same
gradients as its out-of-place spelling (and as finite differences); and every way of changing
values that a recorded op still needs must be caught at backward with the op and both versions
named, instead of silently giving a wrong gradient.
"""

import numpy as np
import pytest

import autograd as ag
import optim
from autograd import Tensor

RNG = np.random.default_rng(0)
A = RNG.standard_normal((2, 3))
B = RNG.standard_normal((2, 3)) ** 2 + 0.5  # positive: safe as a divisor and a base of **
ROW = RNG.standard_normal(3)


def leaf(array):
    return Tensor(np.array(array, dtype=np.float64), requires_grad=True)


# --- values, outside any graph -------------------------------------------------------------
AUGMENTED = [
    ("+=", lambda x, y: x.__iadd__(y), np.add),
    ("-=", lambda x, y: x.__isub__(y), np.subtract),
    ("*=", lambda x, y: x.__imul__(y), np.multiply),
    ("/=", lambda x, y: x.__itruediv__(y), np.divide),
    ("**=", lambda x, y: x.__ipow__(y), np.power),
    ("add_", lambda x, y: x.add_(y), np.add),
    ("sub_", lambda x, y: x.sub_(y), np.subtract),
    ("mul_", lambda x, y: x.mul_(y), np.multiply),
    ("div_", lambda x, y: x.div_(y), np.divide),
]


@pytest.mark.parametrize("name, apply, ref", AUGMENTED, ids=[a[0] for a in AUGMENTED])
@pytest.mark.parametrize("other_kind", ["tensor", "broadcast row", "python scalar", "ndarray"])
def test_augmented_values_version_and_identity(name, apply, ref, other_kind):
    x = Tensor(B.copy())
    array = x.numpy()
    other = {"tensor": Tensor(B[::-1].copy()), "broadcast row": Tensor(ROW ** 2 + 1),
             "python scalar": 1.5, "ndarray": B[::-1] + 0.25}[other_kind]
    other_array = other.numpy() if isinstance(other, Tensor) else other
    expected = ref(B, other_array)

    result = apply(x, other)

    assert result is x, f"{name} must return the same tensor object"
    assert x.numpy() is array, f"{name} outside a graph must write into the tensor's own array"
    np.testing.assert_allclose(x.numpy(), expected, rtol=1e-12)
    assert x._version == 1
    assert x.dtype == np.float64 and x.grad_fn is None


def test_python_augmented_statements_rebind_to_the_same_object():
    x = Tensor(B.copy())
    before = id(x)
    x += 1.0
    x -= 0.5
    x *= 2.0
    x /= 4.0
    x **= 2
    assert id(x) == before
    np.testing.assert_allclose(x.numpy(), ((B + 0.5) * 2.0 / 4.0) ** 2)
    assert x._version == 5


def test_zero_fill_copy_values():
    x = Tensor(A.copy())
    assert x.zero_() is x
    np.testing.assert_array_equal(x.numpy(), np.zeros((2, 3)))
    x.fill_(2.5)
    np.testing.assert_array_equal(x.numpy(), np.full((2, 3), 2.5))
    x.copy_(Tensor(ROW))  # broadcasts a row over both rows, as torch's copy_ does
    np.testing.assert_array_equal(x.numpy(), np.broadcast_to(ROW, (2, 3)))
    x.copy_(A)
    np.testing.assert_array_equal(x.numpy(), A)
    assert x._version == 4


def test_zero_and_fill_clear_inf_and_nan():
    x = Tensor(np.array([np.inf, -np.inf, np.nan, 1.0]))
    with np.errstate(invalid="ignore"):
        x.zero_()
    np.testing.assert_array_equal(x.numpy(), np.zeros(4))


def test_zero_on_a_leaf_names_zero_():
    w = leaf(A)
    with pytest.raises(RuntimeError, match=r"^zero_:"):
        w.zero_()


SETITEM_INDICES = [
    ("int", 1, np.array([7.0, 8.0, 9.0])),
    ("slice", (slice(None), slice(1, None)), np.array([[1.0, 2.0], [3.0, 4.0]])),
    ("scalar broadcast", (0, slice(None)), 5.0),
    ("bool mask", A > 0, -1.0),
    ("int array", np.array([1, 0]), np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])),
    ("ellipsis", (Ellipsis, 2), np.array([-3.0, -4.0])),
    ("tensor index", (Tensor(np.array([0, 1])), Tensor(np.array([2, 0]))), 10.0),
]


@pytest.mark.parametrize("index, value", [c[1:] for c in SETITEM_INDICES],
                         ids=[c[0] for c in SETITEM_INDICES])
def test_setitem_values(index, value):
    x = Tensor(A.copy())
    expected = A.copy()
    np_index = tuple(i.numpy() if isinstance(i, Tensor) else i for i in index) if isinstance(
        index, tuple) else index
    expected[np_index] = value
    x[index] = Tensor(np.asarray(value, dtype=np.float64)) if isinstance(value, np.ndarray) \
        else value
    np.testing.assert_array_equal(x.numpy(), expected)
    assert x._version == 1


# --- gradients through recorded in-place updates on non-leaf tensors -------------------------
def chain_in_place(x, w):
    y = x * 1.0          # a non-leaf copy we may modify
    y += w               # Add
    y *= x               # Multiply by another graph tensor
    y -= 0.5
    y /= w * w + 1.0     # denominator kept away from 0
    y **= 2
    y.add_(w.sin())
    y.mul_(x.tanh())
    y.sub_(x)
    y.div_(2.0)
    return y


def chain_out_of_place(x, w):
    y = x * 1.0
    y = y + w
    y = y * x
    y = y - 0.5
    y = y / (w * w + 1.0)
    y = y ** 2
    y = y + w.sin()
    y = y * x.tanh()
    y = y - x
    y = y / 2.0
    return y


def test_in_place_chain_matches_out_of_place_values_and_gradients():
    x, w = leaf(A), leaf(B)
    u = RNG.standard_normal((2, 3))
    y1 = chain_in_place(x, w)
    g1 = ag.grad(y1, [x, w], u)
    y2 = chain_out_of_place(x, w)
    g2 = ag.grad(y2, [x, w], u)
    np.testing.assert_allclose(y1.numpy(), y2.numpy(), rtol=1e-12)
    for a, b in zip(g1, g2):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-12)
    # The caller's leaves were never touched.
    np.testing.assert_array_equal(x.numpy(), A)
    assert x._version == 0 and w._version == 0


def test_in_place_chain_passes_gradcheck():
    assert ag.gradcheck(chain_in_place, (leaf(A), leaf(B)))


def test_in_place_chain_forward_mode_matches_out_of_place():
    v = (RNG.standard_normal((2, 3)), RNG.standard_normal((2, 3)))
    _, t1 = ag.jvp(chain_in_place, (leaf(A), leaf(B)), v)
    _, t2 = ag.jvp(chain_out_of_place, (leaf(A), leaf(B)), v)
    np.testing.assert_allclose(t1.numpy(), t2.numpy(), rtol=1e-12)


def test_in_place_result_is_the_same_object_with_a_new_history():
    x = leaf(A)
    y = x * 2.0
    before = id(y)
    y += 1.0
    assert id(y) == before and y.grad_fn is not None and y._version == 1
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.full((2, 3), 2.0))


def test_square_in_place_of_itself():
    """`x *= x` squares the old value, and its gradient is 2x (both factors are the old x)."""
    x = leaf(A)
    y = x * 1.0
    y *= y
    np.testing.assert_allclose(y.numpy(), A * A)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * A)

    def f(x):
        y = x + 0.0
        y *= y
        y.mul_(y)  # x**4
        return y

    assert ag.gradcheck(f, leaf(A))
    plain = Tensor(A.copy())
    with ag.no_grad():
        plain *= plain
    np.testing.assert_allclose(plain.numpy(), A * A)


def test_zero_fill_copy_gradients():
    x, s = leaf(A), leaf(ROW)
    y = x * 3.0
    y.zero_()
    (y + x).sum().backward()              # zero_ cut x's path through y; only `+ x` remains
    np.testing.assert_array_equal(x.grad.numpy(), np.ones((2, 3)))

    x.grad = None
    y = x * 3.0
    y.fill_(2.0)
    (y * x).sum().backward()              # d/dx of 2x
    np.testing.assert_array_equal(x.grad.numpy(), np.full((2, 3), 2.0))

    x.grad = None
    y = x * 3.0
    y.copy_(s)                            # s broadcast over 2 rows: each entry used twice
    weights = RNG.standard_normal((2, 3))
    (y * Tensor(weights)).sum().backward()
    np.testing.assert_allclose(s.grad.numpy(), weights.sum(axis=0))
    # x's values were overwritten entirely: no gradient (zeros, as torch's copy_ gives)
    assert x.grad is None or not x.grad.numpy().any()

    def f(x, s):
        y = x.exp()
        y.copy_(s * x[0])
        y.fill_(1.0)
        return y * x + s

    assert ag.gradcheck(f, (leaf(A), leaf(ROW)))


def test_setitem_value_that_requires_grad_receives_gradient():
    v = leaf(ROW)
    buf = Tensor(np.zeros((2, 3)))             # a plain buffer, not requiring grad
    buf[0] = v
    buf[1, 1:] = v[:2] * 2.0
    assert buf.requires_grad and buf.grad_fn is not None
    weights = RNG.standard_normal((2, 3))
    (buf * Tensor(weights)).sum().backward()
    expected = weights[0].copy()
    expected[:2] += 2.0 * weights[1, 1:]
    np.testing.assert_allclose(v.grad.numpy(), expected)


def test_setitem_overwrite_stops_gradient_to_the_old_value():
    x, v = leaf(A), leaf(ROW)
    y = x * 1.0
    y[0] = v
    y[0, 1] = 0.0                    # v[1] no longer reaches the output
    y[:, 2] = x[:, 0] * 5.0          # column 2 now comes from column 0
    y.sum().backward()
    np.testing.assert_array_equal(v.grad.numpy(), [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(x.grad.numpy(), [[5.0, 0.0, 0.0], [6.0, 1.0, 0.0]])

    def f(x, v):
        y = x.sin()
        y[1] = v * v
        y[y.numpy() > 0.5] = 0.5            # a data-dependent mask (fixed under tiny perturbations)
        y[..., 0] = x[..., 2] * 3.0
        y[np.array([0, 1]), np.array([2, 1])] = v[:2].exp()
        return y

    assert ag.gradcheck(f, (leaf(A), leaf(ROW)))


@pytest.mark.xfail(strict=True, reason="IndexPut.vjp (autograd/ops/shape.py) gathers g at every "
                   "index, so a row written twice by repeated integer indices sends the value "
                   "twice its gradient (only the last write reaches the output)")
def test_setitem_with_repeated_indices_matches_finite_differences():
    def f(v):
        y = Tensor(np.zeros((2, 3)))
        y[np.array([1, 1])] = v * 1.0
        return y

    assert ag.gradcheck(f, leaf(ROW))


def _update_from_own_slice(x):
    y = x * 1.0
    y += y[0]                        # the value is read from y before y is written
    return y.sum()


@pytest.mark.parametrize("how", [
    "backward",
    "ag.grad",
])
def test_update_with_a_value_read_from_itself_is_right_or_refused(how):
    """PyTorch gives the right gradient; refusing loudly is acceptable, a wrong one is not."""
    x = leaf(np.arange(6.0).reshape(2, 3))
    try:
        if how == "backward":
            _update_from_own_slice(x).backward()
            g = x.grad
        else:
            (g,) = ag.grad(_update_from_own_slice(x), x)
    except RuntimeError as e:
        assert "modified in place" in str(e)
        return
    np.testing.assert_array_equal(g.numpy(), [[3.0, 3.0, 3.0], [1.0, 1.0, 1.0]])


# --- modifications the graph needs: refused, or caught at backward ---------------------------
def test_in_place_on_a_leaf_that_requires_grad_while_recording():
    for apply in (lambda w: w.__iadd__(1.0), lambda w: w.mul_(2.0), lambda w: w.fill_(0.0),
                  lambda w: w.copy_(A), lambda w: w.__setitem__(0, 1.0)):
        w = leaf(A)
        with pytest.raises(RuntimeError, match=r"leaf tensor that requires grad cannot be "
                                               r"modified in place.*no_grad"):
            apply(w)
        np.testing.assert_array_equal(w.numpy(), A)  # refused before any change
        assert w._version == 0


def test_manual_sgd_under_no_grad_works_and_bumps_the_version():
    w = leaf(A)
    data = w.numpy()
    loss = (w * w).sum()
    loss.backward()
    with ag.no_grad():
        w -= 0.1 * w.grad
        w[0, 0] = 0.0
        w.grad.zero_()
    assert w.numpy() is data and w.is_leaf and w.requires_grad and w.grad_fn is None
    expected = A - 0.1 * 2 * A
    expected[0, 0] = 0.0
    np.testing.assert_allclose(w.numpy(), expected)
    assert w._version == 2
    np.testing.assert_array_equal(w.grad.numpy(), np.zeros((2, 3)))
    (w * 3.0).sum().backward()               # a fresh graph after the update is fine
    np.testing.assert_array_equal(w.grad.numpy(), np.full((2, 3), 3.0))


@pytest.mark.parametrize("modify", [
    lambda y: y.__iadd__(1.0),
    lambda y: y.mul_(2.0),
    lambda y: y.__setitem__((0, 0), 5.0),
    lambda y: y.zero_(),
], ids=["+=", "mul_", "setitem", "zero_"])
def test_modified_after_use_is_caught_at_backward(modify):
    x = leaf(A)
    y = x * 2.0
    z = y.sin()                      # Sin needs y's values in its reverse rule
    modify(y)                        # allowed here; the error comes at backward
    with pytest.raises(RuntimeError, match=r"Sin: input 0 \(shape \(2, 3\)\) was modified in "
                                           r"place.*at version 1, the op saved version 0"):
        z.sum().backward()


def test_leaf_modified_under_no_grad_after_use_is_caught_at_backward():
    w, x = leaf(A), leaf(B)
    loss = (w * x).sum()
    with ag.no_grad():
        w -= 0.1                     # an optimizer step before backward: a classic mistake
    with pytest.raises(RuntimeError, match=r"Multiply: input 0 \(shape \(2, 3\)\).*version 1.*"
                                           r"saved version 0"):
        loss.backward()


def test_modified_before_use_is_fine():
    x = leaf(A)
    y = x * 2.0
    y += 1.0
    z = y.sin()
    z.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2.0 * np.cos(2.0 * A + 1.0))


def test_modified_twice_reports_the_latest_version():
    x = leaf(A)
    y = x.exp()
    z = y * y
    y += 1.0
    y -= 1.0
    with pytest.raises(RuntimeError, match=r"Multiply.*at version 2, the op saved version 0"):
        z.sum().backward()


def test_int_tensor_plus_float_that_requires_grad():
    i = Tensor(np.array([1, 2]))
    w = leaf([0.5, 0.7])
    with pytest.raises(TypeError, match=r"int64"):
        i += w


def test_in_place_through_detach_is_caught():
    x = leaf(A)
    y = x.exp()                      # Exp's reverse rule uses its output y
    d = y.detach()
    d.zero_()
    with pytest.raises(RuntimeError, match=r"Exp.*modified in place"):
        y.sum().backward()


def test_in_place_through_a_view_is_caught():
    x = leaf(A)
    w = Tensor(B.copy())
    y = x * w                        # Multiply saves w for x's gradient
    view = w[0]                      # a NumPy view of w's array
    view += 5.0
    with pytest.raises(RuntimeError, match=r"Multiply.*modified in place"):
        y.sum().backward()


def test_optimizer_step_between_forward_and_backward_is_caught():
    w, x = leaf(A), leaf(B)
    loss = (w * x).sum()             # x's gradient is w: needs w's old values
    w.grad = Tensor(np.ones((2, 3)))
    optim.SGD([w], lr=0.1).step()
    with pytest.raises(RuntimeError, match=r"Multiply.*modified in place"):
        loss.backward()
