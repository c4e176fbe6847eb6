"""Every differentiable op, grouped by family, and the functions that apply them."""

from .arithmetic import (
    add,
    astype,
    compare,
    divide,
    eq,
    ge,
    gt,
    le,
    lt,
    masked_fill,
    maximum,
    minimum,
    multiply,
    ne,
    negative,
    power,
    subtract,
    where,
)
from .einsum import einsum
from .elementary import (
    acos,
    asin,
    atan,
    ceil,
    cosh,
    expm1,
    floor,
    frac,
    log1p,
    log2,
    log10,
    reciprocal,
    round,
    rsqrt,
    sign,
    sinh,
    square,
    tan,
    trunc,
)
from .indexing import (
    bincount,
    diag,
    index_select,
    isfinite,
    isinf,
    isnan,
    masked_select,
    repeat_interleave,
    roll,
    scatter,
    scatter_add,
    unique,
)
from .integer import (
    bitwise_and,
    bitwise_left_shift,
    bitwise_not,
    bitwise_or,
    bitwise_right_shift,
    bitwise_xor,
    div,
    floor_divide,
    fmod,
    logical_and,
    logical_not,
    logical_or,
    remainder,
)
from .linalg import bmm, dot, linear, matmul, mm, mv, outer
from .reductions import log_softmax, logsumexp, mean, norm, prod, softmax, std, sum, var
from .scan import cumprod, cumsum
from .search import (
    all,
    amax,
    amin,
    any,
    argmax,
    argmin,
    argsort,
    cummax,
    cummin,
    gather,
    max,
    min,
    nonzero,
    sort,
    topk,
)
from .shape import (
    broadcast_to,
    concatenate,
    expand_dims,
    flatten,
    getitem,
    index_put,
    reshape,
    squeeze,
    stack,
    sum_to,
)
from .unary import abs, clamp, clip, cos, exp, leaky_relu, log, relu, sigmoid, sin, sqrt, tanh
from .views import (
    chunk,
    clone,
    contiguous,
    diagonal,
    expand,
    expand_as,
    flip,
    narrow,
    permute,
    repeat,
    select,
    split,
    swapaxes,
    t,
    trace,
    transpose,
    tril,
    triu,
    unbind,
    unsqueeze,
    view,
    view_as,
)
from .windows import sliding_windows as sliding_windows

# PyTorch's (and NumPy's) other names for the same functions.
cat = concatenate
sub = subtract
mul = multiply
true_divide = divide
pow = power
neg = negative
absolute = abs
arcsin, arccos, arctan = asin, acos, atan
swapdims = swapaxes
ravel = flatten

from ..tensor import Tensor as _Tensor  # noqa: E402

__all__ = [
    "abs", "absolute", "acos", "add", "all", "amax", "amin", "any", "arccos", "arcsin", "arctan",
    "argmax", "argmin", "argsort", "asin", "astype", "atan", "bincount", "bitwise_and",
    "bitwise_left_shift", "bitwise_not", "bitwise_or", "bitwise_right_shift", "bitwise_xor", "bmm",
    "broadcast_to", "cat", "ceil", "chunk", "clamp", "clip", "clone", "compare", "concatenate",
    "contiguous", "cos", "cosh", "cummax", "cummin", "cumprod", "cumsum", "diag", "diagonal",
    "div", "divide", "dot", "einsum", "eq", "exp", "expand", "expand_as", "expand_dims", "expm1",
    "flatten", "flip", "floor", "floor_divide", "fmod", "frac", "gather", "ge", "getitem", "gt",
    "index_put", "index_select", "isfinite", "isinf", "isnan", "le", "leaky_relu", "linear", "log",
    "log10", "log1p", "log2", "log_softmax", "logical_and", "logical_not", "logical_or",
    "logsumexp", "lt", "masked_fill", "masked_select", "matmul", "max", "maximum", "mean", "min",
    "minimum", "mm", "mul", "multiply", "mv", "narrow", "ne", "neg", "negative", "nonzero", "norm",
    "outer", "permute", "pow", "power", "prod", "ravel", "reciprocal", "relu", "remainder",
    "repeat", "repeat_interleave", "reshape", "roll", "round", "rsqrt", "scatter", "scatter_add",
    "select", "sigmoid", "sign", "sin", "sinh", "softmax", "sort", "split", "sqrt", "square",
    "squeeze", "stack", "std", "sub", "subtract", "sum", "sum_to", "swapaxes", "swapdims", "t",
    "tan", "tanh", "topk", "trace", "transpose", "tril", "triu", "true_divide", "trunc", "unbind",
    "unique", "unsqueeze", "var", "view", "view_as", "where"
]

from .methods import install as _install  # noqa: E402

_install(_Tensor)
