"""Containers (Sequential, ModuleList, ModuleDict) and layers with PyTorch's constructor
arguments, defaults, initialisation and state_dict keys.

Each forward is one call into `nn.functional`, so the math lives in one place; a layer only
holds its parameters (and buffers) and says how it prints.
"""

import math
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import numpy as np

from autograd import ShapeError, Tensor, get_default_dtype, no_grad

from . import functional as F
from . import init
from .casting import check_device
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

    def __init__(self, *modules: Module | Mapping[str, Module]) -> None:
        super().__init__()
        items: Iterable[tuple[str, Any]]
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

    def __len__(self) -> int:
        return len(self._items())

    def __iter__(self) -> Iterator[Any]:
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

    def forward(self, x: Any) -> Any:
        for module in self:
            x = module(x)
        return x


class ModuleList(Sequential):
    """A list of modules whose parameters the owner finds ("layers.0.weight"). Unlike
    Sequential it has no forward: the owner decides how to call them."""

    def __init__(self, modules: Iterable[Module] = ()) -> None:
        super().__init__(*modules)

    def extend(self, modules):
        for module in modules:
            self.append(module)
        return self

    def forward(self, *args, **kwargs):
        raise NotImplementedError("ModuleList has no forward(); call its modules yourself")


class ModuleDict(Module):
    """A dict of name -> module whose parameters the owner finds ("heads.cls.weight")."""

    def __init__(self, modules: Mapping[str, Module] | None = None) -> None:
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

    def __len__(self) -> int:
        return len(self.items())

    def __iter__(self) -> Iterator[Any]:
        return iter(self.keys())


