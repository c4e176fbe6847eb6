"""Containers (Sequential, ModuleList, ModuleDict) and layers with PyTorch's constructor
arguments, defaults, initialisation and state_dict keys.

Each forward is one call into `nn.functional`, so the math lives in one place; a layer only
holds its parameters (and buffers) and says how it prints.
"""

import math
from collections import OrderedDict

import numpy as np

from autograd import ShapeError, Tensor, get_default_dtype

from . import functional as F
from . import init
from .module import Module, Parameter


def _count(value, what, layer):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{layer}: {what} must be a non-negative int, got {value!r}")
    return int(value)


class Sequential(Module):
    """Modules applied in order: `Sequential(a, b, c)(x) == c(b(a(x)))`.

    Built from modules (named "0", "1", ...) or from an OrderedDict of name -> module.
    Indexing gives a module (an int) or a new Sequential (a slice); len and iteration work.
    """

    def __init__(self, *modules):
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], dict):
            items = modules[0].items()
        else:
            items = ((str(i), m) for i, m in enumerate(modules))
        for name, module in items:
            if not isinstance(module, Module):
                raise TypeError(f"{type(self).__name__}: entry {name} is a "
                                f"{type(module).__name__}, not a Module")
            self.add_module(name, module)

    def _items(self):
        return [(n, v) for n, v in self.__dict__.items() if isinstance(v, Module)]

    def __len__(self):
        return len(self._items())

    def __iter__(self):
        return iter([m for _, m in self._items()])

    def __getitem__(self, index):
        items = self._items()
        if isinstance(index, slice):
            return type(self)(OrderedDict(items[index]))
        try:
            return items[index][1]
        except (IndexError, TypeError):
            raise IndexError(f"{type(self).__name__}: index {index!r} is out of range for "
                             f"{len(items)} modules") from None

    def append(self, module):
        self.add_module(str(len(self)), module)
        return self

    def forward(self, x):
        for module in self:
            x = module(x)
        return x


class ModuleList(Sequential):
    """A list of modules whose parameters the owner finds ("layers.0.weight"). Unlike
    Sequential it has no forward: the owner decides how to call them."""

    def __init__(self, modules=()):
        super().__init__(*modules)

    def extend(self, modules):
        for module in modules:
            self.append(module)
        return self

    def forward(self, *args, **kwargs):
        raise NotImplementedError("ModuleList has no forward(); call its modules yourself")


class ModuleDict(Module):
    """A dict of name -> module whose parameters the owner finds ("heads.cls.weight")."""

    def __init__(self, modules=None):
        super().__init__()
        for name, module in (modules or {}).items():
            self[name] = module

    def __setitem__(self, name, module):
        self.add_module(name, module)

    def __getitem__(self, name):
        if not isinstance(self.__dict__.get(name), Module):
            raise KeyError(f"ModuleDict: no module named {name!r}")
        return self.__dict__[name]

    def __contains__(self, name):
        return isinstance(self.__dict__.get(name), Module)

    def items(self):
        return [(n, v) for n, v in self.__dict__.items() if isinstance(v, Module)]

    def keys(self):
        return [n for n, _ in self.items()]

    def values(self):
        return [v for _, v in self.items()]

    def __len__(self):
        return len(self.items())

    def __iter__(self):
        return iter(self.keys())


