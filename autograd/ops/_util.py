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
        kind = like._data.dtype.kind
        if kind == "f" or (kind in "iu" and isinstance(x, int)):
            return scalar(x, like._data.dtype)
        return scalar(x, get_default_dtype())
    return Tensor(x)


# Rules and user code use a handful of Python constants (1.0 - out², x * 0.5) over and over;
# each becomes one read-only 0-d tensor per dtype instead of a new array per use.
_SCALARS = {}


def scalar(x, dtype):
    """The Python number `x` as a constant 0-d tensor of `dtype`."""
    key = (type(x), x, dtype)
    t = _SCALARS.get(key)
    if t is None:
        array = np.asarray(x, dtype=dtype)
        array.flags.writeable = False
        t = Tensor._make(array)
        if x and x == x and len(_SCALARS) < 1024:  # not ±0 (the sign matters) nor NaN
            _SCALARS[key] = t
    return t


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
