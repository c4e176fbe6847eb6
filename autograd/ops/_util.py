"""Small helpers the op families share: turning operands into Tensors, constants in rules."""

import numpy as np

from ..dtypes import get_default_dtype
from ..tensor import Tensor


def as_tensor(x, like=None):
    """`x` as a Tensor. A Python scalar takes the dtype of the tensor it meets (so
    `float32_tensor * 2.0` stays float32); other data follows the Tensor constructor."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, (int, float)) and not isinstance(x, bool) and like is not None:
        kind = like.data.dtype.kind
        if kind == "f" or (kind in "iu" and isinstance(x, int)):
            return Tensor._make(np.asarray(x, dtype=like.data.dtype))
        return Tensor._make(np.asarray(x, dtype=get_default_dtype()))
    return Tensor(x)


def pair(a, b):
    """Both operands of a binary op as Tensors, a Python scalar taking the other's dtype."""
    if isinstance(a, Tensor):
        if isinstance(b, Tensor):
            return a, b
        return a, as_tensor(b, a)
    if not isinstance(b, Tensor):  # neither is (ag.maximum(array, 0.0)): a follows Tensor()
        a = as_tensor(a)
        return a, as_tensor(b, a)
    return as_tensor(a, b), b


def const(array, dtype):
    """A constant (non-differentiable) factor in a rule, e.g. a mask, in the rule's dtype."""
    return Tensor._make(np.asarray(array, dtype=dtype))
