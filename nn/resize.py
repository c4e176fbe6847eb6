"""Padding and resizing along the trailing axes: `F.pad`, `F.interpolate` (nearest),
`F.pixel_shuffle`, and their layers (`ZeroPad2d`, `ReflectionPad2d`, ..., `Upsample`,
`PixelShuffle`).

Both are gathers: a padded or resized axis is the input indexed by an integer array (reflect,
replicate, circular, nearest), or the input with constant blocks concatenated on each side.
Indexing's own reverse rule (a scatter-add) gives the gradient, so a reflected or repeated
pixel collects the gradient of every place it was copied to.
"""

import math
import numbers

import numpy as np

import autograd as ag
from autograd import ShapeError, Tensor

from .module import Module

_NUMPY_MODES = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def _take(x, axis, index):
    """x's entries at `index` (an int array) along `axis`."""
    return x[(slice(None),) * axis + (index,)]


def pad(input, pad, mode="constant", value=None):
    """Pad the trailing axes: `pad` = (left, right) for the last axis, then (top, bottom) for
    the one before, and so on (PyTorch's order, last axis first).

    mode 'constant' fills with `value` (default 0; negative widths crop); 'reflect' mirrors
    without repeating the edge (widths < the axis' size), 'replicate' repeats the edge,
    'circular' wraps around (widths ≤ the axis' size).
    """
    x = input if isinstance(input, Tensor) else Tensor(input)
    widths = tuple(pad)
    if len(widths) % 2 or len(widths) // 2 > x.ndim or not all(
            isinstance(w, (int, np.integer)) for w in widths):
        raise ValueError(f"pad: padding must be an even number of ints, at most two per axis "
                         f"of the input (shape {x.shape}), got {pad!r}")
    if mode not in ("constant",) + tuple(_NUMPY_MODES):
        raise NotImplementedError(f"pad: mode {mode!r} is not supported (constant, reflect, "
                                  f"replicate, circular)")
    if mode != "constant" and value not in (None, 0):
        raise ValueError(f"pad: padding mode {mode!r} does not take a value, got {value!r}")
    for i in range(len(widths) // 2):
        axis = x.ndim - 1 - i
        left, right = int(widths[2 * i]), int(widths[2 * i + 1])
        size = x.shape[axis]
        if mode == "constant":
            x = _pad_constant(x, axis, left, right, 0 if value is None else value)
            continue
        limit = size - 1 if mode == "reflect" else size
        if left < 0 or right < 0 or max(left, right) > limit or size == 0:
            raise ValueError(f"pad: {mode} padding ({left}, {right}) of axis {axis} must be "
                             f"non-negative and {'less than' if mode == 'reflect' else 'at most'}"
                             f" the axis' size {size} (input shape {tuple(input.shape)})")
        if left or right:
            index = np.pad(np.arange(size), (left, right), mode=_NUMPY_MODES[mode])
            x = _take(x, axis, index)
    return x


def _pad_constant(x, axis, left, right, value):
    size = x.shape[axis]
    if left < 0 or right < 0:  # negative widths crop
        start, stop = max(-left, 0), size - max(-right, 0)
        if start >= stop:
            raise ShapeError(f"pad: cropping ({left}, {right}) leaves nothing of axis {axis} "
                             f"(size {size})")
        x = x[(slice(None),) * axis + (slice(start, stop),)]
        left, right = max(left, 0), max(right, 0)
    if not (left or right):
        return x
    parts = []
    for width in (left, None, right):
        if width is None:
            parts.append(x)
        elif width:
            shape = x.shape[:axis] + (width,) + x.shape[axis + 1:]
            parts.append(Tensor(np.full(shape, value, dtype=x.dtype)))
    return ag.concatenate(parts, axis=axis)


def _per_axis(name, value, n, kind):
    values = tuple(value) if isinstance(value, (tuple, list)) else (value,) * n
    if len(values) != n or not all(isinstance(v, kind) and not isinstance(v, bool)
                                   for v in values):
        raise ValueError(f"interpolate: {name} must be one value or {n} values (one per "
                         f"spatial axis), got {value!r}")
    return values


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """Resize the spatial axes of (N, C, L), (N, C, H, W) or (N, C, D, H, W) to `size`, or
    by `scale_factor` (output = floor(input · scale)).

    mode 'nearest': out[i] = in[min(⌊i·s⌋, n - 1)], 'nearest-exact': in[min(⌊(i + ½)·s⌋, n - 1)],
    with s = 1/scale_factor when one is given (and not recomputed), else n_in/n_out — computed
    in float32, as PyTorch does, so the same pixels are picked.
    """
    x = input if isinstance(input, Tensor) else Tensor(input)
    if mode not in ("nearest", "nearest-exact"):
        raise NotImplementedError(f"interpolate: mode {mode!r} is not supported (only "
                                  f"'nearest' and 'nearest-exact')")
    if align_corners is not None:
        raise ValueError("interpolate: align_corners only applies to the linear and cubic "
                         "modes")
    if antialias:
        raise NotImplementedError("interpolate: antialias is not supported")
    spatial = x.ndim - 2
    if spatial not in (1, 2, 3):
        raise ShapeError(f"interpolate: expected a 3-d, 4-d or 5-d input (N, C, ...), got "
                         f"shape {x.shape}")
    if (size is None) == (scale_factor is None):
        raise ValueError("interpolate: give exactly one of size and scale_factor")
    sizes_in = x.shape[2:]
    if size is not None:
        sizes = _per_axis("size", size, spatial, (int, np.integer))
        scales = [None] * spatial
    else:
        factors = _per_axis("scale_factor", scale_factor, spatial, numbers.Real)
        sizes = tuple(math.floor(n * float(f)) for n, f in zip(sizes_in, factors))
        scales = [None if recompute_scale_factor else float(f) for f in factors]
    if any(s < 1 for s in sizes):
        raise ValueError(f"interpolate: output size {tuple(sizes)} must be positive (input "
                         f"{x.shape})")
    for axis, (n_in, n_out, factor) in enumerate(zip(sizes_in, sizes, scales)):
        if n_in == n_out:
            continue
        step = np.float32(1.0 / factor if factor is not None else n_in / n_out)
        positions = np.arange(n_out, dtype=np.float32)
        if mode == "nearest-exact":
            positions = positions + np.float32(0.5)
        index = np.minimum(np.floor(positions * step).astype(np.int64), n_in - 1)
        x = _take(x, axis + 2, index)
    return x


class Upsample(Module):
    """Resize by `size` or `scale_factor` (see `interpolate`); only the nearest modes."""

    def __init__(self, size=None, scale_factor=None, mode="nearest", align_corners=None,
                 recompute_scale_factor=None):
        super().__init__()
        self.size = size
        if isinstance(scale_factor, (tuple, list)):
            self.scale_factor = tuple(float(f) for f in scale_factor)
        else:
            self.scale_factor = float(scale_factor) if scale_factor is not None else None
        self.mode, self.align_corners = mode, align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input):
        return interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners,
                           self.recompute_scale_factor)

    def extra_repr(self):
        if self.scale_factor is not None:
            info = f"scale_factor={self.scale_factor!r}"
        else:
            info = f"size={self.size!r}"
        return info + f", mode={self.mode!r}"


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """PyTorch's older name for `interpolate`."""
    return interpolate(input, size, scale_factor, mode, align_corners)