class Identity(Module):
    """Returns its input unchanged (a placeholder layer); ignores any arguments."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, x):
        return x


class Linear(Module):
    """y = x Wᵀ + b, W (out_features, in_features), b (out_features,).

    Init (PyTorch's): W by kaiming_uniform_(a=√5), i.e. U(±1/√in_features); b U(±1/√in_features).
    """

    def __init__(self, in_features, out_features, bias=True):
        super().__init__()
        self.in_features = _count(in_features, "in_features", "Linear")
        self.out_features = _count(out_features, "out_features", "Linear")
        self.weight = Parameter(np.zeros((self.out_features, self.in_features)))
        self.bias = Parameter(np.zeros(self.out_features)) if bias else None
        self.reset_parameters()

    def reset_parameters(self):
        if self.in_features == 0:
            return  # nothing to draw, and no fan to scale by
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_features)
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x):
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class ReLU(Module):
    """max(x, 0). `inplace` is accepted for PyTorch compatibility; the result is a new tensor."""

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, x):
        return F.relu(x)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class LeakyReLU(Module):
    """x if x > 0 else negative_slope·x."""

    def __init__(self, negative_slope=0.01, inplace=False):
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, x):
        return F.leaky_relu(x, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class Tanh(Module):
    def forward(self, x):
        return F.tanh(x)


class Sigmoid(Module):
    def forward(self, x):
        return F.sigmoid(x)


class Softmax(Module):
    """exp(x_i) / Σ_j exp(x_j) along `dim` (None means the last axis)."""

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        return F.softmax(x, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class LogSoftmax(Softmax):
    """x_i - logsumexp(x) along `dim` (None means the last axis)."""

    def forward(self, x):
        return F.log_softmax(x, self.dim)


class Dropout(Module):
    """Inverted dropout: in training, zero each entry with probability p and scale the rest by
    1/(1 - p); in eval mode, the identity."""

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        F._check_probability(p, "Dropout")
        self.p, self.inplace = p, inplace

    def forward(self, x):
        return F.dropout(x, self.p, self.training)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class BatchNorm1d(Module):
    """Batch normalisation over the channels of (N, C) or (N, C, L) input.

    y = (x - μ) / √(σ² + eps) · weight + bias. Training uses the batch's statistics and updates
    `running_mean`/`running_var` (unbiased) with `momentum` (None: a cumulative average) and
    counts `num_batches_tracked`; eval uses the running statistics.
    """

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True,
                 track_running_stats=True, *, bias=True):
        super().__init__()
        self.num_features = _count(num_features, "num_features", type(self).__name__)
        self.eps, self.momentum = eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        dtype = get_default_dtype()
        self.weight = Parameter(np.ones(num_features)) if affine else None
        self.bias = Parameter(np.zeros(num_features)) if affine and bias else None
        tracked = track_running_stats
        self.register_buffer("running_mean", np.zeros(num_features, dtype) if tracked else None)
        self.register_buffer("running_var", np.ones(num_features, dtype) if tracked else None)
        self.register_buffer("num_batches_tracked",
                             np.array(0, dtype=np.int64) if tracked else None)

    def reset_running_stats(self):
        if self.track_running_stats:
            self.running_mean[...] = 0.0
            self.running_var[...] = 1.0
            self.num_batches_tracked[...] = 0

    def forward(self, x):
        x = x if isinstance(x, Tensor) else Tensor(x)
        name = type(self).__name__
        if x.ndim not in (2, 3):
            raise ShapeError(f"{name}: expected 2D (N, C) or 3D (N, C, L) input, got shape "
                             f"{x.shape}")
        if x.shape[1] != self.num_features:
            raise ShapeError(f"{name}: input of shape {x.shape} has {x.shape[1]} channels, "
                             f"expected num_features={self.num_features}")
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


class LayerNorm(Module):
    """(x - mean) / √(var + eps) · weight + bias over the trailing `normalized_shape` axes."""

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True):
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else normalized_shape
        self.normalized_shape = tuple(int(n) for n in shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        affine = elementwise_affine
        self.weight = Parameter(np.ones(self.normalized_shape)) if affine else None
        self.bias = Parameter(np.zeros(self.normalized_shape)) if affine and bias else None

    def forward(self, x):
        return F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}")


class Flatten(Module):
    """Merge axes start_dim..end_dim into one: (N, C, H, W) -> (N, C·H·W) by default."""

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x):
        x = x if isinstance(x, Tensor) else Tensor(x)
        ndim = max(x.ndim, 1)
        start, end = self.start_dim % ndim, self.end_dim % ndim
        if not (-ndim <= self.start_dim < ndim and -ndim <= self.end_dim < ndim) or start > end:
            raise ShapeError(f"Flatten: cannot flatten dims {self.start_dim}..{self.end_dim} of "
                             f"a tensor of shape {x.shape}")
        shape = x.shape[:start] + (int(np.prod(x.shape[start:end + 1])),) + x.shape[end + 1:]
        return x.reshape(shape)

    def extra_repr(self):
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Embedding(Module):
    """A lookup table: integer indices (any shape) -> rows of weight (num_embeddings,
    embedding_dim), initialised N(0, 1)."""

    def __init__(self, num_embeddings, embedding_dim):
        super().__init__()
        self.num_embeddings = _count(num_embeddings, "num_embeddings", "Embedding")
        self.embedding_dim = _count(embedding_dim, "embedding_dim", "Embedding")
        self.weight = Parameter(np.zeros((self.num_embeddings, self.embedding_dim)))
        init.normal_(self.weight)

    def forward(self, input):
        return F.embedding(input, self.weight)

    def extra_repr(self):
        return f"{self.num_embeddings}, {self.embedding_dim}"
