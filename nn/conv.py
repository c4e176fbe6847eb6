"""Convolution and max-pooling on (N, C, H, W) batches, built on one engine primitive.

`ag.sliding_windows` views every kernel-sized window (N, C, kh, kw, OH, OW); a convolution is
then one batched matrix product with the flattened kernel, and max-pooling a max over the
window axes. Gradients come from the window op's own rule (which adds windows back), the
matmul and the max, so nothing here has a hand-written derivative.
"""

import math

import numpy as np

from autograd import ShapeError, Tensor
from autograd.ops.windows import as_pair, sliding_windows, window_geometry

from . import init
from .module import Module, Parameter


def _as_input(input, weight):
    """Tensors pass as they are; a raw array takes the weight's dtype (it cannot need grad)."""
    if isinstance(input, Tensor):
        return input
    array = np.asarray(input)
    return Tensor(array.astype(weight.dtype) if array.dtype.kind in "iuf" else array)


def conv2d(input, weight, bias=None, stride=1, padding=0):
    """out[n, o, i, j] = b[o] + Σ_{c,p,q} W[o, c, p, q] · xpad[n, c, i·sh + p, j·sw + q]

    input (N, C, H, W) (or (C, H, W)), weight (O, C, kh, kw), bias (O,); xpad is the input with
    `padding` zeros on each side. Output (N, O, OH, OW), OH = (H + 2·ph - kh) // sh + 1.
    Computed as W (O, C·kh·kw) @ windows (N, C·kh·kw, OH·OW), i.e. im2col + GEMM.
    """
    x = _as_input(input, weight)
    if weight.ndim != 4:
        raise ShapeError(f"conv2d: weight must have shape (out_channels, in_channels, kh, kw), "
                         f"got {weight.shape}")
    unbatched = x.ndim == 3
    if unbatched:
        x = x.reshape((1,) + x.shape)
    o, c, kh, kw = weight.shape
    if x.ndim != 4 or x.shape[1] != c:
        raise ShapeError(f"conv2d: input of shape {x.shape} does not match weight of shape "
                         f"{weight.shape}: expected (N, {c}, H, W)")
    if bias is not None and bias.shape != (o,):
        raise ShapeError(f"conv2d: bias must have shape ({o},), got {bias.shape}")
    _, stride, padding, (oh, ow) = window_geometry("conv2d", x.shape, (kh, kw), stride, padding)
    n = x.shape[0]
    cols = sliding_windows(x, (kh, kw), stride, padding)  # (N, C, kh, kw, OH, OW)
    cols = cols.reshape(n, c * kh * kw, oh * ow)  # (N, C·kh·kw, L): the one copy
    out = weight.reshape(o, c * kh * kw) @ cols  # (N, O, L)
    out = out.reshape(n, o, oh, ow)
    if bias is not None:
        out = out + bias.reshape(1, o, 1, 1)
    return out.reshape(out.shape[1:]) if unbatched else out


def max_pool2d(input, kernel_size, stride=None, padding=0):
    """out[n, c, i, j] = max_{p,q} xpad[n, c, i·sh + p, j·sw + q]; stride defaults to the kernel.

    The padding never wins: it holds the dtype's lowest value (PyTorch pads with -inf; the
    lowest finite value gives the same maxima and keeps anomaly mode's NaN/inf check quiet).
    Gradient: to the window's maximum; tied maxima split it equally (as `ag.max` does;
    PyTorch gives it all to one of them).
    """
    x = input if isinstance(input, Tensor) else Tensor(input)
    unbatched = x.ndim == 3
    if unbatched:
        x = x.reshape((1,) + x.shape)
    if x.ndim != 4:
        raise ShapeError(f"max_pool2d: expected input of shape (N, C, H, W), got {x.shape}")
    kernel, stride, padding, _ = window_geometry("max_pool2d", x.shape, kernel_size, stride,
                                                 padding)
    if padding[0] > kernel[0] // 2 or padding[1] > kernel[1] // 2:
        raise ValueError(f"max_pool2d: padding {padding} must be at most half the kernel size "
                         f"{kernel}")
    info = np.finfo(x.dtype) if x.dtype.kind == "f" else np.iinfo(x.dtype)
    windows = sliding_windows(x, kernel, stride, padding, info.min)  # (N, C, kh, kw, OH, OW)
    n, c, kh, kw, oh, ow = windows.shape
    # One contiguous copy with the window flattened to one axis: reducing over that axis is
    # several times faster than reducing over two strided axes of the view.
    out = windows.reshape(n, c, kh * kw, oh, ow).max(axis=2)  # (N, C, OH, OW)
    return out.reshape(out.shape[1:]) if unbatched else out


class Conv2d(Module):
    """2-D convolution: weight (out_channels, in_channels, kh, kw), bias (out_channels,),
    both initialised like PyTorch (kaiming_uniform_(a=√5), bias U(±1/√fan_in))."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=True):
        super().__init__()
        self.in_channels, self.out_channels = int(in_channels), int(out_channels)
        if self.in_channels <= 0 or self.out_channels <= 0:
            raise ValueError(f"Conv2d: in_channels and out_channels must be positive, got "
                             f"{in_channels} and {out_channels}")
        self.kernel_size = as_pair("Conv2d", "kernel_size", kernel_size, 1)
        self.stride = as_pair("Conv2d", "stride", stride, 1)
        self.padding = as_pair("Conv2d", "padding", padding, 0)
        self.weight = Parameter(np.zeros((out_channels, in_channels) + self.kernel_size))
        self.bias = Parameter(np.zeros(out_channels)) if bias else None
        self.reset_parameters()

    def reset_parameters(self):
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_channels * self.kernel_size[0] * self.kernel_size[1])
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x):
        return conv2d(x, self.weight, self.bias, self.stride, self.padding)

    def extra_repr(self):
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}")
        if self.padding != (0, 0):
            text += f", padding={self.padding}"
        if self.bias is None:
            text += ", bias=False"
        return text


class MaxPool2d(Module):
    """Max over kernel-sized windows; `stride` defaults to `kernel_size`."""

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
        super().__init__()
        if dilation != 1 or ceil_mode:
            raise NotImplementedError("MaxPool2d: only dilation=1 and ceil_mode=False are "
                                      f"supported, got dilation={dilation}, ceil_mode={ceil_mode}")
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.dilation, self.ceil_mode = padding, dilation, ceil_mode

    def forward(self, x):
        return max_pool2d(x, self.kernel_size, self.stride, self.padding)

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")