class UpsamplingNearest2d(Upsample):
    """Upsample with mode='nearest'."""

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="nearest")


# --- padding layers ------------------------------------------------------------------------
class _PadNd(Module):
    """F.pad as a layer: `padding` is an int (every side) or PyTorch's tuple, last axis first."""

    mode, sides = "constant", 4

    def __init__(self, padding, value=None):
        super().__init__()
        if isinstance(padding, (int, np.integer)):
            padding = (int(padding),) * self.sides
        if not isinstance(padding, (tuple, list)) or len(padding) != self.sides:
            raise ValueError(f"{type(self).__name__}: padding must be an int or a tuple of "
                             f"{self.sides} ints, got {padding!r}")
        self.padding, self.value = tuple(padding), value

    def forward(self, x):
        return pad(x, self.padding, self.mode, self.value)

    def extra_repr(self):
        if self.value is not None:
            return f"padding={self.padding}, value={self.value}"
        return f"{self.padding}"


class ConstantPad1d(_PadNd):
    sides = 2

    def __init__(self, padding, value):
        super().__init__(padding, value)


class ConstantPad2d(ConstantPad1d):
    sides = 4


class ZeroPad1d(_PadNd):
    sides = 2


class ZeroPad2d(_PadNd):
    sides = 4


class ReflectionPad1d(_PadNd):
    mode, sides = "reflect", 2


