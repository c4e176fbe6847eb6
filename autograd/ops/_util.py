"""Small helpers the op families share: turning operands into Tensors with PyTorch's type
promotion, constants in rules."""

import numpy as np

from ..dtypes import get_default_dtype
from ..tensor import Tensor

_INT64 = np.dtype(np.int64)


def as_tensor(x, like=None):
    """`x` as a Tensor. A Python number meeting a tensor follows PyTorch: it takes the
    tensor's dtype where its kind allows (`float32_tensor * 2.0` stays float32,
    `int32_tensor + 1` stays int32); a float meeting integers gives the default float dtype.
    Other data follows the Tensor constructor."""
    if isinstance(x, Tensor):
        return x
    if like is not None and isinstance(x, (int, float)):  # bool is an int too
        dtype = like._data.dtype
        if dtype.kind == "f" or isinstance(x, bool):
            return scalar(x, dtype)
        if isinstance(x, int):  # an integer tensor keeps its dtype; a bool one becomes int64
            return scalar(x, dtype if dtype.kind in "iu" else _INT64)
        return scalar(x, get_default_dtype())  # a float meeting integers: the default float
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
    """Both operands of a binary op as Tensors of PyTorch's result dtype (see `promote`); a
    Python scalar takes the other operand's dtype where its kind allows."""
    if isinstance(a, Tensor):
        if isinstance(b, Tensor):
            if a._data.dtype is b._data.dtype:
                return a, b
            return promote(a, b)
        dtype = a._data.dtype
        if dtype.kind == "f" and isinstance(b, (int, float)):  # x * 0.5: b takes x's dtype
            return a, scalar(b, dtype)
        b = as_tensor(b, a)
    elif isinstance(b, Tensor):
        dtype = b._data.dtype
        if dtype.kind == "f" and isinstance(a, (int, float)):  # 1.0 - x
            return scalar(a, dtype), b
        a = as_tensor(a, b)
    else:  # neither is (ag.where(c, 1, 3), ag.maximum(array, 0.0))
        a = infer(a)
        b = as_tensor(b, a)
    if a._data.dtype is b._data.dtype:
        return a, b
    return promote(a, b)


def infer(x):
    """A Python number as `ag.tensor` makes it (bool stays bool, int -> int64, float -> the
    default float); anything else as the Tensor constructor makes it."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, bool):
        return scalar(x, np.dtype(bool))
    if isinstance(x, int):
        return scalar(x, np.dtype(np.int64))
    return Tensor(x)


# Category of a dtype kind in PyTorch's promotion: bool < integer < floating.
_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2, "c": 3}


def result_dtype(a, b):
    """PyTorch's result dtype for two tensors: the higher category (bool < int < float) wins
    outright, with its own dtype (an int tensor times a float32 one is float32, not NumPy's
    float64); within one category a tensor with dimensions outranks a 0-d one, and two of
    the same rank promote as NumPy does (float32 with float64 is float64)."""
    da, db = a._data.dtype, b._data.dtype
    ca, cb = _CATEGORY[da.kind], _CATEGORY[db.kind]
    if ca != cb:
        return da if ca > cb else db
    if (a._data.ndim == 0) != (b._data.ndim == 0):
        return db if a._data.ndim == 0 else da
    return np.promote_types(da, db)


def promote(a, b):
    """Both tensors cast to their PyTorch result dtype (the cast is recorded, so gradients
    flow back to the input's own dtype)."""
    from .arithmetic import astype

    if a._data.dtype.kind not in _CATEGORY or b._data.dtype.kind not in _CATEGORY:
        return a, b  # text, dates, objects: the op itself refuses them, naming itself
    dtype = result_dtype(a, b)
    return astype(a, dtype), astype(b, dtype)


def floating(a):
    """`a` as a Tensor in a floating dtype: integer and bool tensors become the default float,
    as PyTorch's exp, sqrt, sin and true division of integers do."""
    if not isinstance(a, Tensor):
        a = as_tensor(a)
    if a._data.dtype.kind not in "biu":  # floats stay; text and objects: the op refuses them
        return a
    return Tensor._make(a._data.astype(get_default_dtype()))


def const(array, dtype):
    """A constant (non-differentiable) factor in a rule, e.g. a mask, in the rule's dtype."""
    return Tensor._make(np.asarray(array, dtype=dtype))
