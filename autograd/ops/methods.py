"""Tensor methods: `x.NAME(*args)` is `ag.NAME(x, *args)` for every function below, so each
op is defined once, as a function, and the method is only its other spelling. The few
methods whose spelling differs from their function (varargs shapes, `where`, the in-place
forms) are written out here."""

from .. import inplace
from . import (
    arithmetic,
    arrange,
    einsum,
    elementary,
    indexing,
    integer,
    linalg,
    matrix,
    reductions,
    scan,
    search,
    shape,
    unary,
    views,
)
from .views import _sizes

_FAMILIES = (views, search, arithmetic, elementary, integer, linalg, reductions, scan, shape, unary,
             indexing, arrange, matrix, einsum)

# x.NAME(...) is NAME(x, ...): each function takes the tensor first, so it is the method itself.
METHODS = """exp log sqrt tanh sigmoid relu abs sin cos log10 log2 log1p expm1 rsqrt square sign
tan asin acos atan sinh cosh floor ceil trunc frac reciprocal negative t contiguous clone
bitwise_not logical_not leaky_relu clip clamp maximum minimum astype sum mean max min var std
logsumexp softmax log_softmax prod norm any all argmax argmin amax amin sort argsort topk cumsum
cumprod
cummax cummin gather nonzero masked_fill add subtract multiply divide div remainder fmod power
floor_divide eq ne lt le gt ge bitwise_and bitwise_or bitwise_xor bitwise_left_shift
bitwise_right_shift logical_and logical_or matmul mm bmm mv dot outer view view_as permute
transpose swapaxes unsqueeze squeeze expand_dims flatten broadcast_to expand expand_as repeat
split chunk unbind narrow select flip tril triu diagonal trace round index_select masked_select
scatter scatter_add roll repeat_interleave diag unique bincount isnan isinf isfinite median
kthvalue atan2 lerp logaddexp addmm baddbmm movedim moveaxis take take_along_dim tile diff kron
cross count_nonzero argwhere exp2 deg2rad rad2deg fmax fmin nan_to_num sgn inverse det logdet
""".split()

ALIASES = {"sub": "subtract", "mul": "multiply", "true_divide": "divide", "pow": "power",
           "neg": "negative", "absolute": "abs", "arcsin": "asin", "arccos": "acos",
           "arctan": "atan", "swapdims": "swapaxes", "greater": "gt", "less": "lt",
           "ravel": "flatten"}


def _find(name):
    for family in _FAMILIES:
        fn = getattr(family, name, None)
        if callable(fn) and getattr(fn, "__module__", "").startswith("autograd.ops"):
            return fn
    raise AttributeError(f"no function {name} for a Tensor method")


def reshape(self, *shape):
    """The same entries in a new shape: x.reshape(2, 3) or x.reshape((2, 3))."""
    return shape_reshape(self, _sizes("reshape", shape))


shape_reshape = shape.reshape


def where(self, condition, other):
    """x.where(cond, y): x where cond holds, else y (PyTorch's argument order)."""
    return arithmetic.where(condition, self, other)


def size(self, dim=None):
    """The shape (a tuple), or the size of one dim."""
    if dim is None:
        return self._data.shape
    from ._dialect import one

    return self._data.shape[one("size", dim, self._data.ndim)] if self._data.ndim else 1


def dim(self):
    """The number of dims (ndim)."""
    return self._data.ndim


def nelement(self):
    """The number of entries (numel)."""
    return self._data.size


def _in_place(name, fn):
    def method(self, *args, **kwargs):
        return inplace.update(self, lambda a, _: fn(a, *args, **kwargs), None, name)
    method.__name__ = name
    method.__doc__ = f"In-place {fn.__name__}: x ← {fn.__name__}(x, …), with autograd."
    return method


def add_(self, other, *, alpha=1):
    """x ← x + alpha·other."""
    return inplace.update(self, lambda a, b: arithmetic.add(a, b, alpha=alpha), other, "add_")


def sub_(self, other, *, alpha=1):
    """x ← x - alpha·other."""
    return inplace.update(self, lambda a, b: arithmetic.subtract(a, b, alpha=alpha), other,
                          "sub_")


def masked_fill_(self, mask, value):
    """x ← value where mask, in place (a value tensor that requires grad gets gradients)."""
    return inplace.update(self, lambda a, v: arithmetic.masked_fill(a, mask, v), value,
                          "masked_fill_")


def scatter_(self, dim, index, src=None, *, value=None):
    """x[i][index[i][j]] ← src[i][j] (dim = 1), in place."""
    return inplace.update(self, lambda a, s: indexing.scatter(a, dim, index, s, value=value),
                          src, "scatter_")


IN_PLACE = {"clamp_": unary.clip, "clip_": unary.clip,
            "relu_": unary.relu, "exp_": unary.exp, "log_": unary.log, "sqrt_": unary.sqrt,
            "tanh_": unary.tanh, "sigmoid_": unary.sigmoid, "abs_": unary.abs,
            "neg_": arithmetic.negative, "pow_": arithmetic.power,
            "floor_": elementary.floor, "round_": elementary.round,
            "tril_": views.tril, "triu_": views.triu, "scatter_add_": indexing.scatter_add}


def index_fill_(self, dim, index, value):
    """x[..., index, ...] ← value along `dim`, in place."""
    from ._dialect import one

    where = (slice(None),) * one("index_fill_", dim, self._data.ndim) + (indexing._array(index),)
    return inplace.setitem(self, where, value, "index_fill_")


def resize(self, *sizes):
    """The entries in a new shape of the same size (PyTorch's deprecated resize, as view)."""
    return views.view(self, *_resized("resize", self, sizes))


def resize_(self, *sizes):
    """Reshape this tensor itself (same number of entries; growing or shrinking the storage,
    which PyTorch allows, is not supported here)."""
    if self._requires_grad:
        raise RuntimeError("resize_: cannot resize a tensor that requires grad")
    self._data = self._data.reshape(_resized("resize_", self, sizes))
    return self


def _resized(call, x, sizes):
    import numpy as np

    shape = _sizes(call, sizes)
    if int(np.prod(shape)) != x._data.size:
        raise ValueError(f"{call}: cannot resize a tensor of shape {x.shape} "
                         f"({x._data.size} elements) to {shape}; only a shape with the same "
                         "number of elements is supported")
    return shape


def mT(self):
    """The last two dims swapped (a batch of transposed matrices)."""
    return views.swapaxes(self, -2, -1)


def install(Tensor):
    # The function itself is the method (it takes the tensor first): no wrapper, no cost.
    for name in METHODS:
        setattr(Tensor, name, _find(name))
    for alias, name in ALIASES.items():
        setattr(Tensor, alias, getattr(Tensor, name))
    for fn in (reshape, where, size, dim, nelement, add_, sub_, index_fill_, masked_fill_,
               scatter_, resize, resize_):
        setattr(Tensor, fn.__name__, fn)
    Tensor.mT = property(mT)
    Tensor.ndimension = dim
    for name, fn in IN_PLACE.items():
        setattr(Tensor, name, _in_place(name, fn))
