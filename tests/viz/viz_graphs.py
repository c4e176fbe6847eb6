"""Graphs the viz tests draw: the lessons' e = (a + b) * (b + 1) and named float64 scalars."""

import numpy as np

from autograd import Tensor


def scalar(value, name=None):
    return Tensor(np.float64(value), requires_grad=True, name=name)


def lesson_graph():
    """e = (a + b) * (b + 1) at a = 2, b = 1, with the intermediates named c and d."""
    a, b = scalar(2.0, "a"), scalar(1.0, "b")
    c = a + b
    c.name = "c"
    d = b + 1
    d.name = "d"
    e = c * d
    e.name = "e"
    return a, b, c, d, e
