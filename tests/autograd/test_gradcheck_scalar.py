"""gradcheck on a scalar output reports the gradient itself; on a tensor, says u is random."""

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor


class HalfSquare(ag.Op):
    """out = a², with a deliberately wrong reverse rule (g·a instead of 2·g·a)."""

    __slots__ = ()

    def forward(self, a):
        return a * a

    def vjp(self, out, g):
        return (g * self.inputs[0],)

    def jvp(self, out, da):
        return da * self.inputs[0] * 2.0


def test_scalar_output_reports_the_true_gradients():
    x = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    with pytest.raises(ag.GradcheckError) as info:
        ag.gradcheck(lambda x: HalfSquare()(x).sum(), [x])
    message = str(info.value)
    assert "analytic gradient 1 but numeric 2" in message, message
    assert "random" not in message, message


def test_tensor_output_names_the_random_weights():
    x = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    with pytest.raises(ag.GradcheckError, match=r"<u, f\(x\)> for a random u"):
        ag.gradcheck(lambda x: HalfSquare()(x), [x])


def test_a_correct_scalar_function_passes():
    x = Tensor(np.array([0.5, -1.5]), requires_grad=True)
    assert ag.gradcheck(lambda x: (x * x * x).sum(), [x])
