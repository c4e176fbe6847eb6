"""Lazy layers: `LazyLinear`, `LazyConv2d`, `LazyBatchNorm1d`, `LazyBatchNorm2d` infer their
input size from the first batch they see, as PyTorch's do.

Until then their parameters (and batch norm's running statistics) are placeholders,
`UninitializedParameter`/`UninitializedBuffer`, whose shape is unknown. The first call gives
them their shapes (the same Parameter objects, so an optimizer made before it holds the right
ones), initialises them as the concrete layer would, and turns the module into that layer
(`LazyLinear` becomes `Linear`). Loading a state_dict into a lazy module takes the shapes
from the state_dict instead.
"""

import numpy as np

from autograd import Tensor, get_default_dtype, no_grad

from .conv import Conv2d
from .layers import Linear, _count
from .module import Module, Parameter
from .normalization import BatchNorm1d, BatchNorm2d

_SHAPELESS = ("{} has no shape yet: it is given one by the module's first forward call (or by "
              "load_state_dict); run a batch through the module first")


class UninitializedParameter(Parameter):
    """A Parameter without a shape yet; `materialize(shape)` gives it one and makes it a plain
    Parameter (same object). Asking for its shape before that is a RuntimeError."""

    __slots__ = ()
    cls_to_become = Parameter

    def __init__(self, requires_grad=True, device=None, dtype=None):
        super().__init__(np.empty(0, dtype or get_default_dtype()), requires_grad)

    def materialize(self, shape, device=None, dtype=None):
        self._data = np.zeros(shape, dtype=dtype or self._data.dtype)
        self.__class__ = self.cls_to_become

    @property
    def shape(self):
        raise RuntimeError(_SHAPELESS.format(type(self).__name__))

    def __repr__(self):
        return f"<{type(self).__name__}>"


class UninitializedBuffer(Tensor):
    """A buffer without a shape yet (see UninitializedParameter)."""

    __slots__ = ()
    cls_to_become = Tensor
    materialize = UninitializedParameter.materialize
    shape = UninitializedParameter.shape
    __repr__ = UninitializedParameter.__repr__

    def __init__(self, requires_grad=False, device=None, dtype=None):
        super().__init__(np.empty(0, dtype or get_default_dtype()), requires_grad)


def _shapeless(value):
    return isinstance(value, (UninitializedParameter, UninitializedBuffer))


class LazyModuleMixin:
    """Put it first among the bases of a module with placeholders and define
    `initialize_parameters(*inputs)`: the first call runs it (under no_grad), before any
    hook or forward, then turns the module into `cls_to_become` (if set)."""

    cls_to_become = None

    def has_uninitialized_params(self):
        members = self._own_parameters() + self._own_buffers()
        return any(_shapeless(value) for _, value in members)

    def initialize_parameters(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__}: initialize_parameters is not "
                                  f"implemented")

    def __call__(self, *args, **kwargs):
        if self.has_uninitialized_params():
            with no_grad():
                self.initialize_parameters(*args, **kwargs)
            if self.has_uninitialized_params():
                raise RuntimeError(f"{type(self).__name__}: initialize_parameters left some "
                                   f"parameters or buffers without a shape")
        self._become()
        return Module.__call__(self, *args, **kwargs)

    def _become(self):
        """Turn into the concrete layer (after the first call, or a load_state_dict that
        gave every placeholder its shape)."""
        if self.cls_to_become is not None and not self.has_uninitialized_params():
            self._infer_from_parameters()
            self.__class__ = self.cls_to_become

    def _infer_from_parameters(self):
        """Set the inferred size attribute from the (now shaped) weight."""


def _input(x):
    return x if isinstance(x, Tensor) else Tensor(x)


class LazyLinear(LazyModuleMixin, Linear):
    """Linear whose in_features is the last axis of the first input."""

    cls_to_become = Linear

    def __init__(self, out_features, bias=True, device=None, dtype=None):
        Module.__init__(self)
        self.in_features = 0
        self.out_features = _count(out_features, "out_features", "LazyLinear")
        self.weight = UninitializedParameter(dtype=dtype)
        self.bias = UninitializedParameter(dtype=dtype) if bias else None

    def reset_parameters(self):
        if not self.has_uninitialized_params() and self.in_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input):
        self.in_features = _input(input).shape[-1]
        self.weight.materialize((self.out_features, self.in_features))
        if self.bias is not None:
            self.bias.materialize((self.out_features,))
        self.reset_parameters()

    def _infer_from_parameters(self):
        self.in_features = self.weight.shape[1]


class LazyConv2d(LazyModuleMixin, Conv2d):
    """Conv2d whose in_channels is the channel axis of the first input."""

    cls_to_become = Conv2d
    _lazy = True

    def __init__(self, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                 bias=True, padding_mode="zeros", device=None, dtype=None):
        super().__init__(0, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         padding_mode, device, dtype)
        self.weight = UninitializedParameter(dtype=dtype)
        self.bias = UninitializedParameter(dtype=dtype) if bias else None

    def reset_parameters(self):
        if not self.has_uninitialized_params() and self.in_channels != 0:
            super().reset_parameters()

    def initialize_parameters(self, input):
        x = _input(input)
        self.in_channels = x.shape[1] if x.ndim == 4 else x.shape[0]
        if self.in_channels % self.groups:
            raise ValueError(f"LazyConv2d: the input's {self.in_channels} channels (input "
                             f"{x.shape}) must be divisible by groups ({self.groups})")
        self.weight.materialize((self.out_channels, self.in_channels // self.groups)
                                + self.kernel_size)
        if self.bias is not None:
            self.bias.materialize((self.out_channels,))
        self.reset_parameters()

    def _infer_from_parameters(self):
        self.in_channels = self.weight.shape[1] * self.groups


class _LazyBatchNorm(LazyModuleMixin):
    """Batch norm whose num_features is the channel axis of the first input."""

    def __init__(self, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True,
                 device=None, dtype=None):
        super().__init__(0, eps, momentum, affine, track_running_stats, device, dtype)
        if affine:
            self.weight = UninitializedParameter(dtype=dtype)
            self.bias = UninitializedParameter(dtype=dtype)
        if track_running_stats:
            self.running_mean = UninitializedBuffer(dtype=dtype)
            self.running_var = UninitializedBuffer(dtype=dtype)

    def reset_parameters(self):
        if not self.has_uninitialized_params() and self.num_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input):
        self.num_features = _input(input).shape[1]
        for value in (self.weight, self.bias, self.running_mean, self.running_var):
            if value is not None:
                value.materialize((self.num_features,))
        self.reset_parameters()

    def _infer_from_parameters(self):
        for value in (self.weight, self.running_mean):
            if value is not None:
                self.num_features = value.shape[0]


class LazyBatchNorm1d(_LazyBatchNorm, BatchNorm1d):
    cls_to_become = BatchNorm1d


class LazyBatchNorm2d(_LazyBatchNorm, BatchNorm2d):
    cls_to_become = BatchNorm2d