class Identity(Module):
    """Returns its input unchanged (a placeholder layer); ignores any arguments."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, x: Tensor) -> Tensor:
        return x


class Linear(Module):
    """y = x Wᵀ + b, W (out_features, in_features), b (out_features,).

    Init (PyTorch's): W by kaiming_uniform_(a=√5), i.e. U(±1/√in_features); b U(±1/√in_features).
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True) -> None:
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

    def forward(self, x: Tensor) -> Tensor:
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class ReLU(Module):
    """max(x, 0). `inplace` is accepted for PyTorch compatibility; the result is a new tensor."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, x: Tensor) -> Tensor:
        return F.relu(x)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class LeakyReLU(Module):
    """x if x > 0 else negative_slope·x."""

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, x: Tensor) -> Tensor:
        return F.leaky_relu(x, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class Tanh(Module):
    def forward(self, x: Tensor) -> Tensor:
        return F.tanh(x)


class Sigmoid(Module):
    def forward(self, x: Tensor) -> Tensor:
        return F.sigmoid(x)


class Softmax(Module):
    """exp(x_i) / Σ_j exp(x_j) along `dim` (None means the last axis)."""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: Tensor) -> Tensor:
        return F.softmax(x, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class LogSoftmax(Softmax):
    """x_i - logsumexp(x) along `dim` (None means the last axis)."""

    def forward(self, x: Tensor) -> Tensor:
        return F.log_softmax(x, self.dim)


class Dropout(Module):
    """Inverted dropout: in training, zero each entry with probability p and scale the rest by
    1/(1 - p); in eval mode, the identity."""

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        F._check_probability(p, "Dropout")
        self.p, self.inplace = p, inplace

    def forward(self, x: Tensor) -> Tensor:
        return F.dropout(x, self.p, self.training)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class LayerNorm(Module):
    """(x - mean) / √(var + eps) · weight + bias over the trailing `normalized_shape` axes."""

    def __init__(self, normalized_shape: int | Iterable[int], eps: float = 1e-5,
                 elementwise_affine: bool = True, bias: bool = True) -> None:
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else normalized_shape
        self.normalized_shape = tuple(int(n) for n in shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        affine = elementwise_affine
        self.weight = Parameter(np.ones(self.normalized_shape)) if affine else None
        self.bias = Parameter(np.zeros(self.normalized_shape)) if affine and bias else None

    def forward(self, x: Tensor) -> Tensor:
        return F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}")


class Flatten(Module):
    """Merge axes start_dim..end_dim into one: (N, C, H, W) -> (N, C·H·W) by default."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x: Tensor) -> Tensor:
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
    embedding_dim), initialised N(0, 1) with row `padding_idx` (if given) zeroed; that row
    gets no gradient. See `F.embedding` for max_norm and scale_grad_by_freq."""

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 max_norm: float | None = None, norm_type: float = 2.0,
                 scale_grad_by_freq: bool = False, sparse: bool = False, _weight: Any = None,
                 _freeze: bool = False, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.num_embeddings = _count(num_embeddings, "num_embeddings", "Embedding")
        self.embedding_dim = _count(embedding_dim, "embedding_dim", "Embedding")
        if padding_idx is not None:
            n = self.num_embeddings
            if not -n <= padding_idx < n:
                raise ValueError(f"Embedding: padding_idx {padding_idx} must be within "
                                 f"num_embeddings ({n})")
            padding_idx %= n
        if sparse:
            raise NotImplementedError("Embedding: sparse gradients are not supported")
        check_device("Embedding", device)
        self.padding_idx, self.max_norm, self.norm_type = padding_idx, max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse
        shape = (self.num_embeddings, self.embedding_dim)
        if _weight is None:
            dtype = get_default_dtype() if dtype is None else np.dtype(dtype)
            self.weight = Parameter(np.zeros(shape, dtype), requires_grad=not _freeze)
            self.reset_parameters()
        else:
            if tuple(_weight.shape) != shape:
                raise ShapeError(f"Embedding: _weight of shape {tuple(_weight.shape)} does not "
                                 f"match (num_embeddings, embedding_dim) = {shape}")
            self.weight = Parameter(_weight, requires_grad=not _freeze)

    def reset_parameters(self):
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with no_grad():
                self.weight[self.padding_idx] = 0.0

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, padding_idx=None, max_norm=None,
                        norm_type=2.0, scale_grad_by_freq=False, sparse=False):
        """An Embedding holding `embeddings` (num_embeddings, dim) as its weight (not
        re-initialised; the padding row is kept as given), frozen unless freeze=False."""
        if embeddings.ndim != 2:
            raise ShapeError(f"Embedding.from_pretrained: embeddings must be 2-dimensional, "
                             f"got shape {tuple(embeddings.shape)}")
        rows, dim = embeddings.shape
        return cls(rows, dim, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse,
                   _weight=embeddings, _freeze=freeze)

    def forward(self, input: Tensor) -> Tensor:
        return F.embedding(input, self.weight, self.padding_idx, self.max_norm, self.norm_type,
                           self.scale_grad_by_freq, self.sparse)

    def extra_repr(self):
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            text += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            text += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            text += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq:
            text += f", scale_grad_by_freq={self.scale_grad_by_freq}"
        return text


class Dropout2d(Dropout):
    """Channel dropout: in training, zero each whole channel of (N, C, H, W) input with
    probability p and scale the rest by 1/(1 - p); in eval mode, the identity."""

    def forward(self, x: Tensor) -> Tensor:
        return F.dropout2d(x, self.p, self.training)


class Unflatten(Module):
    """Split axis `dim` into `unflattened_size` (which may hold one -1):
    Unflatten(1, (C, H, W)) turns (N, C·H·W) into (N, C, H, W)."""

    def __init__(self, dim: int | str, unflattened_size: Any) -> None:
        super().__init__()
        if not isinstance(unflattened_size, (tuple, list)) or not all(
                isinstance(n, (int, np.integer)) for n in unflattened_size):
            raise TypeError(f"Unflatten: unflattened_size must be a tuple of ints, got "
                            f"{unflattened_size!r}")
        self.dim, self.unflattened_size = dim, tuple(unflattened_size)

    def forward(self, x: Tensor) -> Tensor:
        x = x if isinstance(x, Tensor) else Tensor(x)
        if not -x.ndim <= self.dim < x.ndim:
            raise ShapeError(f"Unflatten: dim {self.dim} is out of range for a tensor of shape "
                             f"{x.shape}")
        axis = self.dim % x.ndim
        known = int(np.prod([n for n in self.unflattened_size if n != -1]))
        fits = (x.shape[axis] == known if -1 not in self.unflattened_size
                else known and x.shape[axis] % known == 0)
        if not fits:
            raise ShapeError(f"Unflatten: cannot split axis {self.dim} of size "
                             f"{x.shape[axis]} (input {x.shape}) into {self.unflattened_size}")
        return x.reshape(x.shape[:axis] + self.unflattened_size + x.shape[axis + 1:])

    def extra_repr(self):
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
