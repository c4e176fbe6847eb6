"""Tensor methods that PyTorch programs call: casts (`float()`, `long()`, `to(...)`, `type()`),
devices (`cpu()`, `.device`; `cuda()` refuses), `new_*` constructors, `register_hook` and
`retain_grad`, and random in-place fills. `Tensor` inherits them; they live here to keep
tensor.py about the engine's own attributes and operators.
"""

import builtins

import numpy as np


def _inplace():
    from . import inplace

    return inplace


class TorchMethods:
    __slots__ = ()

    def _cast(self, dtype):
        """A cast that, like PyTorch's, returns self when nothing changes and leaves the graph
        for a non-float result (integer tensors cannot carry gradients)."""
        from . import ops

        dtype = np.dtype(dtype)
        if dtype == self._data.dtype:
            return self
        return ops.astype(self if dtype.kind == "f" else self.detach(), dtype)

    def float(self):
        return self._cast(np.float32)

    def double(self):
        return self._cast(np.float64)

    def half(self):
        return self._cast(np.float16)

    def long(self):
        return self._cast(np.int64)

    def int(self):
        return self._cast(np.int32)

    def short(self):
        return self._cast(np.int16)

    def char(self):
        return self._cast(np.int8)

    def byte(self):
        return self._cast(np.uint8)

    def bool(self):
        return self._cast(np.bool_)

    def to(self, *args, dtype=None, device=None, non_blocking=False, copy=False,
           memory_format=None):
        """`to(dtype)`, `to(device)`, `to(device, dtype)`, `to(other_tensor)`: only the CPU
        exists, so only the dtype can change; `copy=True` always returns a new tensor."""
        from .devices import check_device
        from .devices import device as device_type

        for a in args:
            if isinstance(a, TorchMethods):
                dtype = a.dtype
            elif isinstance(a, (str, device_type)) or (
                    isinstance(a, builtins.int) and not isinstance(a, builtins.bool)):
                device = a
            else:
                dtype = a
        check_device("to", device)
        out = self if dtype is None else self._cast(dtype)
        if copy and out is self:  # a new array; differentiable when it takes part in a graph
            return self + 0 if self._requires_grad else type(self)._make(self._data.copy())
        return out

    def cpu(self, memory_format=None):
        return self

    def cuda(self, device=None, non_blocking=False, memory_format=None):
        from .devices import check_device

        check_device("cuda", "cuda" if device is None else device)

    @property
    def device(self):
        from .devices import CPU

        return CPU

    def get_device(self):
        """-1: the CPU, as PyTorch numbers it."""
        return -1

    is_cuda = False
    is_sparse = False
    is_quantized = False
    is_meta = False

    def pin_memory(self, device=None):
        return self

    def share_memory_(self):
        return self

    def type(self, dtype=None, non_blocking=False):
        """`x.type()` names the legacy tensor type ('torch.FloatTensor', PyTorch's own string);
        `x.type(ag.long)` or `x.type("torch.LongTensor")` casts."""
        from . import dtype_names

        if dtype is None:
            return dtype_names.type_name(self._data.dtype)
        if isinstance(dtype, builtins.type) and isinstance(getattr(dtype, "dtype", None),
                                                            np.dtype):
            dtype = dtype.dtype  # a legacy type: x.type(ag.FloatTensor)
        if isinstance(dtype, str):
            if ".cuda." in dtype:
                from .devices import check_device

                check_device("type", "cuda")
            dtype = dtype_names.from_type_name(dtype)
        return self._cast(dtype)

    def type_as(self, other):
        return self._cast(other.dtype)

    def element_size(self):
        return self._data.itemsize

    def is_floating_point(self):
        return self._data.dtype.kind == "f"

    def is_complex(self):
        return False

    def is_signed(self):
        return self._data.dtype.kind in "if"

    def is_contiguous(self, memory_format=None):
        return self._data.flags.c_contiguous

    def data_ptr(self):
        return self._data.ctypes.data

    def new_tensor(self, data, dtype=None, device=None, requires_grad=False):
        from .creation import tensor

        return tensor(data, dtype=self._data.dtype if dtype is None else dtype, device=device,
                      requires_grad=requires_grad)

    def _new(self, make, size, dtype, device, requires_grad):
        return make(*size, dtype=self._data.dtype if dtype is None else dtype, device=device,
                    requires_grad=requires_grad)

    def new_zeros(self, *size, dtype=None, device=None, requires_grad=False):
        from .factories import zeros

        return self._new(zeros, size, dtype, device, requires_grad)

    def new_ones(self, *size, dtype=None, device=None, requires_grad=False):
        from .factories import ones

        return self._new(ones, size, dtype, device, requires_grad)

    def new_empty(self, *size, dtype=None, device=None, requires_grad=False):
        from .factories import empty

        return self._new(empty, size, dtype, device, requires_grad)

    def new_full(self, size, fill_value, dtype=None, device=None, requires_grad=False):
        from .factories import full

        return full(size, fill_value, dtype=self._data.dtype if dtype is None else dtype,
                    device=device, requires_grad=requires_grad)

    def new(self, *args):
        """Legacy: `x.new(data)` copies data, `x.new(2, 3)` makes a zero tensor, both in x's
        dtype."""
        if len(args) == 1 and isinstance(args[0], (list, tuple, np.ndarray, TorchMethods)):
            return self.new_tensor(args[0])
        return self.new_zeros(*args)

    def detach_(self):
        """Make this tensor a leaf that does not require grad, in place."""
        self.grad_fn = None
        self._requires_grad = False
        return self

    def register_hook(self, hook):
        """Call `hook(grad)` with this tensor's gradient in each backward pass; a returned
        Tensor replaces the gradient. Returns a handle whose `remove()` unregisters it."""
        from . import hooks

        return hooks.register_hook(self, hook)

    def retain_grad(self):
        """Keep this non-leaf tensor's gradient in `.grad` after backward."""
        from . import hooks

        hooks.retain_grad(self)

    @property
    def retains_grad(self):
        from . import hooks

        return hooks.retains_grad(self)

    def normal_(self, mean=0.0, std=1.0, *, generator=None):
        """Fill in place with normal draws (from the shared generator unless given one)."""
        from .random import numpy_rng

        values = numpy_rng(generator, "normal_").normal(mean, std, self.shape)
        return _inplace().setitem(self, Ellipsis, values.astype(self.dtype), "normal_")

    def uniform_(self, *bounds, generator=None, **kwargs):
        """`uniform_(from=0, to=1)`: fill in place with uniform draws from [from, to)."""
        from .random import numpy_rng

        low, high = (list(bounds) + [kwargs.pop("from", 0.0), kwargs.pop("to", 1.0)][
            len(bounds):])[:2]
        if kwargs or len(bounds) > 2:
            raise TypeError(f"uniform_: unexpected arguments {sorted(kwargs) or bounds}")
        values = numpy_rng(generator, "uniform_").uniform(low, high, self.shape)
        return _inplace().setitem(self, Ellipsis, values.astype(self.dtype), "uniform_")
