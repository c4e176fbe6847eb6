"""Pooling over (N, C, L) and (N, C, H, W) batches: max and average over sliding windows, and
adaptive average pooling to a fixed output size.

Max pooling is its own primitive, which remembers each window's argmax; average pooling sums
the windows of `ag.sliding_windows` (N, C, kh, kw, OH, OW) over the kernel axes; adaptive
average pooling is two matrix products, out = Pₕ · x · Pᵥᵀ, with averaging matrices that hold
1/|window| on each output's (possibly overlapping) window. The gradients are those ops' own
rules."""

import numpy as np

from autograd import ShapeError, Tensor
from autograd.ops.pooling import MaxPool2d as MaxPool2dOp
from autograd.ops.windows import as_pair, sliding_windows, window_geometry

from .module import Module


def _as_tensor(x):
    return x if isinstance(x, Tensor) else Tensor(x)


def _image(op, x):
    """(N, C, H, W) (an unbatched (C, H, W) gets a batch axis) and whether it was added."""
    if x.ndim == 3:
        return x.reshape((1,) + x.shape), True
    if x.ndim != 4:
        raise ShapeError(f"{op}: expected input of shape (N, C, H, W) or (C, H, W), got "
                         f"{x.shape}")
    return x, False


def _check_pool_args(op, kernel, padding, dilation, ceil_mode):
    if ceil_mode:
        raise NotImplementedError(f"{op}: ceil_mode=True is not supported")
    span = [dilation[i] * (kernel[i] - 1) + 1 for i in range(2)]
    if padding[0] > span[0] // 2 or padding[1] > span[1] // 2:
        raise ValueError(f"{op}: padding {padding} must be at most half the kernel size "
                         f"{kernel}")


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """out[n, c, i, j] = max_{p,q} xpad[n, c, i·sh + p·dh, j·sw + q·dw]; stride defaults to the
    kernel, xpad pads with -inf.

    One primitive (`autograd.ops.pooling.MaxPool2d`) that keeps each window's argmax: the
    gradient goes to that entry alone. Tied maxima: the first in the window's row-major order
    takes it all, as in PyTorch (`ag.max`, a reduction, splits it among ties instead).
    With return_indices=True it also returns those argmaxes as PyTorch does: int64, each the
    flat position in its own (H, W) image.
    """
    x, unbatched = _image("max_pool2d", _as_tensor(input))
    dilation = as_pair("max_pool2d", "dilation", dilation, 1)
    kernel, stride, padding, _ = window_geometry("max_pool2d", x.shape, kernel_size, stride,
                                                 padding, dilation)
    _check_pool_args("max_pool2d", kernel, padding, dilation, ceil_mode)
    pool = MaxPool2dOp(kernel, stride, padding, dilation)
    out = pool(x)  # (N, C, OH, OW)
    if unbatched:
        out = out.reshape(out.shape[1:])
    if not return_indices:
        return out
    n, c, h, w = x.shape
    index = pool.index - np.arange(0, n * c * h * w, h * w).reshape(n, c, 1, 1)
    return out, Tensor(index.reshape(out.shape).astype(np.int64))


def _one(op, name, value, minimum):
    if isinstance(value, (tuple, list)) and len(value) == 1:
        value = value[0]
    return as_pair(op, name, value, minimum)[0]


