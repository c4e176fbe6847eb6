"""Max-pooling as one primitive that remembers where each maximum came from.

`MaxPool2d` returns every window's maximum and keeps, on the op, the flat index into the input
of the entry that won (the argmax). Its reverse rule sends each output's cotangent to that one
entry and nowhere else (`ScatterAdd`); its forward-mode rule reads the tangent there (`Take`).
Those two are each other's adjoints, so every derivative order is a gather or a scatter.

Which entry wins a tie follows PyTorch's `max_pool2d`, not `ag.max`: the first maximum in the
window's row-major order takes the whole gradient (a reduction splits it among ties), and a NaN
wins its window (the last NaN, as PyTorch picks it).
"""

import numpy as np

from ..op import Op
from ._util import as_tensor
from .windows import Im2Col, as_pair, window_geometry


class MaxPool2d(Op):
    """out[n, c, i, j] = max_{p,q} xpad[n, c, i·sh + p·dh, j·sw + q·dw]
    vjp: g scattered to each window's argmax      jvp: dx taken at each window's argmax

    x (N, C, H, W), out (N, C, OH, OW); xpad is x with `padding` entries of -inf per side
    (they never win a window that holds a real entry). `index` (shaped like out) holds the
    flat position in x of each window's winner.
    """

    __slots__ = ("kernel", "stride", "padding", "dilation", "index")
    keeps_forward_state = True  # the argmax, kept by forward for the rules

    def __init__(self, kernel, stride, padding=(0, 0), dilation=(1, 1)):
        self.kernel, self.stride, self.padding, self.dilation = kernel, stride, padding, dilation
        self.index = None

    def forward(self, x):
        out, self.index = _max_and_argmax(x, self.kernel, self.stride, self.padding,
                                          self.dilation)
        return out

    def vjp(self, out, g):
        x = self.inputs[0]
        return (ScatterAdd(x.shape, self.index, self.disjoint())(g),)

    def jvp(self, out, dx):
        return Take(self.index, self.disjoint())(dx)

    def params(self):
        return ["kernel", "stride", "padding", "dilation"]  # not the index: one per output

    def disjoint(self):
        """Whether no two windows share an entry, so no two outputs share an argmax."""
        span = [self.dilation[i] * (self.kernel[i] - 1) + 1 for i in range(2)]
        return self.stride[0] >= span[0] and self.stride[1] >= span[1]


class Take(Op):
    """out = x.flat[index] (shaped like index)      vjp: ScatterAdd(g) into x's shape
    jvp: dx.flat[index]"""

    __slots__ = ("index", "unique")

    def __init__(self, index, unique=False):
        self.index, self.unique = index, unique

    def forward(self, x):
        return np.take(x, self.index)  # no axis: the flattened array

    def vjp(self, out, g):
        return (ScatterAdd(self.inputs[0].shape, self.index, self.unique)(g),)

    def jvp(self, out, dx):
        return Take(self.index, self.unique)(dx)


class ScatterAdd(Op):
    """out = zeros(shape) with out.flat[index[k]] += g[k] for every k (repeats add up)
    vjp: g.flat[index] (Take)      jvp: the same scatter of dg

    With `unique` (no index repeats) the adds are one assignment.
    """

    __slots__ = ("shape", "index", "unique")

    def __init__(self, shape, index, unique=False):
        self.shape, self.index, self.unique = tuple(shape), index, unique

    def forward(self, g):
        size = int(np.prod(self.shape))
        if self.unique:
            out = np.zeros(size, dtype=g.dtype)
            out[self.index.ravel()] = g.ravel()
        elif g.dtype.kind == "f" and g.dtype.itemsize <= 8:
            # bincount sums in float64 in one pass: far faster than np.add.at
            out = np.bincount(self.index.ravel(), g.ravel(), minlength=size).astype(g.dtype)
        else:
            out = np.zeros(size, dtype=g.dtype)
            np.add.at(out, self.index.ravel(), g.ravel())
        return out.reshape(self.shape)

    def vjp(self, out, g):
        return (Take(self.index, self.unique)(g),)

    def jvp(self, out, dg):
        return ScatterAdd(self.shape, self.index, self.unique)(dg)


