"""Sliding windows over images: the one primitive that convolution and pooling are built from.

`Im2Col` views every kh×kw window of a padded (N, C, H, W) batch at once (NumPy's
`sliding_window_view`, no copy and no loop over pixels); `Col2Im` is its adjoint, adding each
window back where it came from, so overlapping windows sum. Each is the other's reverse rule.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..op import Op
from ..shapes import ShapeError
from ._util import as_tensor


class Im2Col(Op):
    """out[n, c, p, q, i, j] = xpad[n, c, i·sh + p·dh, j·sw + q·dw]      vjp: Col2Im(g)
    jvp: Im2Col(dx), padded with zeros

    xpad is x with `padding` rows/columns of `pad_value` on each side (0 for convolution, -inf
    for max-pooling); `dilation` (dh, dw) spaces the kernel's taps. Output (N, C, kh, kw, OH, OW),
    OH = (H + 2·ph - dh·(kh - 1) - 1) // sh + 1: a read-only strided view, so a window costs
    nothing until something reads it.
    """

    __slots__ = ("kernel", "stride", "padding", "pad_value", "dilation")
    view = True

    def __init__(self, kernel, stride, padding, pad_value=0.0, dilation=(1, 1)):
        self.kernel, self.stride, self.padding, self.pad_value = kernel, stride, padding, pad_value
        self.dilation = dilation

    def forward(self, x):
        (kh, kw), (sh, sw), (ph, pw) = self.kernel, self.stride, self.padding
        dh, dw = self.dilation
        if ph or pw:
            n, c, h, w = x.shape
            padded = np.full((n, c, h + 2 * ph, w + 2 * pw), self.pad_value, dtype=x.dtype)
            padded[:, :, ph:ph + h, pw:pw + w] = x
            x = padded
        span = (dh * (kh - 1) + 1, dw * (kw - 1) + 1)  # the dilated kernel's extent
        windows = sliding_window_view(x, span, axis=(2, 3))  # (N, C, H'', W'', span_h, span_w)
        windows = windows[:, :, ::sh, ::sw, ::dh, ::dw]
        return windows.transpose(0, 1, 4, 5, 2, 3)  # (N, C, kh, kw, OH, OW)

    def vjp(self, out, g):
        x = self.inputs[0]
        return (Col2Im(x.shape, self.kernel, self.stride, self.padding, self.dilation)(g),)

    def jvp(self, out, dx):
        return Im2Col(self.kernel, self.stride, self.padding, 0.0, self.dilation)(dx)


class Col2Im(Op):
    """out[n, c, y, x] = Σ g[n, c, p, q, i, j] over i·sh + p·dh - ph = y, j·sw + q·dw - pw = x
    vjp: Im2Col(g)      jvp: Col2Im(dg)

    The adjoint of Im2Col: windows (N, C, kh, kw, OH, OW) are added back into an (N, C, H, W)
    image; what lands in the padding is dropped. One vectorised add per kernel offset (p, q),
    so the loop runs kh·kw times, never once per pixel.
    """

    __slots__ = ("shape", "kernel", "stride", "padding", "dilation")

    def __init__(self, shape, kernel, stride, padding, dilation=(1, 1)):
        self.shape, self.kernel, self.stride, self.padding = shape, kernel, stride, padding
        self.dilation = dilation

    def forward(self, g):
        n, c, h, w = self.shape
        (kh, kw), (sh, sw), (ph, pw) = self.kernel, self.stride, self.padding
        dh, dw = self.dilation
        oh, ow = g.shape[4], g.shape[5]
        out = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=g.dtype)
        for p in range(kh):
            for q in range(kw):
                out[:, :, p * dh:p * dh + sh * oh:sh, q * dw:q * dw + sw * ow:sw] += g[:, :, p, q]
        if ph or pw:
            out = np.ascontiguousarray(out[:, :, ph:ph + h, pw:pw + w])
        return out

    def vjp(self, out, g):
        return (Im2Col(self.kernel, self.stride, self.padding, 0.0, self.dilation)(g),)

    def jvp(self, out, dg):
        return Col2Im(self.shape, self.kernel, self.stride, self.padding, self.dilation)(dg)


def as_pair(op, name, value, minimum):
    """An int or a pair of ints as a pair, each at least `minimum`."""
    pair = (value, value) if isinstance(value, (int, np.integer)) else value
    if not isinstance(pair, (tuple, list)) or len(pair) != 2 or not all(
            isinstance(v, (int, np.integer)) for v in pair):
        raise TypeError(f"{op}: {name} must be an int or a pair of ints, got {value!r}")
    if any(v < minimum for v in pair):
        raise ValueError(f"{op}: {name} must be at least {minimum}, got {value!r}")
    return int(pair[0]), int(pair[1])


def window_geometry(op, shape, kernel_size, stride, padding, dilation=1):
    """Check the arguments against an (N, C, H, W) shape; return (kernel, stride, padding,
    (OH, OW)) with each a pair of ints."""
    kernel = as_pair(op, "kernel_size", kernel_size, 1)
    stride = as_pair(op, "stride", kernel if stride is None else stride, 1)
    padding = as_pair(op, "padding", padding, 0)
    dilated = as_pair(op, "dilation", dilation, 1)
    if len(shape) != 4:
        raise ShapeError(f"{op}: expected an input of shape (N, C, H, W), got {tuple(shape)}")
    size = [shape[2 + i] + 2 * padding[i] for i in range(2)]
    span = [dilated[i] * (kernel[i] - 1) + 1 for i in range(2)]
    if size[0] < span[0] or size[1] < span[1]:
        raise ShapeError(f"{op}: kernel {kernel} (dilation {dilated}) is larger than the padded "
                         f"input {tuple(size)} (input {tuple(shape)}, padding {padding})")
    out = tuple((size[i] - span[i]) // stride[i] + 1 for i in range(2))
    return kernel, stride, padding, out


def sliding_windows(x, kernel_size, stride=1, padding=0, pad_value=0.0, dilation=1):
    """Every kh×kw window of x (N, C, H, W), stepped by `stride` over x padded with `padding`
    entries of `pad_value` per side, taps `dilation` apart: a tensor (N, C, kh, kw, OH, OW)."""
    x = as_tensor(x)
    dilation = as_pair("sliding_windows", "dilation", dilation, 1)
    kernel, stride, padding, _ = window_geometry("sliding_windows", x.shape, kernel_size,
                                                 stride, padding, dilation)
    return Im2Col(kernel, stride, padding, pad_value, dilation)(x)


def col2im(windows, shape, kernel_size, stride=1, padding=0, dilation=1):
    """The adjoint of `sliding_windows`: add windows (N, C, kh, kw, OH, OW) back into an
    image of `shape` (N, C, H, W); overlaps add up."""
    windows = as_tensor(windows)
    dilation = as_pair("col2im", "dilation", dilation, 1)
    kernel, stride, padding, out = window_geometry("col2im", shape, kernel_size, stride, padding,
                                                   dilation)
    expected = tuple(shape[:2]) + kernel + out
    if windows.shape != expected:
        raise ShapeError(f"col2im: windows of shape {windows.shape} do not fit an image of "
                         f"shape {tuple(shape)}; expected {expected}")
    return Col2Im(tuple(shape), kernel, stride, padding, dilation)(windows)
