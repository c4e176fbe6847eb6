"""Batch normalisation over the channel axis (axis 1) of (N, C), (N, C, L) and (N, C, H, W)
batches, with PyTorch's running statistics, momentum and `num_batches_tracked` buffer.

One class holds the logic; `BatchNorm1d` and `BatchNorm2d` differ only in the input ranks
they accept. The math is `F.batch_norm`.
"""

from typing import Any

import numpy as np

from autograd import ShapeError, Tensor, get_default_dtype

from . import functional as F
from . import init
from .casting import check_device
from .layers import _count
from .module import Module, Parameter


class _BatchNorm(Module):
    """y = (x - μ) / √(σ² + eps) · weight + bias per channel. Training uses the batch's
    statistics (over every axis but the channels) and moves `running_mean`/`running_var`
    (unbiased) towards them by `momentum` (None: a cumulative average), counting
    `num_batches_tracked`; eval uses the running statistics (or the batch's, when
    track_running_stats=False). weight starts at 1, bias at 0."""

    _ranks = ()  # the input ranks accepted, and how they are described in errors
    _described = ""

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True, device: Any = None,
                 dtype: Any = None, *, bias: bool = True) -> None:
        super().__init__()
        name = type(self).__name__
        check_device(name, device)
        self.num_features = _count(num_features, "num_features", name)
        self.eps, self.momentum = eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        dtype = get_default_dtype() if dtype is None else np.dtype(dtype)
        n = self.num_features
        self.weight = Parameter(np.ones(n, dtype)) if affine else None
        self.bias = Parameter(np.zeros(n, dtype)) if affine and bias else None
        tracked = track_running_stats
        self.register_buffer("running_mean", np.zeros(n, dtype) if tracked else None)
        self.register_buffer("running_var", np.ones(n, dtype) if tracked else None)
        self.register_buffer("num_batches_tracked",
                             np.array(0, dtype=np.int64) if tracked else None)

    def reset_running_stats(self):
        if self.track_running_stats:
            self.running_mean[...] = 0.0
            self.running_var[...] = 1.0
            self.num_batches_tracked[...] = 0

    def reset_parameters(self):
        self.reset_running_stats()
        if self.weight is not None:
            init.ones_(self.weight)
        if self.bias is not None:
            init.zeros_(self.bias)

    def _check_input(self, x):
        name = type(self).__name__
        if x.ndim not in self._ranks:
            raise ShapeError(f"{name}: expected {self._described} input, got shape {x.shape}")
        if x.shape[1] != self.num_features:
            raise ShapeError(f"{name}: input of shape {x.shape} has {x.shape[1]} channels, "
                             f"expected num_features={self.num_features}")

    def forward(self, x):
        x = x if isinstance(x, Tensor) else Tensor(x)
        self._check_input(x)
        momentum = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked += 1
            if self.momentum is None:
                momentum = 1.0 / int(self.num_batches_tracked.item())
        use_batch_stats = self.training or self.running_mean is None
        return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                            use_batch_stats, momentum, self.eps)

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Batch normalisation over the channels of (N, C) or (N, C, L) input."""

    _ranks, _described = (2, 3), "2D (N, C) or 3D (N, C, L)"


class BatchNorm2d(_BatchNorm):
    """Batch normalisation over the channels of (N, C, H, W) input: statistics over N, H, W."""

    _ranks, _described = (4,), "4D (N, C, H, W)"


class _InstanceNorm(_BatchNorm):
    """Normalisation per sample and channel over the spatial axes (F.instance_norm); no
    affine parameters and no running statistics unless asked for. An unbatched input (one
    sample, no N axis) is accepted."""

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = False, track_running_stats: bool = False, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device, dtype)

    def forward(self, x):
        x = x if isinstance(x, Tensor) else Tensor(x)
        name = type(self).__name__
        if x.ndim not in self._ranks:
            raise ShapeError(f"{name}: expected {self._described} input, got shape {x.shape}")
        unbatched = x.ndim == min(self._ranks)
        if unbatched:
            x = x.reshape((1,) + x.shape)
        if (self.affine or self.track_running_stats) and x.shape[1] != self.num_features:
            raise ShapeError(f"{name}: input of shape {x.shape} has {x.shape[1]} channels, "
                             f"expected num_features={self.num_features}")
        out = F.instance_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                              self.training or not self.track_running_stats,
                              0.0 if self.momentum is None else self.momentum, self.eps)
        return out.reshape(out.shape[1:]) if unbatched else out


class InstanceNorm1d(_InstanceNorm):
    """Instance normalisation of (N, C, L) (or (C, L)) input over L."""

    _ranks, _described = (2, 3), "2D (C, L) or 3D (N, C, L)"


class InstanceNorm2d(_InstanceNorm):
    """Instance normalisation of (N, C, H, W) (or (C, H, W)) input over H and W."""

    _ranks, _described = (3, 4), "3D (C, H, W) or 4D (N, C, H, W)"
