"""Every bad input to the engine and the optimizers gets an error of the right type whose
message names the op and the shapes, dtypes or value involved — one case per line of CASES.

The table is also the source of the issue's "what the user sees" list: each case's message is
checked against a pattern that pins the op and the offending numbers, not just the type.
"""

import numpy as np
import pytest

import autograd as ag
import optim
from autograd import Tensor


def t(*shape, requires_grad=False):
    return Tensor(np.ones(shape), requires_grad=requires_grad)


def _set_grad(x, value):
    x.grad = value


def _backward(y, **kwargs):
    y.backward(**kwargs)


def _iadd(x, y):
    x += y


def _setitem(x, index, value):
    x[index] = value


P = Tensor(np.ones(3), requires_grad=True)

# (id, thunk, exception type, pattern the message must match)
CASES = [
    # --- shapes ---
    ("broadcast mismatch", lambda: t(2, 3) + t(4), ag.ShapeError,
     r"^Add: cannot broadcast \(2, 3\) with \(4,\)$"),
    ("broadcast mismatch, tracked", lambda: t(2, 3, requires_grad=True) * t(3, 2), ag.ShapeError,
     r"^Multiply: cannot broadcast \(2, 3\) with \(3, 2\)$"),
    ("broadcast mismatch in maximum", lambda: ag.maximum(t(2, 3), t(2)), ag.ShapeError,
     r"^Maximum: cannot broadcast \(2, 3\) with \(2,\)$"),
    ("broadcast_to impossible", lambda: t(2, 3).broadcast_to((3, 3)), ag.ShapeError,
     r"broadcast_to: cannot broadcast \(2, 3\)"),
    ("matmul mismatch", lambda: t(2, 3) @ t(4, 5), ag.ShapeError,
     r"^matmul: cannot multiply \(2, 3\) by \(4, 5\)$"),
    ("matmul vector mismatch", lambda: ag.matmul(t(3), t(4)), ag.ShapeError,
     r"^matmul: cannot multiply \(3,\) by \(4,\)$"),
    ("matmul batch mismatch", lambda: t(2, 2, 3) @ t(3, 3, 4), ag.ShapeError,
     r"matmul: cannot multiply \(2, 2, 3\) by \(3, 3, 4\) \(batch axes do not broadcast\)"),
    ("reshape impossible", lambda: t(2, 3).reshape(4, 2), ag.ShapeError,
     r"^reshape: cannot reshape \(2, 3\) \(6 elements\) into \(4, 2\)$"),
    ("reshape two -1", lambda: t(2, 3).reshape(-1, -1), ag.ShapeError,
     r"reshape: cannot reshape \(2, 3\) \(6 elements\) into \(-1, -1\)"),
    ("sum over a missing axis", lambda: t(2, 3).sum(axis=2), ag.ShapeError,
     r"sum: axis 2 is out of range for a tensor of 2 dims \(expected -2 to 1\)"),
    ("sum over a missing dim", lambda: t(2, 3).sum(dim=-3), ag.ShapeError,
     r"sum: dim -3 is out of range for a tensor of 2 dims \(expected -2 to 1\)"),
    ("dim= mixed with axis=", lambda: t(2, 3).sum(dim=0, axis=1), TypeError,
     r"^sum: got both dim=0 \(PyTorch\) and axis=1 \(NumPy\); give one$"),
    ("keepdim= mixed with keepdims=", lambda: t(2, 3).mean(0, keepdim=True, keepdims=True),
     TypeError, r"^mean: got both keepdim=True \(PyTorch\) and keepdims=True \(NumPy\)"),
    ("view of an incompatible shape", lambda: t(2, 3).view(4, 2), ag.ShapeError,
     r"^view: shape \(4, 2\) is invalid for a tensor of shape \(2, 3\) \(6 elements\)$"),
    ("in-place update that would change the shape", lambda: _iadd(t(3), t(2, 3)), ag.ShapeError,
     r"^\+=: the result has shape \(2, 3\), but an in-place update cannot change the shape "
     r"\(3,\)$"),
    # --- dtypes ---
    ("requires_grad on int", lambda: Tensor(np.array([1, 2]), requires_grad=True), TypeError,
     r"^requires_grad: only floating-point tensors can require gradients, got dtype int64$"),
    ("requires_grad on bool", lambda: Tensor(np.array([True]), requires_grad=True), TypeError,
     r"got dtype bool$"),
    ("requires_grad_() on int", lambda: Tensor(np.arange(3)).requires_grad_(), TypeError,
     r"only floating-point tensors can require gradients, got dtype int64"),
    ("in-place float into int", lambda: _iadd(Tensor(np.arange(3)), 0.5), TypeError,
     r"^\+=: cannot write float32 values into a tensor of dtype int64 in place$"),
    # --- backward ---
    ("backward on non-scalar", lambda: _backward(t(2, 3, requires_grad=True) * 2), RuntimeError,
     r"^backward: the output has shape \(2, 3\); a gradient can be created implicitly only for "
     r"a scalar output, so pass `gradient` of the same shape$"),
    ("backward without grad", lambda: _backward(t(2, 3).sum()), RuntimeError,
     r"^backward: the tensor does not require grad and has no grad_fn"),
    ("backward gradient wrong shape",
     lambda: _backward(t(2, 3, requires_grad=True) * 2, gradient=np.ones((3, 2))), RuntimeError,
     r"^backward: gradient has shape \(3, 2\) but the output has shape \(2, 3\)$"),
    ("grad wrong shape", lambda: _set_grad(t(2, 3, requires_grad=True), np.ones(3)), ValueError,
     r"^grad: assigned a gradient of shape \(3,\) to a tensor of shape \(2, 3\)$"),
    ("ag.grad of non-scalar", lambda: ag.grad(P * 2, P), RuntimeError,
     r"^grad: the output has shape \(3,\); a gradient can be created implicitly only"),
    # --- empty reductions ---
    ("max of empty", lambda: Tensor(np.ones(0)).max(), ValueError,
     r"^max: cannot reduce over an empty axis of a tensor of shape \(0,\)$"),
    ("min of empty along its empty axis", lambda: Tensor(np.ones((0, 3))).min(axis=0), ValueError,
     r"^min: cannot reduce over an empty axis of a tensor of shape \(0, 3\)$"),
    ("max of empty, tracked", lambda: Tensor(np.ones((2, 0)), requires_grad=True).max(),
     ValueError, r"^max: cannot reduce over an empty axis of a tensor of shape \(2, 0\)$"),
    # --- indices ---
    ("index out of range", lambda: t(2, 3)[5], IndexError,
     r"^getitem: index 5 is invalid for a tensor of shape \(2, 3\): index 5 is out of bounds "
     r"for axis 0 with size 2$"),
    ("second index out of range", lambda: t(2, 3, requires_grad=True)[:, 3], IndexError,
     r"getitem: index \(slice\(None, None, None\), 3\) is invalid for a tensor of shape "
     r"\(2, 3\)"),
    ("negative index out of range", lambda: t(2, 3)[-3], IndexError,
     r"getitem: index -3 is invalid for a tensor of shape \(2, 3\)"),
    ("index array out of range", lambda: t(2, 3)[np.array([0, 2])], IndexError,
     r"getitem: index array\[0, 2\] is invalid for a tensor of shape \(2, 3\)"),
    ("bool mask of the wrong shape", lambda: t(2, 3)[np.array([True, False, True])], IndexError,
     r"getitem: index array\[True, False, True\] is invalid for a tensor of shape \(2, 3\)"),
    ("setitem out of range", lambda: _setitem(t(2, 3), (0, 3), 1.0), IndexError,
     r"^setitem: cannot assign at index \(0, 3\) of a tensor of shape \(2, 3\)"),
    ("setitem out of range, tracked",
     lambda: _setitem(t(2, 3, requires_grad=True) * 1.0, 4, t(3, requires_grad=True)), IndexError,
     r"^setitem: cannot assign a value of shape \(3,\) at index 4 of a tensor of shape \(2, 3\)"),
    ("setitem value of the wrong shape", lambda: _setitem(t(2, 3), 0, np.ones(4)), IndexError,
     r"setitem: cannot assign at index 0 of a tensor of shape \(2, 3\)"),
    # --- optimizers ---
    ("SGD negative lr", lambda: optim.SGD([P], lr=-0.1), ValueError,
     r"^SGD: invalid lr=-0.1, expected a value >= 0$"),
    ("Adam negative lr", lambda: optim.Adam([P], lr=-1e-3), ValueError,
     r"^Adam: invalid lr=-0.001, expected a value >= 0$"),
    ("SGD NaN lr", lambda: optim.SGD([P], lr=float("nan")), ValueError, r"SGD: invalid lr=nan"),
    ("Adam beta2 = 1", lambda: optim.Adam([P], betas=(0.9, 1.0)), ValueError,
     r"^Adam: invalid betas\[1\]=1.0, expected a value in \[0, 1\)$"),
    ("AdamW beta1 < 0", lambda: optim.AdamW([P], betas=(-0.1, 0.999)), ValueError,
     r"^AdamW: invalid betas\[0\]=-0.1, expected a value in \[0, 1\)$"),
    ("Nesterov without momentum", lambda: optim.SGD([P], lr=0.1, nesterov=True), ValueError,
     r"^SGD: nesterov=True requires momentum > 0 and dampening = 0, got momentum=0, "
     r"dampening=0$"),
    ("empty parameter list", lambda: optim.SGD([], lr=0.1), ValueError,
     r"^SGD: got an empty parameter list$"),
    ("empty generator of parameters", lambda: optim.Adam(iter([])), ValueError,
     r"^Adam: got an empty parameter list$"),
    ("bare Tensor as params", lambda: optim.SGD(P, lr=0.1), TypeError,
     r"^SGD: params must be an iterable of Tensors or of dicts, got a single Tensor of shape "
     r"\(3,\); pass \[tensor\] instead$"),
    ("non-Tensor in params", lambda: optim.Adam([P, np.ones(3)]), TypeError,
     r"Adam: can only optimize Tensors, but params\[1\] is a ndarray"),
]


@pytest.mark.parametrize("thunk, error, pattern", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_bad_input_is_answered(thunk, error, pattern):
    with pytest.raises(error, match=pattern):
        thunk()


def test_shape_error_is_a_value_error():
    assert issubclass(ag.ShapeError, ValueError)


def test_nothing_changed_after_a_refused_in_place_update():
    x = Tensor(np.arange(3.0))
    with pytest.raises(ag.ShapeError):
        x += Tensor(np.ones((2, 3)))
    with pytest.raises(TypeError):
        i = Tensor(np.arange(3))
        i += 0.5
    np.testing.assert_array_equal(x.numpy(), [0.0, 1.0, 2.0])
    assert x._version == 0 and i._version == 0


def test_max_over_a_non_empty_axis_of_an_empty_tensor():
    x = Tensor(np.ones((0, 3)), requires_grad=True)
    out = x.max(axis=1)
    assert out.shape == (0,)
    out.sum().backward()
    assert x.grad.shape == (0, 3)
