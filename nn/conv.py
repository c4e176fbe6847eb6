"""Convolutions on (N, C, L) and (N, C, H, W) batches, built on one engine primitive.

`ag.sliding_windows` views every kernel-sized window (N, C, kh, kw, OH, OW); a convolution is
then one batched matrix product with the flattened kernel (one per group), and a transposed
convolution the same product the other way round followed by the window op's adjoint (adding
windows back into the image). Gradients come from those ops' own rules, so nothing here has a
hand-written derivative. A 1-d convolution is a 2-d one over images one row tall.
"""

import math
from typing import Any

import numpy as np

from autograd import ShapeError, Tensor, get_default_dtype
from autograd.ops.windows import (
    Col2Im,
    RowIm2Col,
    Unwiden,
    as_pair,
    sliding_windows,
    window_geometry,
)

from . import init
from .casting import check_device
from .module import Module, Parameter
from .resize import pad


def _as_input(input, weight):
    """Tensors pass as they are; a raw array takes the weight's dtype (it cannot need grad)."""
    if isinstance(input, Tensor):
        return input
    array = np.asarray(input)
    return Tensor(array.astype(weight.dtype) if array.dtype.kind in "iuf" else array)


def _batched(op, x, ndim):
    """x with a batch axis (an unbatched input gets one), and whether it was added."""
    if x.ndim == ndim - 1:
        return x.reshape((1,) + x.shape), True
    if x.ndim != ndim:
        raise ShapeError(f"{op}: expected a {ndim - 1}-d (unbatched) or {ndim}-d (batched) "
                         f"input, got shape {x.shape}")
    return x, False


def _groups(op, groups, channels, what):
    if isinstance(groups, bool) or not isinstance(groups, (int, np.integer)) or groups < 1:
        raise ValueError(f"{op}: groups must be a positive int, got {groups!r}")
    if channels % groups:
        raise ValueError(f"{op}: {what} ({channels}) must be divisible by groups ({groups})")
    return int(groups)


def _check_operands(op, input, weight, bias, groups, transposed=False):
    """Check a 2-d convolution's operands against each other; return the batched input,
    whether the batch axis was added, and groups as an int. The weight is (O, C/G, kh, kw),
    or (C, O/G, kh, kw) when transposed."""
    layout = "(in_channels, out_channels/groups" if transposed else \
        "(out_channels, in_channels/groups"
    if weight.ndim != 4:
        raise ShapeError(f"{op}: weight must have shape {layout}, kh, kw), got {weight.shape}")
    x, unbatched = _batched(op, _as_input(input, weight), 4)
    first, second = weight.shape[:2]
    groups = _groups(op, groups, first, "in_channels" if transposed else "out_channels")
    c, o = (first, second * groups) if transposed else (second * groups, first)
    if x.shape[1] != c:
        raise ShapeError(f"{op}: input of shape {x.shape} does not match weight of shape "
                         f"{weight.shape} with groups={groups}: expected (N, {c}, H, W)")
    if bias is not None and bias.shape != (o,):
        raise ShapeError(f"{op}: bias must have shape ({o},), got {bias.shape}")
    return x, unbatched, groups


