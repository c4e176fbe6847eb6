"""`Tensor`: an ndarray plus what reverse and forward mode need to differentiate through it.

A tensor made by an op remembers that op as `grad_fn`; the op remembers its input tensors.
Those two links are the whole computational graph. Methods here are thin spellings of the
functions in `autograd.ops`, so each op is defined once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import DTypeLike

from . import mode
from .dtypes import as_array, is_floating

_new = object.__new__


class Tensor:
    # _version counts in-place updates; a view (or detach()) has `_base`, the tensor whose
    # array it shares, and then counts with that tensor's counter (see inplace.py).
    __slots__ = ("_data", "_grad", "grad_fn", "_requires_grad", "tangent", "_version", "_base",
                 "name",
                 "__weakref__")
    _data: np.ndarray
    _grad: Tensor | None
    grad_fn: Any  # the Op that made this tensor, None for a leaf
    _requires_grad: bool
    tangent: Tensor | None
    _version: int
    _base: Tensor | None
    name: str | None
    __array_ufunc__ = None  # ndarray <op> Tensor defers to Tensor's reflected operators

    def __init__(self, data: Any, requires_grad: bool = False, dtype: DTypeLike | None = None,
                 name: str | None = None) -> None:
        if isinstance(data, Tensor):
            data = data._data
        self._data = as_array(data, None if dtype is None else np.dtype(dtype))
        self._grad = None
        self.grad_fn = None
        self._requires_grad = False
        self.tangent = None
        self._version = 0
        self._base = None
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
        t._base = None
        t.name = None
        return t

    # --- autograd attributes -------------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: Any) -> None:
        if value and not is_floating(self._data.dtype):
            raise TypeError(
                f"requires_grad: only floating-point tensors can require gradients, "
                f"got dtype {self._data.dtype}")
        if not value and self.grad_fn is not None:
            raise RuntimeError("requires_grad: cannot turn it off on a non-leaf tensor; "
                               "use .detach()")
        self._requires_grad = bool(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        self.requires_grad = requires_grad
        return self

    @property
    def grad(self) -> Tensor | None:
        return self._grad

    @grad.setter
    def grad(self, value: Any) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                value = Tensor(as_array(value, self._data.dtype))
            if value.shape != self.shape:
                raise ValueError(f"grad: assigned a gradient of shape {value.shape} to a "
                                 f"tensor of shape {self.shape}")
        self._grad = value

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    def backward(self, gradient: Any = None, retain_graph: bool | None = None,
                 create_graph: bool = False) -> None:
        from .reverse import backward

        backward(self, gradient, retain_graph, create_graph)

    def detach(self) -> Tensor:
        """The same values (the same array, not a copy), cut off from the graph; an in-place
        update through either one counts against both."""
        t = Tensor._make(self._data)
        t._base = self if self._base is None else self._base
        return t

    @property
    def data(self) -> Tensor:
        """PyTorch's `.data`: a Tensor sharing this array, outside the graph. Writes through it
        are not tracked (no version bump), as in PyTorch; the ndarray itself is `numpy()`."""
        return Tensor._make(self._data)

    @data.setter
    def data(self, value: Any) -> None:
        array = value._data if isinstance(value, Tensor) else as_array(value)
        if self._requires_grad and not is_floating(array.dtype):
            raise TypeError(f"data: cannot assign {array.dtype} values to a tensor that "
                            "requires grad (only floating-point tensors can)")
        self._data = array

    @property
    def version(self) -> int:
        """How many in-place updates the array has seen (shared by views of one array)."""
        return (self if self._base is None else self._base)._version

    # --- array attributes ----------------------------------------------------------------
    shape = property(lambda self: self._data.shape)
    ndim = property(lambda self: self._data.ndim)
    dtype = property(lambda self: self._data.dtype)
    size = property(lambda self: self._data.size)

    def numel(self) -> int:
        return self._data.size

    def item(self) -> Any:
        if self._data.size != 1:
            raise ValueError(f"item: only a tensor with one element can be converted to a "
                             f"Python number, got shape {self.shape}")
        return self._data.item()

    def numpy(self) -> np.ndarray:
        return self._data

    def tolist(self) -> Any:
        return self._data.tolist()

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self._data)

    def __iter__(self) -> Iterator[Tensor]:
        return (self[i] for i in range(len(self)))

    def __array__(self, dtype: DTypeLike | None = None, copy: bool | None = None) -> np.ndarray:
        return self._data if dtype is None else self._data.astype(dtype)

    def __repr__(self) -> str:
        body = np.array2string(self._data, separator=", ", prefix="Tensor(")
        extra = ""
        if self._data.dtype != np.float32 or self._data.size == 0:
            extra += f", dtype={self._data.dtype}"
        if self.grad_fn is not None:
            extra += f", grad_fn={self.grad_fn.name}"
        elif self._requires_grad:
            extra += ", requires_grad=True"
        return f"Tensor({body}{extra})"

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise ValueError(f"bool: the truth value of a tensor of shape {self.shape} is "
                             "ambiguous; use .any() or .all()")
        return bool(self._data)

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iu" or self._data.size != 1:
            raise TypeError(f"__index__: only integer scalar tensors can be used as an index, "
                            f"got dtype {self.dtype} shape {self.shape}")
        return int(self._data)

    __hash__ = object.__hash__

    # --- arithmetic --------------------------------------------------------------------
    def __add__(self, other: Any) -> Tensor:
        return _ops.add(self, other)

    def __radd__(self, other: Any) -> Tensor:
        return _ops.add(other, self)

    def __sub__(self, other: Any) -> Tensor:
        return _ops.subtract(self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return _ops.subtract(other, self)

    def __mul__(self, other: Any) -> Tensor:
        return _ops.multiply(self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return _ops.multiply(other, self)

    def __truediv__(self, other: Any) -> Tensor:
        return _ops.divide(self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return _ops.divide(other, self)

    def __pow__(self, other: Any) -> Tensor:
        return _ops.power(self, other)

    def __rpow__(self, other: Any) -> Tensor:
        return _ops.power(other, self)

    def __matmul__(self, other: Any) -> Tensor:
        return _ops.matmul(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return _ops.matmul(other, self)

    def __neg__(self) -> Tensor:
        return _ops.negative(self)

    def __pos__(self) -> Tensor:
        return self

    def __abs__(self) -> Tensor:
        return _ops.abs(self)

    # Comparisons give bool tensors and record nothing.
    def __lt__(self, other: Any) -> Tensor:
        return _ops.compare(np.less, self, other)

    def __le__(self, other: Any) -> Tensor:
        return _ops.compare(np.less_equal, self, other)

    def __gt__(self, other: Any) -> Tensor:
        return _ops.compare(np.greater, self, other)

    def __ge__(self, other: Any) -> Tensor:
        return _ops.compare(np.greater_equal, self, other)

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]  # elementwise, as in PyTorch
        return _ops.compare(np.equal, self, other)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]  # elementwise, as in PyTorch
        return _ops.compare(np.not_equal, self, other)

    def __getitem__(self, index: Any) -> Tensor:
        return _ops.getitem(self, index)

    # In-place updates: see inplace.py for how they stay correct under autograd.
    def __setitem__(self, index: Any, value: Any) -> None:
        inplace.setitem(self, index, value)

    def __iadd__(self, other: Any) -> Tensor:
        return inplace.update(self, _ops.add, other, "+=")

    def __isub__(self, other: Any) -> Tensor:
        return inplace.update(self, _ops.subtract, other, "-=")

    def __imul__(self, other: Any) -> Tensor:
        return inplace.update(self, _ops.multiply, other, "*=")

    def __itruediv__(self, other: Any) -> Tensor:
        return inplace.update(self, _ops.divide, other, "/=")

    def __ipow__(self, other: Any) -> Tensor:
        return inplace.update(self, _ops.power, other, "**=")

    def add_(self, other: Any) -> Tensor:
        return inplace.update(self, _ops.add, other, "add_")

    def sub_(self, other: Any) -> Tensor:
        return inplace.update(self, _ops.subtract, other, "sub_")

    def mul_(self, other: Any) -> Tensor:
        return inplace.update(self, _ops.multiply, other, "mul_")

    def div_(self, other: Any) -> Tensor:
        return inplace.update(self, _ops.divide, other, "div_")

    def zero_(self) -> Tensor:
        return inplace.setitem(self, Ellipsis, 0, "zero_")

    def fill_(self, value: Any) -> Tensor:
        return inplace.setitem(self, Ellipsis, value, "fill_")

    def copy_(self, src: Any) -> Tensor:
        return inplace.setitem(self, Ellipsis, src, "copy_")

    # --- functions as methods ----------------------------------------------------------
    def exp(self):
        return _ops.exp(self)

    def log(self):
        return _ops.log(self)

    def sqrt(self):
        return _ops.sqrt(self)

    def tanh(self):
        return _ops.tanh(self)

    def sigmoid(self):
        return _ops.sigmoid(self)

    def relu(self):
        return _ops.relu(self)

    def leaky_relu(self, slope=0.01):
        return _ops.leaky_relu(self, slope)

    def abs(self) -> Tensor:
        return _ops.abs(self)

    def sin(self):
        return _ops.sin(self)

    def cos(self):
        return _ops.cos(self)

    def clip(self, lo=None, hi=None):
        return _ops.clip(self, lo, hi)

    def maximum(self, other):
        return _ops.maximum(self, other)

    def minimum(self, other):
        return _ops.minimum(self, other)

    def astype(self, dtype):
        return _ops.astype(self, dtype)

    def sum(self, axis=None, keepdims=False):
        return _ops.sum(self, axis, keepdims)

    def mean(self, axis=None, keepdims=False):
        return _ops.mean(self, axis, keepdims)

    def max(self, axis=None, keepdims=False):
        return _ops.max(self, axis, keepdims)

    def min(self, axis=None, keepdims=False):
        return _ops.min(self, axis, keepdims)

    def var(self, axis=None, keepdims=False, ddof=0):
        return _ops.var(self, axis, keepdims, ddof)

    def std(self, axis=None, keepdims=False, ddof=0):
        return _ops.std(self, axis, keepdims, ddof)

    def logsumexp(self, axis=None, keepdims=False):
        return _ops.logsumexp(self, axis, keepdims)

    def softmax(self, axis=-1):
        return _ops.softmax(self, axis)

    def log_softmax(self, axis=-1):
        return _ops.log_softmax(self, axis)

    def reshape(self, *shape):
        return _ops.reshape(self, shape[0] if len(shape) == 1 else shape)

    def transpose(self, *axes):
        return _ops.transpose(self, (axes[0] if len(axes) == 1 else axes) or None)

    @property
    def T(self) -> Tensor:
        return _ops.transpose(self)

    def squeeze(self, axis=None):
        return _ops.squeeze(self, axis)

    def expand_dims(self, axis):
        return _ops.expand_dims(self, axis)

    def flatten(self):
        return _ops.flatten(self)

    def broadcast_to(self, shape):
        return _ops.broadcast_to(self, shape)


    if TYPE_CHECKING:
        # Most math, shape and reduction methods are installed from autograd.ops at import;
        # to a type checker they are Any-typed attributes.
        def __getattr__(self, name: str) -> Any: ...

from . import inplace  # noqa: E402  (these import Tensor, so they load after it)
from . import ops as _ops  # noqa: E402

__all__ = ["Tensor", "mode"]
