"""Writes through views of tensors in a graph reach the tensor the view was taken from, with
gradients through both paths, as in PyTorch (CopySlices).

Each program below runs unchanged on chainrule and on PyTorch (both spell slicing, `.T`,
`reshape`, `+=`, `*=` and item assignment alike); values and gradients must match.
"""

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor

torch = pytest.importorskip("torch")

X = np.arange(1.0, 13.0).reshape(3, 4) / 4.0
W = np.array([0.5, -1.5, 2.0, 3.0])
WEIGHTS = np.random.default_rng(0).standard_normal((3, 4))


def slice_iadd(x, w):
    y = x * 1.0
    v = y[0:2]
    v += 10.0
    return y


def slice_imul_grad(x, w):
    y = x * 2.0
    v = y[1]
    v *= w
    return y


def step_slice(x, w):
    y = x * 1.0
    v = y[::2, 1::2]
    v *= 3.0
    return y * y


def view_of_view_setitem(x, w):
    y = x * 1.0
    y[0][1] = 7.0
    y[2][1:][::2] = w[:2] * 2.0
    return y


def transpose_view(x, w):
    y = x.sin()
    t = y.T
    t[1] += w[:3]
    return y


def reshape_view(x, w):
    y = x + 0.0
    r = y.reshape(2, 6)
    r[1, 2:] *= 0.5
    return y.sin()


def integer_index_view(x, w):
    y = x * 1.0
    row = y[2]
    row[3] = w[0] * w[1]
    return y


def buffer_gets_a_value(x, w):
    buf = x[0] * 0.0
    buf = buf.detach()           # a plain buffer, not requiring grad
    v = buf[0:2]
    v += w[1:3]
    return buf * x[1]


def view_then_base_read(x, w):
    y = x * 1.0
    v = y[:, 1]
    v *= w[:3]
    return y.sum(1) + v          # the updated base and the view both feed the output


def write_to_base_seen_by_view(x, w):
    y = x * 1.0
    v = y[1]                     # taken before the base is written
    y *= 2.0
    y += w
    return v * 3.0


PROGRAMS = [slice_iadd, slice_imul_grad, step_slice, view_of_view_setitem, transpose_view,
            reshape_view, integer_index_view, buffer_gets_a_value, view_then_base_read,
            write_to_base_seen_by_view]


def run_chainrule(program):
    x, w = Tensor(X.copy(), requires_grad=True), Tensor(W.copy(), requires_grad=True)
    out = program(x, w)
    value = out.numpy().copy()
    (out * Tensor(WEIGHTS[:out.shape[0]] if out.ndim == 2 else WEIGHTS[0, :out.shape[0]])
     ).sum().backward()
    return value, x.grad.numpy(), (w.grad.numpy() if w.grad is not None else np.zeros(4))


def run_torch(program):
    x = torch.tensor(X, requires_grad=True)
    w = torch.tensor(W, requires_grad=True)
    out = program(x, w)
    value = out.detach().numpy().copy()
    weights = WEIGHTS[:out.shape[0]] if out.ndim == 2 else WEIGHTS[0, :out.shape[0]]
    (out * torch.tensor(weights)).sum().backward()
    return value, x.grad.numpy(), (w.grad.numpy() if w.grad is not None else np.zeros(4))


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.__name__ for p in PROGRAMS])
def test_write_through_a_view_matches_torch(program):
    got, want = run_chainrule(program), run_torch(program)
    for what, g, t in zip(("value", "x.grad", "w.grad"), got, want):
        np.testing.assert_allclose(g, t, rtol=1e-12, atol=1e-12, err_msg=what)


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.__name__ for p in PROGRAMS])
def test_write_through_a_view_passes_gradcheck(program):
    assert ag.gradcheck(program, (Tensor(X.copy(), requires_grad=True),
                                  Tensor(W.copy(), requires_grad=True)))


def test_the_audit_lines():
    x = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    y = x * 1.0
    v = y[0:2]
    v += 10.0
    np.testing.assert_array_equal(y.numpy(), [11.0, 12.0, 3.0])
    np.testing.assert_array_equal(v.numpy(), [11.0, 12.0])
    assert y.grad_fn.name == "CopySlices" and v.grad_fn.name == "GetItem"

    w = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    buf = Tensor(np.zeros(3))
    v = buf[0:2]
    v += w
    np.testing.assert_array_equal(buf.numpy(), [1.0, 2.0, 0.0])
    assert buf.requires_grad and v.requires_grad
    (buf * Tensor([1.0, 2.0, 3.0])).sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), [1.0, 2.0])


def test_grad_on_and_off_give_the_same_values():
    for program in PROGRAMS:
        with ag.no_grad():
            off = program(Tensor(X.copy()), Tensor(W.copy())).numpy()
        on = program(Tensor(X.copy(), requires_grad=True), Tensor(W.copy(), requires_grad=True))
        np.testing.assert_array_equal(on.numpy(), off, err_msg=program.__name__)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # raised inside torch.func
def test_forward_mode_through_a_view_write():
    v = (np.random.default_rng(1).standard_normal(X.shape), np.ones(4))
    for program in PROGRAMS:
        _, jv = ag.jvp(program, (Tensor(X.copy()), Tensor(W.copy())), v)
        xt = torch.tensor(X, requires_grad=True)
        wt = torch.tensor(W, requires_grad=True)
        _, want = torch.func.jvp(program, (xt.detach(), wt.detach()),
                                 (torch.tensor(v[0]), torch.tensor(v[1])))
        np.testing.assert_allclose(jv.numpy(), want.numpy(), rtol=1e-12, err_msg=program.__name__)


def test_a_view_of_a_leaf_that_requires_grad_is_refused():
    w = Tensor(W.copy(), requires_grad=True)
    v = w[0:2]
    with pytest.raises(RuntimeError, match=r"\+=: a view of a leaf tensor that requires grad"):
        v += 1.0
    np.testing.assert_array_equal(w.numpy(), W)


def test_a_broadcast_view_cannot_be_written():
    x = Tensor(W.copy(), requires_grad=True)
    b = (x * 1.0).broadcast_to((2, 4))
    with pytest.raises(ValueError, match=r"\+=: the tensor's array is read-only"):
        b += 1.0


def test_a_copy_made_by_integer_array_indexing_is_not_a_view():
    x = Tensor(X.copy(), requires_grad=True)
    y = x * 1.0
    c = y[np.array([0, 2])]
    c += 100.0
    np.testing.assert_array_equal(y.numpy(), X)


def test_a_consumer_of_the_old_value_is_refused_not_misrouted():
    """z used y before a recorded write gave y a new history: its gradient must not flow
    into the new one (PyTorch routes it to the old value; refusing is the loud alternative)."""
    x = Tensor(X.copy(), requires_grad=True)
    y = x * 1.0
    z = y + 2.0                      # Add reads nothing, so only the new history is at stake
    v = y[0]
    v *= 3.0
    with pytest.raises(RuntimeError, match=r"Add: input 0 .* modified in place"):
        z.sum().backward()


def test_a_copy_taken_before_a_recorded_write_is_refused_not_misrouted():
    x = Tensor(X.copy(), requires_grad=True)
    y = x * 1.0
    c = y[np.array([0, 2])]          # a copy: it keeps the old values
    y *= 3.0
    with pytest.raises(RuntimeError, match=r"GetItem: input 0 .* modified in place"):
        c.sum().backward()