class ReflectionPad2d(_PadNd):
    mode, sides = "reflect", 4


class ReplicationPad1d(_PadNd):
    mode, sides = "replicate", 2


class ReplicationPad2d(_PadNd):
    mode, sides = "replicate", 4


class CircularPad1d(_PadNd):
    mode, sides = "circular", 2


class CircularPad2d(_PadNd):
    mode, sides = "circular", 4


# --- pixel shuffle -------------------------------------------------------------------------
def pixel_shuffle(input, upscale_factor):
    """(*, C·r², H, W) -> (*, C, H·r, W·r): out[c, h·r + i, w·r + j] = x[c·r² + i·r + j, h, w]."""
    x = input if isinstance(input, Tensor) else Tensor(input)
    r = int(upscale_factor)
    if x.ndim < 3 or x.shape[-3] % (r * r):
        raise ShapeError(f"pixel_shuffle: expected (*, C·{r * r}, H, W) input, got {x.shape}")
    *batch, c, h, w = x.shape
    n = len(batch)
    x = x.reshape(tuple(batch) + (c // (r * r), r, r, h, w))
    x = x.transpose(tuple(range(n)) + tuple(n + a for a in (0, 3, 1, 4, 2)))  # (*, C, H, r, W, r)
    return x.reshape(tuple(batch) + (c // (r * r), h * r, w * r))


def pixel_unshuffle(input, downscale_factor):
    """The inverse of pixel_shuffle: (*, C, H·r, W·r) -> (*, C·r², H, W)."""
    x = input if isinstance(input, Tensor) else Tensor(input)
    r = int(downscale_factor)
    if x.ndim < 3 or x.shape[-2] % r or x.shape[-1] % r:
        raise ShapeError(f"pixel_unshuffle: expected (*, C, H·{r}, W·{r}) input, got {x.shape}")
    *batch, c, h, w = x.shape
    n = len(batch)
    x = x.reshape(tuple(batch) + (c, h // r, r, w // r, r))
    x = x.transpose(tuple(range(n)) + tuple(n + a for a in (0, 2, 4, 1, 3)))  # (*, C, r, r, H, W)
    return x.reshape(tuple(batch) + (c * r * r, h // r, w // r))


class PixelShuffle(Module):
    """Rearrange (*, C·r², H, W) into (*, C, H·r, W·r) (sub-pixel upsampling)."""

    def __init__(self, upscale_factor):
        super().__init__()
        self.upscale_factor = int(upscale_factor)

    def forward(self, x):
        return pixel_shuffle(x, self.upscale_factor)

    def extra_repr(self):
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    """Rearrange (*, C, H·r, W·r) into (*, C·r², H, W)."""

    def __init__(self, downscale_factor):
        super().__init__()
        self.downscale_factor = int(downscale_factor)

    def forward(self, x):
        return pixel_unshuffle(x, self.downscale_factor)

    def extra_repr(self):
        return f"downscale_factor={self.downscale_factor}"
