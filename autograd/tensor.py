"""`Tensor`: an ndarray plus what reverse and forward mode need to differentiate through it.

A tensor made by an op remembers that op as `grad_fn`; the op remembers its input tensors.
Those two links are the whole computational graph. Methods here are thin spellings of the
functions in `autograd.ops`, so each op is defined once.
"""

import builtins
from typing import TYPE_CHECKING, Any

import numpy as np

from . import dtypes, mode
from .dtypes import as_array, is_floating
from .torch_methods import TorchMethods

_new = object.__new__


class Tensor(TorchMethods):
    # _version counts in-place updates; a view (or detach()) has `_base`, the tensor whose
    # array it shares, and then counts with that tensor's counter. A view made by ops also has
    # `_view` = (the tensor it was taken from, the view ops), to replay it after a recorded write,
    # and `_rebound` is the version at which a recorded write gave it a new history (inplace.py).
    __slots__ = ("_data", "_grad", "grad_fn", "_requires_grad", "tangent", "_version", "_base",
                 "_view", "_rebound", "name",
                 "__weakref__")
    __array_ufunc__ = None  # ndarray <op> Tensor defers to Tensor's reflected operators

    def __init__(self, data, requires_grad=False, dtype=None, name=None):
        if type(requires_grad) is builtins.int:  # PyTorch's legacy Tensor(2, 3): sizes
            sizes = [d for d in (data, requires_grad, dtype, name) if d is not None]
            data = np.zeros(_sizes(sizes), dtype=dtypes.get_default_dtype())
            requires_grad = dtype = name = None
        if isinstance(data, Tensor):
            data = data._data
        self._data = as_array(data, None if dtype is None else np.dtype(dtype))
        self._grad = None
        self.grad_fn = None
        self._requires_grad = False
        self.tangent = None
        self._version = 0
        self._base = self._view = None
        self._rebound = 0
        self.name = name
        self.requires_grad = requires_grad

    @staticmethod
    def _make(data, requires_grad=False):
        """Wrap an ndarray the engine just computed, skipping __init__'s checks."""
        t = _new(Tensor)
        t._data = data
        t._grad = None
        t.grad_fn = None
        t._requires_grad = requires_grad
        t.tangent = None
        t._version = 0
        t._base = t._view = None
        t._rebound = 0
        t.name = None
        return t

    # --- autograd attributes -------------------------------------------------------------
    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value):
        if value and not is_floating(self._data.dtype):
            raise TypeError(
                f"requires_grad: only floating-point tensors can require gradients, "
                f"got dtype {self._data.dtype}")
        if not value and self.grad_fn is not None:
            raise RuntimeError("requires_grad: cannot turn it off on a non-leaf tensor; "
                               "use .detach()")
        self._requires_grad = bool(value)

    def requires_grad_(self, requires_grad=True):
        self.requires_grad = requires_grad
        return self

    @property
    def grad(self):
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                value = Tensor(as_array(value, self._data.dtype))
            if value.shape != self.shape:
                raise ValueError(f"grad: assigned a gradient of shape {value.shape} to a "
                                 f"tensor of shape {self.shape}")
            if value.dtype != self.dtype:
                raise TypeError(f"grad: assigned a gradient of dtype {value.dtype} to a tensor "
                                f"of dtype {self.dtype}; cast it first (.astype)")
        self._grad = value

    @property
    def is_leaf(self):
        return self.grad_fn is None

    def backward(self, gradient=None, retain_graph=None, create_graph=False):
        if mode.state.tracer is not None:  # ag.compile records it as a step of the program
            return mode.state.tracer.backward(self, gradient, retain_graph, create_graph)
        from .reverse import backward

        backward(self, gradient, retain_graph, create_graph)

    def detach(self):
        """The same values (the same array, not a copy), cut off from the graph; an in-place
        update through either one counts against both."""
        t = Tensor._make(self._data)
        t._base = self if self._base is None else self._base
        return t

    @property
    def data(self):
        """PyTorch's `.data`: a Tensor sharing this array, outside the graph. Writes through it
        are not tracked (no version bump), as in PyTorch; the ndarray itself is `numpy()`."""
        return Tensor._make(self._data)

    @data.setter
    def data(self, value):
        array = value._data if isinstance(value, Tensor) else as_array(value)
        if self._requires_grad and not is_floating(array.dtype):
            raise TypeError(f"data: cannot assign {array.dtype} values to a tensor that "
                            "requires grad (only floating-point tensors can)")
        self._data = array

    @property
    def version(self):
        """How many in-place updates the array has seen (shared by views of one array)."""
        return (self if self._base is None else self._base)._version

    # --- array attributes ----------------------------------------------------------------
    shape = property(lambda self: self._data.shape)
    ndim = property(lambda self: self._data.ndim)
    dtype = property(lambda self: self._data.dtype)
    def numel(self):
        return self._data.size

    def item(self):
        if mode.state.tracer is not None:
            mode.state.tracer.hazard(self, ".item()")
        if self._data.size != 1:
            raise ValueError(f"item: only a tensor with one element can be converted to a "
                             f"Python number, got shape {self.shape}")
        return self._data.item()

    def numpy(self):
        if mode.state.tracer is not None:
            mode.state.tracer.hazard(self, ".numpy()")
        return self._data

    def tolist(self):
        if mode.state.tracer is not None:
            mode.state.tracer.hazard(self, ".tolist()")
        return self._data.tolist()

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self._data)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __array__(self, dtype=None, copy=None):
        return self._data if dtype is None else self._data.astype(dtype)

    def __repr__(self):
        body = np.array2string(self._data, separator=", ", prefix="Tensor(")
        extra = ""
        if self._data.dtype != np.float32 or self._data.size == 0:
            extra += f", dtype={self._data.dtype}"
        if self.grad_fn is not None:
            extra += f", grad_fn={self.grad_fn.name}"
        elif self._requires_grad:
            extra += ", requires_grad=True"
        return f"Tensor({body}{extra})"

    def __bool__(self):
        if mode.state.tracer is not None:
            mode.state.tracer.hazard(self, "bool()")
        if self._data.size != 1:
            raise ValueError(f"bool: the truth value of a tensor of shape {self.shape} is "
                             "ambiguous; use .any() or .all()")
        return bool(self._data)

    def __float__(self):
        if mode.state.tracer is not None:
            mode.state.tracer.hazard(self, "float()")
        return float(self._data.item() if self._data.size == 1 else self.item())

    def __int__(self):
        if mode.state.tracer is not None:
            mode.state.tracer.hazard(self, "int()")
        return int(self._data.item() if self._data.size == 1 else self.item())

    def __index__(self):
        if self._data.dtype.kind not in "iu" or self._data.size != 1:
            raise TypeError(f"__index__: only integer scalar tensors can be used as an index, "
                            f"got dtype {self.dtype} shape {self.shape}")
        return int(self._data)

    __hash__ = object.__hash__

    if TYPE_CHECKING:  # the op methods are installed from autograd.ops at import time
        def __getattr__(self, name: str) -> Any: ...

    # --- arithmetic --------------------------------------------------------------------
    def __add__(self, other):
        return _ops.add(self, other)

    def __radd__(self, other):
        return _ops.add(other, self)

    def __sub__(self, other):
        return _ops.subtract(self, other)

    def __rsub__(self, other):
        return _ops.subtract(other, self)

    def __mul__(self, other):
        return _ops.multiply(self, other)

    def __rmul__(self, other):
        return _ops.multiply(other, self)

    def __truediv__(self, other):
        return _ops.divide(self, other)

    def __rtruediv__(self, other):
        return _ops.divide(other, self)

    def __pow__(self, other):
        return _ops.power(self, other)

    def __rpow__(self, other):
        return _ops.power(other, self)

    def __matmul__(self, other):
        return _ops.matmul(self, other)

    def __rmatmul__(self, other):
        return _ops.matmul(other, self)

    def __neg__(self):
        return _ops.negative(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return _ops.abs(self)

    # Comparisons give bool tensors and record nothing.
    def __lt__(self, other):
        return _ops.compare(np.less, self, other)

    def __le__(self, other):
        return _ops.compare(np.less_equal, self, other)

    def __gt__(self, other):
        return _ops.compare(np.greater, self, other)

    def __ge__(self, other):
        return _ops.compare(np.greater_equal, self, other)

    def __eq__(self, other):
        return _ops.compare(np.equal, self, other)

    def __ne__(self, other):
        return _ops.compare(np.not_equal, self, other)

    # Integer and bitwise operators (PyTorch semantics: % takes the divisor's sign).
    def __floordiv__(self, other):
        return _ops.floor_divide(self, other)

    def __rfloordiv__(self, other):
        return _ops.floor_divide(other, self)

    def __mod__(self, other):
        return _ops.remainder(self, other)

    def __rmod__(self, other):
        return _ops.remainder(other, self)

    def __and__(self, other):
        return _ops.bitwise_and(self, other)

    def __rand__(self, other):
        return _ops.bitwise_and(other, self)

    def __or__(self, other):
        return _ops.bitwise_or(self, other)

    def __ror__(self, other):
        return _ops.bitwise_or(other, self)

    def __xor__(self, other):
        return _ops.bitwise_xor(self, other)

    def __rxor__(self, other):
        return _ops.bitwise_xor(other, self)

    def __lshift__(self, other):
        return _ops.bitwise_left_shift(self, other)

    def __rlshift__(self, other):
        return _ops.bitwise_left_shift(other, self)

    def __rshift__(self, other):
        return _ops.bitwise_right_shift(self, other)

    def __rrshift__(self, other):
        return _ops.bitwise_right_shift(other, self)

    def __invert__(self):
        return _ops.bitwise_not(self)

    def __getitem__(self, index):
        return _ops.getitem(self, index)

    # In-place updates: see inplace.py for how they stay correct under autograd.
    def __setitem__(self, index, value):
        inplace.setitem(self, index, value)

    def __iadd__(self, other):
        return inplace.update(self, _ops.add, other, "+=")

    def __isub__(self, other):
        return inplace.update(self, _ops.subtract, other, "-=")

    def __imul__(self, other):
        return inplace.update(self, _ops.multiply, other, "*=")

    def __itruediv__(self, other):
        return inplace.update(self, _ops.divide, other, "/=")

    def __ipow__(self, other):
        return inplace.update(self, _ops.power, other, "**=")

    def __ifloordiv__(self, other):
        return inplace.update(self, _ops.floor_divide, other, "//=")

    def __imod__(self, other):
        return inplace.update(self, _ops.remainder, other, "%=")

    def __iand__(self, other):
        return inplace.update(self, _ops.bitwise_and, other, "&=")

    def __ior__(self, other):
        return inplace.update(self, _ops.bitwise_or, other, "|=")

    def __ixor__(self, other):
        return inplace.update(self, _ops.bitwise_xor, other, "^=")

    def __ilshift__(self, other):
        return inplace.update(self, _ops.bitwise_left_shift, other, "<<=")

    def __irshift__(self, other):
        return inplace.update(self, _ops.bitwise_right_shift, other, ">>=")

    def mul_(self, other):
        return inplace.update(self, _ops.multiply, other, "mul_")

    def div_(self, other):
        return inplace.update(self, _ops.divide, other, "div_")

    def zero_(self):
        return inplace.setitem(self, Ellipsis, 0, "zero_")

    def fill_(self, value):
        return inplace.setitem(self, Ellipsis, value, "fill_")

    def copy_(self, src):
        return inplace.setitem(self, Ellipsis, src, "copy_")

    # --- methods ------------------------------------------------------------------------
    # Every other math, shape and reduction method is `ag.NAME(x, ...)` under its other
    # spelling, installed by autograd/ops/methods.py.
    @property
    def T(self):
        return _ops.transpose(self)


def _sizes(sizes):
    if not all(type(d) is builtins.int and d >= 0 for d in sizes):
        raise TypeError(f"Tensor: with sizes (PyTorch's legacy Tensor(2, 3)), every argument "
                        f"must be a non-negative int, got {tuple(sizes)}")
    return tuple(sizes)


from . import inplace  # noqa: E402  (these import Tensor, so they load after it)
from . import ops as _ops  # noqa: E402

__all__ = ["Tensor", "mode"]
