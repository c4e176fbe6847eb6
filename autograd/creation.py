"""Making tensors from data the PyTorch way: `tensor`, `as_tensor`, `from_numpy`, the legacy
`FloatTensor`-style constructors, and the argument checks the factories share.

`tensor(data)` infers the dtype as PyTorch does: Python bools -> bool, ints -> int64, floats ->
the default float dtype; an ndarray or Tensor keeps its dtype. (`Tensor(data)` keeps SPEC's
rule instead: Python numbers become the default float dtype, as `torch.Tensor` does.)
"""

import operator

import numpy as np

from . import dtype_names
from .devices import check_device
from .dtypes import get_default_dtype
from .tensor import Tensor


def resolve_dtype(dtype):
    """None, a NumPy dtype, a PyTorch name (`ag.long`), or a Python type (`float` -> float64,
    as in PyTorch) -> a NumPy dtype or None. Unsupported names raise here."""
    return None if dtype is None else np.dtype(dtype)


def refuse_out(where, out):
    if out is not None:
        raise TypeError(f"{where}: out= is not supported; assign the result instead "
                        f"(x = {where}(...))")


def finish(where, array, requires_grad=False, device=None):
    """Wrap a freshly made array, after checking the device and the requires_grad request."""
    check_device(where, device)
    t = Tensor._make(array)
    if requires_grad:
        if array.dtype.kind != "f":
            raise TypeError(f"{where}: only floating-point tensors can require gradients, "
                            f"got dtype {array.dtype}")
        t._requires_grad = True
    return t


def parse_size(where, size):
    """`f(2, 3)`, `f((2, 3))`, `f([2, 3])`, `f(x.shape)` -> (2, 3)."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = size[0]
    dims = []
    for d in size:
        try:
            d = operator.index(d)
        except TypeError:
            raise TypeError(f"{where}: size must be ints, got {size!r}") from None
        if d < 0:
            raise RuntimeError(f"{where}: trying to create a tensor with negative dimension "
                               f"{d}: {tuple(size)}")
        dims.append(d)
    return tuple(dims)


def _unwrap(data):
    """Nested lists that may hold Tensors -> nested lists of arrays NumPy can stack."""
    if isinstance(data, Tensor):
        return data._data
    if isinstance(data, (list, tuple)):
        return [_unwrap(d) for d in data]
    return data


def infer_array(where, data):
    """PyTorch's inference for Python data: bool -> bool, int -> int64, float -> default."""
    if isinstance(data, Tensor):
        return data._data
    if isinstance(data, (np.ndarray, np.generic)):
        return np.asarray(data)
    array = np.asarray(_unwrap(data))
    kind = array.dtype.kind
    if kind == "b":
        return array
    if kind in "iu":
        return array.astype(np.int64, copy=False)
    if kind == "f":
        return array.astype(get_default_dtype(), copy=False)
    if kind == "c":
        raise TypeError(f"{where}: complex data is not supported; "
                        f"{dtype_names.UNSUPPORTED['complex']}")
    raise TypeError(f"{where}: cannot make a tensor from {type(data).__name__} data "
                    f"(got NumPy dtype {array.dtype})")


def tensor(data, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of `data`, its dtype inferred as PyTorch infers it."""
    array = infer_array("tensor", data)
    dtype = resolve_dtype(dtype)
    array = np.array(array, dtype=dtype, copy=True)
    return finish("tensor", array, requires_grad, device)


def as_tensor(data, dtype=None, device=None):
    """Like `tensor`, but without copying when `data` is already an ndarray or Tensor of the
    requested dtype: the result then shares its memory."""
    dtype = resolve_dtype(dtype)
    if isinstance(data, Tensor) and (dtype is None or data.dtype == dtype):
        check_device("as_tensor", device)
        return data
    array = infer_array("as_tensor", data)
    if dtype is not None and array.dtype != dtype:
        array = array.astype(dtype)
    return finish("as_tensor", array, False, device)


def from_numpy(array):
    """A tensor sharing `array`'s memory: writes to either show in the other."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy: expected np.ndarray, got {type(array).__name__}")
    if array.dtype.kind not in "biuf":
        raise TypeError(f"from_numpy: can't convert an array of dtype {array.dtype}; the "
                        "supported kinds are bool, integers and real floats")
    return Tensor._make(array)


class _LegacyType(type):
    """`isinstance(x, FloatTensor)` asks for x's dtype, as PyTorch's legacy types do."""

    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj.dtype == cls.dtype


class _Legacy(metaclass=_LegacyType):
    """`FloatTensor(data)` copies data as float32; `FloatTensor(2, 3)` makes an uninitialised
    (here: zero) tensor of that size, as PyTorch's legacy constructors do. Calling one returns
    a plain Tensor."""

    dtype = None

    def __new__(cls, *args, device=None):
        check_device(cls.__name__, device)
        if len(args) == 1 and isinstance(args[0], (list, tuple, np.ndarray, Tensor)):
            data = args[0]
            return Tensor._make(np.array(data._data if isinstance(data, Tensor) else data,
                                         dtype=cls.dtype))
        size = parse_size(cls.__name__, args) if args else (0,)  # FloatTensor(): empty
        return Tensor._make(np.zeros(size, dtype=cls.dtype))


def _legacy(dtype, name):
    return _LegacyType(name, (_Legacy,), {"dtype": dtype, "__module__": __name__})


FloatTensor = _legacy(dtype_names.float32, "FloatTensor")
DoubleTensor = _legacy(dtype_names.float64, "DoubleTensor")
HalfTensor = _legacy(dtype_names.float16, "HalfTensor")
LongTensor = _legacy(dtype_names.int64, "LongTensor")
IntTensor = _legacy(dtype_names.int32, "IntTensor")
ShortTensor = _legacy(dtype_names.int16, "ShortTensor")
CharTensor = _legacy(dtype_names.int8, "CharTensor")
ByteTensor = _legacy(dtype_names.uint8, "ByteTensor")
BoolTensor = _legacy(dtype_names.bool, "BoolTensor")


def Variable(data, requires_grad=False, volatile=False):
    """PyTorch's pre-0.4 wrapper, today the tensor itself: `Variable(x, requires_grad=True)`."""
    t = data if isinstance(data, Tensor) else Tensor(data)
    if requires_grad:
        t.requires_grad_(True)
    return t