def _same_padding(op, padding, kernel, stride, dilation):
    """PyTorch's string paddings as (top/left, bottom/right) per spatial axis: 'valid' is none,
    'same' keeps the size (stride 1 only), the odd pixel going to the end."""
    if padding == "valid":
        return [(0, 0)] * len(kernel)
    if padding != "same":
        raise ValueError(f"{op}: padding must be 'valid', 'same' or ints, got {padding!r}")
    if any(s != 1 for s in stride):
        raise ValueError(f"{op}: padding='same' is not supported for strided convolutions")
    total = [d * (k - 1) for k, d in zip(kernel, dilation)]
    return [(t // 2, t - t // 2) for t in total]


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """out[n, o, i, j] = b[o] + Σ_{c,p,q} W[o, c, p, q] · xpad[n, gC' + c, i·sh + p·dh, j·sw + q·dw]

    input (N, C, H, W) (or (C, H, W)), weight (O, C', kh, kw), bias (O,), C' = C/G inputs per
    group; g = o // (O/G) is the output channel's group: each group of O/G outputs sees only its
    C' inputs. xpad is the input with `padding` zeros on each side (or 'valid'/'same').
    Output (N, O, OH, OW), OH = (H + 2·ph - dh·(kh - 1) - 1) // sh + 1. Computed as
    W (G, O/G, C'·kh·kw) @ windows (N, G, C'·kh·kw, L), i.e. im2col + GEMM, then one pass that
    lays the (N, O, L) product out as NCHW with the bias added.

    The windows come in one of two layouts. Per pixel (L = OH·OW): copying them moves
    N·C·kh·kw·OH rows of OW entries. In wide rows (stride 1 only, L ≈ OH·W'): each tap is one
    long run of the padded image, but the product carries W' - OW unused columns per row, and
    cropping them (and zero-filling them in the reverse pass) moves N·O·OH short rows. NumPy's
    cost is per short row, so the layout with fewer is taken; the reverse pass doubles the
    windows' count when x needs a gradient (their adjoint, col2im, adds as many rows again).
    """
    x, unbatched, groups = _check_operands("conv2d", input, weight, bias, groups)
    o, cg, kh, kw = weight.shape
    dilation = as_pair("conv2d", "dilation", dilation, 1)
    if isinstance(padding, str):
        (top, bottom), (left, right) = _same_padding("conv2d", padding, (kh, kw),
                                                     as_pair("conv2d", "stride", stride, 1),
                                                     dilation)
        if (top, left) != (bottom, right):
            x = pad(x, (0, right - left, 0, bottom - top))  # the odd pixel, at the end
        padding = (top, left)
    _, stride, padding, (oh, ow) = window_geometry("conv2d", x.shape, (kh, kw), stride, padding,
                                                   dilation)
    n, k = x.shape[0], cg * kh * kw
    rows = stride == (1, 1) and k * (2 if x.requires_grad else 1) > 2 * (o // groups)
    if rows:  # wide rows: fewer short rows to copy than the windows' own layout (see below)
        cols = RowIm2Col((kh, kw), padding, dilation)(x)  # (N, C·kh·kw, L)
        width = x.shape[3] + 2 * padding[1]  # W': a tap's run spans whole padded rows
    else:
        cols = sliding_windows(x, (kh, kw), stride, padding, dilation=dilation)
        cols = cols.reshape(n, groups * k, oh * ow)  # (N, C·kh·kw, L): the one copy
        width = ow
    length = cols.shape[-1]
    if groups == 1:
        out = weight.reshape(o, k) @ cols  # (N, O, L)
    else:
        out = weight.reshape(groups, o // groups, k) @ cols.reshape(n, groups, k, length)
        out = out.reshape(n, o, length)  # (N, G, O/G, L) -> (N, O, L)
    if bias is not None:
        out = Unwiden((oh, ow), width)(out, bias if isinstance(bias, Tensor) else Tensor(bias))
    elif rows:
        out = Unwiden((oh, ow), width)(out)
    else:
        out = out.reshape(n, o, oh, ow)
    return out.reshape(out.shape[1:]) if unbatched else out


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """out[n, o, i] = b[o] + Σ_{c,p} W[o, c, p] · xpad[n, g·C/G + c, i·s + p·d]

    input (N, C, L) (or (C, L)), weight (O, C/G, k): conv2d over images one row tall."""
    x = _as_input(input, weight)
    if weight.ndim != 3:
        raise ShapeError(f"conv1d: weight must have shape (out_channels, in_channels/groups, "
                         f"kernel), got {weight.shape}")
    x, unbatched = _batched("conv1d", x, 3)
    c = weight.shape[1] * _groups("conv1d", groups, weight.shape[0], "out_channels")
    if x.shape[1] != c:
        raise ShapeError(f"conv1d: input of shape {x.shape} does not match weight of shape "
                         f"{weight.shape} with groups={groups}: expected (N, {c}, L)")
    if not isinstance(padding, str):
        padding = (0, _single("conv1d", "padding", padding, 0))
    out = conv2d(x.reshape(x.shape[:2] + (1, x.shape[2])),
                 weight.reshape(weight.shape[:2] + (1, weight.shape[2])), bias,
                 (1, _single("conv1d", "stride", stride, 1)), padding,
                 (1, _single("conv1d", "dilation", dilation, 1)), groups)
    out = out.reshape(out.shape[:2] + out.shape[3:])  # (N, O, OL)
    return out.reshape(out.shape[1:]) if unbatched else out


def _single(op, name, value, minimum):
    """An int or a 1-tuple of ints, as an int at least `minimum`."""
    if isinstance(value, (tuple, list)) and len(value) == 1:
        value = value[0]
    return as_pair(op, name, value, minimum)[0]


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """The adjoint of conv2d with respect to its input (a "deconvolution"):
    out = col2im(Wᵀ x) + b, each input pixel spreading a weighted kernel over the output.

    input (N, C, H, W), weight (C, O/G, kh, kw) (in_channels first, as PyTorch stores it),
    bias (O,). Output (N, O, OH, OW), OH = (H - 1)·sh - 2·ph + dh·(kh - 1) + oph + 1; the extra
    `output_padding` rows pick one of the sizes a strided conv2d maps to the same H.
    """
    x, unbatched, groups = _check_operands("conv_transpose2d", input, weight, bias, groups,
                                           transposed=True)
    c, og, kh, kw = weight.shape
    o = og * groups
    stride = as_pair("conv_transpose2d", "stride", stride, 1)
    padding = as_pair("conv_transpose2d", "padding", padding, 0)
    dilation = as_pair("conv_transpose2d", "dilation", dilation, 1)
    extra = as_pair("conv_transpose2d", "output_padding", output_padding, 0)
    if extra[0] >= stride[0] or extra[1] >= stride[1]:
        raise ValueError(f"conv_transpose2d: output_padding {extra} must be smaller than the "
                         f"stride {stride} (a larger one, allowed by PyTorch when the dilation "
                         f"exceeds it, is not supported)")
    n, _, h, w = x.shape
    size = tuple((x.shape[2 + i] - 1) * stride[i] - 2 * padding[i]
                 + dilation[i] * ((kh, kw)[i] - 1) + extra[i] + 1 for i in range(2))
    if size[0] < 1 or size[1] < 1:
        raise ShapeError(f"conv_transpose2d: output size {size} is too small (input "
                         f"{x.shape}, kernel {(kh, kw)}, stride {stride}, padding {padding})")
    xg = x.reshape(n, groups, c // groups, h * w)  # (N, G, C/G, L)
    wg = weight.reshape(groups, c // groups, og * kh * kw).transpose((0, 2, 1))  # (G, O/G·kk, C/G)
    cols = (wg @ xg).reshape(n, o, kh, kw, h, w)  # (N, O, kh, kw, H, W): one window per pixel
    out = Col2Im((n, o) + size, (kh, kw), stride, padding, dilation)(cols)
    if bias is not None:
        out = out + bias.reshape(1, o, 1, 1)
    return out.reshape(out.shape[1:]) if unbatched else out


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """conv_transpose2d over images one row tall: input (N, C, L) (or (C, L)), weight
    (C, O/G, k); output length (L - 1)·s - 2·p + d·(k - 1) + output_padding + 1."""
    x = _as_input(input, weight)
    if weight.ndim != 3:
        raise ShapeError(f"conv_transpose1d: weight must have shape (in_channels, "
                         f"out_channels/groups, kernel), got {weight.shape}")
    x, unbatched = _batched("conv_transpose1d", x, 3)
    op = "conv_transpose1d"
    out = conv_transpose2d(x.reshape(x.shape[:2] + (1, x.shape[2])),
                           weight.reshape(weight.shape[:2] + (1, weight.shape[2])), bias,
                           (1, _single(op, "stride", stride, 1)),
                           (0, _single(op, "padding", padding, 0)),
                           (0, _single(op, "output_padding", output_padding, 0)), groups,
                           (1, _single(op, "dilation", dilation, 1)))
    out = out.reshape(out.shape[:2] + out.shape[3:])  # (N, O, OL)
    return out.reshape(out.shape[1:]) if unbatched else out


_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


class _ConvNd(Module):
    """What every convolution layer shares: argument checks, PyTorch's initialisation
    (kaiming_uniform_(a=√5) on the weight, bias U(±1/√fan_in) with fan_in from the weight's
    shape, so groups and transposition count right), and the repr."""

    _dims = 2
    _transposed = False
    _lazy = False  # a lazy layer starts with in_channels=0
    _function = None  # conv1d or conv2d

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int | tuple[int, ...],
                 stride: int | tuple[int, ...] = 1, padding: int | str | tuple[int, ...] = 0,
                 dilation: int | tuple[int, ...] = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None,
                 output_padding: int | tuple[int, ...] = 0) -> None:
        super().__init__()
        name = type(self).__name__
        self.in_channels, self.out_channels = int(in_channels), int(out_channels)
        if self.in_channels < (0 if self._lazy else 1) or self.out_channels <= 0:
            raise ValueError(f"{name}: in_channels and out_channels must be positive, got "
                             f"{in_channels} and {out_channels}")
        self.groups = _groups(name, groups, self.in_channels, "in_channels")
        _groups(name, groups, self.out_channels, "out_channels")
        self.kernel_size = self._tuple("kernel_size", kernel_size, 1)
        self.stride = self._tuple("stride", stride, 1)
        if isinstance(padding, str):
            _same_padding(name, padding, self.kernel_size, self.stride, (1,) * self._dims)
            self.padding = padding
        else:
            self.padding = self._tuple("padding", padding, 0)
        self.dilation = self._tuple("dilation", dilation, 1)
        self.output_padding = self._tuple("output_padding", output_padding, 0)
        if padding_mode not in _PADDING_MODES:
            raise ValueError(f"{name}: padding_mode must be one of {_PADDING_MODES}, got "
                             f"{padding_mode!r}")
        if padding_mode != "zeros" and (self._transposed or isinstance(padding, str)):
            raise ValueError(f"{name}: padding_mode={padding_mode!r} needs integer padding "
                             f"and a forward convolution")
        self.padding_mode = padding_mode
        check_device(name, device)
        self._dtype = np.dtype(dtype) if dtype is not None else get_default_dtype()
        if self._transposed:
            shape = (self.in_channels, self.out_channels // self.groups)
        else:
            shape = (self.out_channels, self.in_channels // self.groups)
        self.weight = Parameter(np.zeros(shape + self.kernel_size, self._dtype))
        self.bias = Parameter(np.zeros(self.out_channels, self._dtype)) if bias else None
        self.reset_parameters()

    def _tuple(self, name, value, minimum):
        if self._dims == 1:
            return (_single(type(self).__name__, name, value, minimum),)
        return as_pair(type(self).__name__, name, value, minimum)

    def reset_parameters(self):
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            if fan_in:
                bound = 1 / math.sqrt(fan_in)
                init.uniform_(self.bias, -bound, bound)

    def forward(self, x):
        padding = self.padding
        if self.padding_mode != "zeros":
            x, padding = self._pad_input(_as_input(x, self.weight)), 0
        return self._function(x, self.weight, self.bias, self.stride, padding, self.dilation,
                              self.groups)

    def _pad_input(self, x):
        """For padding_mode other than zeros: pad explicitly (PyTorch's order, last axis
        first), so the convolution itself pads nothing."""
        widths = []
        for p in reversed(self.padding):
            widths += [p, p]
        return pad(x, tuple(widths), mode=self.padding_mode)

    def extra_repr(self):
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}")
        if self.padding != (0,) * self._dims:
            text += f", padding={self.padding}"
        if self.dilation != (1,) * self._dims:
            text += f", dilation={self.dilation}"
        if self.output_padding != (0,) * self._dims:
            text += f", output_padding={self.output_padding}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        if self.padding_mode != "zeros":
            text += f", padding_mode={self.padding_mode}"
        return text


class Conv1d(_ConvNd):
    """1-d convolution over (N, C, L): weight (out_channels, in_channels/groups, k), bias
    (out_channels,)."""

    _dims = 1
    _function = staticmethod(conv1d)


class Conv2d(_ConvNd):
    """2-d convolution over (N, C, H, W): weight (out_channels, in_channels/groups, kh, kw),
    bias (out_channels,)."""

    _function = staticmethod(conv2d)


class _ConvTransposeNd(_ConvNd):
    """Transposed convolution: weight (in_channels, out_channels/groups, *kernel), bias
    (out_channels,). `output_size=` in forward picks the output_padding that reaches it."""

    _transposed = True

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int | tuple[int, ...],
                 stride: int | tuple[int, ...] = 1, padding: int | tuple[int, ...] = 0,
                 output_padding: int | tuple[int, ...] = 0, groups: int = 1, bias: bool = True,
                 dilation: int | tuple[int, ...] = 1, padding_mode: str = "zeros",
                 device: Any = None, dtype: Any = None) -> None:
        name = type(self).__name__
        if padding_mode != "zeros":
            raise ValueError(f"{name}: only padding_mode='zeros' is supported (as in PyTorch), "
                             f"got {padding_mode!r}")
        if isinstance(padding, str):
            raise ValueError(f"{name}: padding must be ints, got {padding!r}")
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, device, dtype, output_padding)

    def forward(self, x, output_size=None):
        extra = self.output_padding
        if output_size is not None:
            extra = self._output_padding(x, output_size)
        return self._function(x, self.weight, self.bias, self.stride, self.padding, extra,
                              self.groups, self.dilation)

    def _output_padding(self, x, output_size):
        """The output_padding that makes the output `output_size` (its trailing entries)."""
        n = self._dims
        size = tuple(output_size)[-n:]
        extra = []
        for i in range(n):
            smallest = ((x.shape[-n + i] - 1) * self.stride[i] - 2 * self.padding[i]
                        + self.dilation[i] * (self.kernel_size[i] - 1) + 1)
            if not smallest <= size[i] < smallest + self.stride[i]:
                raise ValueError(f"{type(self).__name__}: requested output size {tuple(size)} "
                                 f"is not reachable from input {tuple(x.shape)}: each size must "
                                 f"lie in [{smallest}, {smallest + self.stride[i] - 1}]")
            extra.append(size[i] - smallest)
        return tuple(extra)


class ConvTranspose1d(_ConvTransposeNd):
    """Transposed 1-d convolution over (N, C, L): weight (in_channels, out_channels/groups, k)."""

    _dims = 1
    _function = staticmethod(conv_transpose1d)


class ConvTranspose2d(_ConvTransposeNd):
    """Transposed 2-d convolution over (N, C, H, W): weight (in_channels, out_channels/groups,
    kh, kw)."""

    _function = staticmethod(conv_transpose2d)
