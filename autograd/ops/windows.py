"""Sliding windows over images: the one primitive that convolution and pooling are built from.

`Im2Col` views every kh×kw window of a padded (N, C, H, W) batch at once (NumPy's
`sliding_window_view`, no copy and no loop over pixels); `Col2Im` is its adjoint, adding each
window back where it came from, so overlapping windows sum. Each is the other's reverse rule.

For stride 1 the windows have a faster layout, "wide rows": with each image flattened, a
kernel tap's values over all outputs are one contiguous run of it, so `RowIm2Col` copies and
`RowCol2Im` adds kh·kw long runs instead of OH·kh·kw short rows. The price is W - OW unused
columns per output row, which `Unwiden` drops (adding the bias in the same pass) and `Widen`
fills with zeros.
"""

import numpy as np
from numpy.lib.stride_tricks import as_strided, sliding_window_view

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
    saves = ()
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
    image; what lands in the padding is dropped. One vectorised in-place add per kernel offset
    (p, q) into one buffer, so the loop runs kh·kw times, never once per pixel.
    """

    __slots__ = ("shape", "kernel", "stride", "padding", "dilation")
    saves = ()

    def __init__(self, shape, kernel, stride, padding, dilation=(1, 1)):
        self.shape, self.kernel, self.stride, self.padding = shape, kernel, stride, padding
        self.dilation = dilation

    def forward(self, g):
        n, c, h, w = self.shape
        (kh, kw), (sh, sw), (ph, pw) = self.kernel, self.stride, self.padding
        dh, dw = self.dilation
        oh, ow = g.shape[4], g.shape[5]
        out = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=g.dtype)
        # Windows that do not overlap each fill their own entries: assign, do not add.
        disjoint = sh >= dh * (kh - 1) + 1 and sw >= dw * (kw - 1) + 1
        for p in range(kh):
            for q in range(kw):
                into = out[:, :, p * dh:p * dh + sh * oh:sh, q * dw:q * dw + sw * ow:sw]
                if disjoint:
                    into[...] = g[:, :, p, q]
                else:
                    np.add(into, g[:, :, p, q], out=into)  # in place: no temporary, no copy
        if ph or pw:
            out = np.ascontiguousarray(out[:, :, ph:ph + h, pw:pw + w])
        return out

    def vjp(self, out, g):
        return (Im2Col(self.kernel, self.stride, self.padding, 0.0, self.dilation)(g),)

    def jvp(self, out, dg):
        return Col2Im(self.shape, self.kernel, self.stride, self.padding, self.dilation)(dg)



class RowIm2Col(Op):
    """out[n, c·kh·kw + p·kw + q, s] = xpad[n, c].flat[p·dh·W' + q·dw + s],  0 <= s < L
    vjp: RowCol2Im(g)      jvp: RowIm2Col(dx)

    The stride-1 windows in wide-row layout: x (N, C, H, W) padded by (ph, pw) to
    (N, C, H', W'), out (N, C·kh·kw, L) with L = (OH - 1)·W' + OW. Entry s = i·W' + j is
    output pixel (i, j) for j < OW; the other W' - OW entries of each row are unused
    (neighbouring pixels, or zeros when x holds an inf or NaN). A contiguous copy, ready for
    the convolution's GEMM.
    """

    __slots__ = ("kernel", "padding", "dilation")

    def __init__(self, kernel, padding, dilation):
        self.kernel, self.padding, self.dilation = kernel, padding, dilation

    def forward(self, x):
        (kh, kw), (ph, pw), (dh, dw) = self.kernel, self.padding, self.dilation
        n, c, h, w = x.shape
        if ph or pw:
            padded = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=x.dtype)
            padded[:, :, ph:ph + h, pw:pw + w] = x
            x = padded
        else:
            x = np.ascontiguousarray(x)
        hp, wp = x.shape[2:]
        size = (hp - dh * (kh - 1) - 1) * wp + wp - dw * (kw - 1)  # L
        step = x.itemsize
        taps = as_strided(x, (n, c, kh, kw, size),
                          (x.strides[0], x.strides[1], dh * wp * step, dw * step, step),
                          writeable=False)
        out = taps.reshape(n, c * kh * kw, size)
        ow = wp - dw * (kw - 1)
        if x.dtype.kind in "fc" and ow < wp and not np.isfinite(x).all():
            # The unused columns meet a zero cotangent in the weight's gradient; 0·inf would
            # put a NaN there, so they hold zeros instead of x's inf or NaN.
            rows = (size - ow) // wp  # unused runs, W' - OW long, after each row but the last
            as_strided(out[..., ow:], (n, c * kh * kw, rows, wp - ow),
                       out.strides[:2] + (wp * step, step))[...] = 0
        return out

    def vjp(self, out, g):
        x = self.inputs[0]
        return (RowCol2Im(x.shape, self.kernel, self.padding, self.dilation)(g),)

    def jvp(self, out, dx):
        return RowIm2Col(self.kernel, self.padding, self.dilation)(dx)


class RowCol2Im(Op):
    """out[n, c] = Σ_{p,q} g[n, c·kh·kw + p·kw + q, s] added at xpad.flat[p·dh·W' + q·dw + s],
    then the padding cropped      vjp: RowIm2Col(g)      jvp: RowCol2Im(dg)

    The adjoint of RowIm2Col: kh·kw in-place adds of long contiguous runs into one buffer.
    """

    __slots__ = ("shape", "kernel", "padding", "dilation")

    def __init__(self, shape, kernel, padding, dilation):
        self.shape, self.kernel, self.padding, self.dilation = shape, kernel, padding, dilation

    def forward(self, g):
        (kh, kw), (ph, pw), (dh, dw) = self.kernel, self.padding, self.dilation
        n, c, h, w = self.shape
        hp, wp = h + 2 * ph, w + 2 * pw
        size = g.shape[-1]
        g = g.reshape(n, c, kh, kw, size)
        out = np.zeros((n, c, hp * wp), dtype=g.dtype)
        for p in range(kh):
            for q in range(kw):
                start = p * dh * wp + q * dw
                run = out[:, :, start:start + size]
                np.add(run, g[:, :, p, q], out=run)
        out = out.reshape(n, c, hp, wp)
        if ph or pw:
            out = np.ascontiguousarray(out[:, :, ph:ph + h, pw:pw + w])
        return out

    def vjp(self, out, g):
        return (RowIm2Col(self.kernel, self.padding, self.dilation)(g),)

    def jvp(self, out, dg):
        return RowCol2Im(self.shape, self.kernel, self.padding, self.dilation)(dg)


class Unwiden(Op):
    """out[n, o, i, j] = y[n, o, i·W' + j] (+ b[o])      vjp: (Widen(g), Σ_{n,i,j} g)
    jvp: Unwiden(dy) (+ db)

    Wide rows (N, O, L) back to an image (N, O, OH, OW), contiguous, with the bias (O,) added
    in the same pass (no broadcast op, no second sweep over the output). With W' = OW there
    are no unused columns and this is a reshape plus the bias.
    """

    __slots__ = ("size", "width")

    def __init__(self, size, width):
        self.size, self.width = size, width  # (OH, OW), W'

    def forward(self, y, b=None):
        (oh, ow), y = self.size, np.ascontiguousarray(y)
        n, o = y.shape[:2]
        if self.width == ow and b is not None:
            return np.add(y, b.reshape(-1, 1)).reshape(n, o, oh, ow)
        step = y.itemsize
        out = as_strided(y, (n, o, oh, ow), y.strides[:2] + (self.width * step, step)).copy()
        if b is not None:
            if np.result_type(out, b) != out.dtype:
                return out + b.reshape(-1, 1, 1)
            rows = out.reshape(n, o, oh * ow)
            rows += b.reshape(-1, 1)  # per channel over long runs, not per image row
        return out

    def vjp(self, out, g):
        y = self.inputs[0]
        gy = Widen(self.width, y.shape[-1])(g)
        if len(self.inputs) == 1:
            return (gy,)
        return gy, g.sum(axis=0).sum(axis=(1, 2))  # the batch first: contiguous sums

    def jvp(self, out, dy, db=None):
        return Unwiden(self.size, self.width)(*((dy,) if db is None else (dy, db)))


class Widen(Op):
    """out[n, o, i·W' + j] = g[n, o, i, j], zero in the unused columns
    vjp: Unwiden(g)      jvp: Widen(dg)

    An image (N, O, OH, OW) as wide rows (N, O, L), L = (OH - 1)·W' + OW (a reshape when
    W' = OW).
    """

    __slots__ = ("width", "length")
    view = True

    def __init__(self, width, length):
        self.width, self.length = width, length

    def forward(self, g):
        n, o, oh, ow = g.shape
        if self.width == ow:
            return g.reshape(n, o, self.length)
        out = np.zeros((n, o, self.length), dtype=g.dtype)
        step = out.itemsize
        as_strided(out, (n, o, oh, ow), out.strides[:2] + (self.width * step, step))[...] = g
        return out

    def vjp(self, out, g):
        return (Unwiden(self.inputs[0].shape[2:], self.width)(g),)

    def jvp(self, out, dg):
        return Widen(self.width, self.length)(dg)


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