def _over_rows(op, pool2d, input, kernel_size, stride, padding, *rest):
    """A 1-d pooling of (N, C, L) or (C, L) as the 2-d one over images one row tall."""
    x = _as_tensor(input)
    if x.ndim not in (2, 3):
        raise ShapeError(f"{op}: expected input of shape (N, C, L) or (C, L), got {x.shape}")
    k = _one(op, "kernel_size", kernel_size, 1)
    s = k if stride is None else _one(op, "stride", stride, 1)
    rows = x.reshape(x.shape[:-1] + (1, x.shape[-1]))
    out = pool2d(rows, (1, k), (1, s), (0, _one(op, "padding", padding, 0)), *rest)
    if isinstance(out, tuple):  # max pooling's (values, indices)
        return tuple(t.reshape(t.shape[:-2] + t.shape[-1:]) for t in out)
    return out.reshape(out.shape[:-2] + out.shape[-1:])


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """out[n, c, i] = max_p xpad[n, c, i·s + p·d] over (N, C, L) or (C, L)."""
    return _over_rows("max_pool1d", max_pool2d, input, kernel_size, stride, padding,
                      (1, _one("max_pool1d", "dilation", dilation, 1)), ceil_mode,
                      return_indices)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    """out[n, c, i] = Σ_p xpad[n, c, i·s + p] / k over (N, C, L) or (C, L) (see avg_pool2d)."""
    return _over_rows("avg_pool1d", avg_pool2d, input, kernel_size, stride, padding, ceil_mode,
                      count_include_pad)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """out[n, c, i, j] = Σ_{p,q} xpad[n, c, i·sh + p, j·sw + q] / divisor; stride defaults to
    the kernel. The divisor is kh·kw (zeros of the padding counted), or with
    count_include_pad=False the number of real pixels in the window, or `divisor_override`."""
    x, unbatched = _image("avg_pool2d", _as_tensor(input))
    kernel, stride, padding, _ = window_geometry("avg_pool2d", x.shape, kernel_size, stride,
                                                 padding)
    _check_pool_args("avg_pool2d", kernel, padding, (1, 1), ceil_mode)
    windows = sliding_windows(x, kernel, stride, padding)  # (N, C, kh, kw, OH, OW)
    n, c, kh, kw, oh, ow = windows.shape
    total = windows.reshape(n, c, kh * kw, oh, ow).sum(axis=2)  # (N, C, OH, OW), as in max
    if divisor_override is not None:
        if isinstance(divisor_override, bool) or not isinstance(
                divisor_override, (int, np.integer)) or divisor_override == 0:
            raise ValueError(f"avg_pool2d: divisor_override must be a non-zero int, got "
                             f"{divisor_override!r}")
        divisor = float(divisor_override)
    elif count_include_pad or padding == (0, 0):
        divisor = float(kernel[0] * kernel[1])
    else:
        ones = np.ones((1, 1) + x.shape[2:], dtype=x.dtype)
        count = sliding_windows(Tensor(ones), kernel, stride, padding).numpy().sum(axis=(2, 3))
        divisor = Tensor(count.astype(x.dtype))  # (1, 1, OH, OW): real pixels per window
    out = total / divisor
    return out.reshape(out.shape[1:]) if unbatched else out


def _averaging_matrix(n_in, n_out, dtype):
    """P (n_out, n_in) with P[i, start:end] = 1/(end - start), start = ⌊i·n_in/n_out⌋,
    end = ⌈(i + 1)·n_in/n_out⌉: PyTorch's adaptive windows."""
    matrix = np.zeros((n_out, n_in), dtype=dtype)
    for i in range(n_out):
        start, end = (i * n_in) // n_out, -(-((i + 1) * n_in) // n_out)
        matrix[i, start:end] = 1.0 / (end - start)
    return matrix


def adaptive_avg_pool2d(input, output_size):
    """Average pooling to a fixed (OH, OW) whatever the input's (H, W): output row i averages
    input rows ⌊i·H/OH⌋ to ⌈(i + 1)·H/OH⌉ - 1 (windows overlap when OH does not divide H).
    `output_size` is an int or a pair; None keeps that axis' size."""
    x = _as_tensor(input)
    if x.ndim not in (3, 4):
        raise ShapeError(f"adaptive_avg_pool2d: expected input of shape (N, C, H, W) or "
                         f"(C, H, W), got {x.shape}")
    sizes = output_size if isinstance(output_size, (tuple, list)) else (output_size,) * 2
    if len(sizes) != 2:
        raise ValueError(f"adaptive_avg_pool2d: output_size must be an int or a pair, got "
                         f"{output_size!r}")
    h, w = x.shape[-2:]
    oh, ow = (h if sizes[0] is None else sizes[0]), (w if sizes[1] is None else sizes[1])
    if not all(isinstance(s, (int, np.integer)) and s >= 1 for s in (oh, ow)):
        raise ValueError(f"adaptive_avg_pool2d: output_size must hold positive ints (or None), "
                         f"got {output_size!r}")
    dtype = x.dtype if x.dtype.kind == "f" else np.float64
    out = x
    if oh != h:
        out = Tensor(_averaging_matrix(h, oh, dtype)) @ out  # (..., OH, W)
    if ow != w:
        out = out @ Tensor(_averaging_matrix(w, ow, dtype).T)  # (..., OH, OW)
    return out