def _max_and_argmax(x, kernel, stride, padding, dilation):
    """Each window's maximum and the flat index in x of its first maximum (row-major order).

    One contiguous copy puts the K = kh·kw taps of every window on the leading axis,
    (K, N, C, OH, OW); a running maximum over the K slices then reads contiguous memory only,
    and a strict `>` keeps the first of tied maxima. (Reducing over the window axes of the
    strided view instead is several times slower.)
    """
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = kernel, stride, padding, dilation
    n, c, h, w = x.shape
    low = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    windows = Im2Col(kernel, stride, padding, low, dilation).forward(x)  # (N, C, kh, kw, ..)
    oh, ow = windows.shape[4:]
    taps = np.ascontiguousarray(windows.transpose(2, 3, 0, 1, 4, 5)).reshape(kh * kw, -1)
    out, k = taps[0], np.zeros(taps.shape[1], dtype=np.int8 if kh * kw < 128 else np.intp)
    for i in range(1, kh * kw):
        better = taps[i] > out
        k += better.view(np.int8) * (i - k)  # k = i where better
        out = np.maximum(out, taps[i]) if i == 1 else np.maximum(out, taps[i], out=out)
    if out.base is not None:  # a 1×1 kernel: still the copy's own row
        out = out.copy()
    if x.dtype.kind == "f" and np.isnan(out).any():  # a NaN wins: PyTorch takes the last one
        for i in range(kh * kw):
            nan = np.isnan(taps[i])
            k += nan.view(np.int8) * (i - k)
    # the flat position in x of tap (p, q) of window (n, c, i, j):
    # (n·C + c)·H·W + (i·sh + p·dh - ph)·W + (j·sw + q·dw - pw)
    p, q = np.divmod(np.arange(kh * kw), kw)
    index = _corners(n * c, h * w, oh, sh * w, ow, sw) + np.take(p * dh * w + q * dw, k)
    index = index.reshape(n, c, oh, ow)
    index -= ph * w + pw
    if (ph or pw) and (out == low).any():
        index = _off_padding(k.reshape(n, c, oh, ow), p, q, (h, w), stride, padding, dilation)
    return out.reshape(n, c, oh, ow), index


_CORNERS = {}


def _corners(images, size, oh, row_step, ow, col_step):
    """Flat positions of every window's top-left tap in the padded frame's coordinates
    (before subtracting the padding), as a 1-d array: cached, it is the same every step."""
    key = (images, size, oh, row_step, ow, col_step)
    corners = _CORNERS.get(key)
    if corners is None:
        if len(_CORNERS) > 16:
            _CORNERS.clear()
        corners = (np.arange(0, images * size, size).reshape(-1, 1, 1)
                   + np.arange(0, oh * row_step, row_step).reshape(oh, 1)
                   + np.arange(0, ow * col_step, col_step)).reshape(-1)
        corners.flags.writeable = False
        _CORNERS[key] = corners
    return corners


def _off_padding(k, p, q, size, stride, padding, dilation):
    """The flat index when a winner may lie in the padding (only a window whose real entries
    are all -inf, tied with the padding, has one): such a winner moves to the window's first
    real tap, as in PyTorch. k (N, C, OH, OW) holds each winner's tap, (p[k], q[k]) its place."""
    (h, w), (sh, sw), (ph, pw), (dh, dw) = size, stride, padding, dilation
    n, c, oh, ow = k.shape
    top = np.arange(oh).reshape(oh, 1) * sh - ph  # each window's first tap, in x's rows
    left = np.arange(ow) * sw - pw
    rows, cols = top + np.take(p, k) * dh, left + np.take(q, k) * dw
    rows = np.where((rows < 0) | (rows >= h), np.where(top < 0, top % dh, top), rows)
    cols = np.where((cols < 0) | (cols >= w), np.where(left < 0, left % dw, left), cols)
    return np.arange(0, n * c * h * w, h * w).reshape(n, c, 1, 1) + rows * w + cols


def max_pool2d(x, kernel_size, stride=None, padding=0, dilation=1):
    """Max over kh×kw windows of x (N, C, H, W), stepped by `stride` (default: the kernel),
    padded with `padding` entries of -inf per side, taps `dilation` apart: (N, C, OH, OW)."""
    x = as_tensor(x)
    dilation = as_pair("max_pool2d", "dilation", dilation, 1)
    kernel, stride, padding, _ = window_geometry("max_pool2d", x.shape, kernel_size, stride,
                                                 padding, dilation)
    return MaxPool2d(kernel, stride, padding, dilation)(x)