def adaptive_avg_pool1d(input, output_size):
    """adaptive_avg_pool2d along the last axis of (N, C, L) or (C, L)."""
    x = _as_tensor(input)
    if x.ndim not in (2, 3):
        raise ShapeError(f"adaptive_avg_pool1d: expected input of shape (N, C, L) or (C, L), "
                         f"got {x.shape}")
    size = output_size[0] if isinstance(output_size, (tuple, list)) else output_size
    if not isinstance(size, (int, np.integer)) or size < 1:
        raise ValueError(f"adaptive_avg_pool1d: output_size must be a positive int, got "
                         f"{output_size!r}")
    dtype = x.dtype if x.dtype.kind == "f" else np.float64
    return x @ Tensor(_averaging_matrix(x.shape[-1], int(size), dtype).T)


class MaxPool2d(Module):
    """Max over kernel-sized windows; `stride` defaults to `kernel_size`."""

    def __init__(self, kernel_size: int | tuple[int, int],
                 stride: int | tuple[int, int] | None = None,
                 padding: int | tuple[int, int] = 0, dilation: int | tuple[int, int] = 1,
                 return_indices: bool = False, ceil_mode: bool = False) -> None:
        super().__init__()
        if ceil_mode:
            raise NotImplementedError(f"{type(self).__name__}: ceil_mode=True is not supported")
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def forward(self, x):
        return max_pool2d(x, self.kernel_size, self.stride, self.padding, self.dilation,
                          return_indices=self.return_indices)

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class MaxPool1d(MaxPool2d):
    """Max over windows of (N, C, L); `stride` defaults to `kernel_size`."""

    def forward(self, x):
        return max_pool1d(x, self.kernel_size, self.stride, self.padding, self.dilation,
                          return_indices=self.return_indices)


class AvgPool2d(Module):
    """Mean over kernel-sized windows; `stride` defaults to `kernel_size`."""

    def __init__(self, kernel_size: int | tuple[int, int],
                 stride: int | tuple[int, int] | None = None,
                 padding: int | tuple[int, int] = 0, ceil_mode: bool = False,
                 count_include_pad: bool = True, divisor_override: int | None = None) -> None:
        super().__init__()
        if ceil_mode:
            raise NotImplementedError("AvgPool2d: ceil_mode=True is not supported")
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.ceil_mode = padding, ceil_mode
        self.count_include_pad, self.divisor_override = count_include_pad, divisor_override

    def forward(self, x):
        return avg_pool2d(x, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                          self.count_include_pad, self.divisor_override)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AdaptiveAvgPool2d(Module):
    """Average pooling to a fixed output size (an int, a pair, None keeping an axis)."""

    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def forward(self, x):
        return adaptive_avg_pool2d(x, self.output_size)

    def extra_repr(self):
        return f"output_size={self.output_size}"


class AvgPool1d(Module):
    """Mean over windows of (N, C, L); `stride` defaults to `kernel_size`."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True):
        super().__init__()
        if ceil_mode:
            raise NotImplementedError("AvgPool1d: ceil_mode=True is not supported")
        self.kernel_size = (_one("AvgPool1d", "kernel_size", kernel_size, 1),)
        self.stride = self.kernel_size if stride is None else (
            _one("AvgPool1d", "stride", stride, 1),)
        self.padding = (_one("AvgPool1d", "padding", padding, 0),)
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad

    def forward(self, x):
        return avg_pool1d(x, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                          self.count_include_pad)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AdaptiveAvgPool1d(AdaptiveAvgPool2d):
    """Average pooling of (N, C, L) to a fixed length."""

    def forward(self, x):
        return adaptive_avg_pool1d(x, self.output_size)
