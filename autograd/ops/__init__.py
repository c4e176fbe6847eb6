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
    atan2,
    ceil,
    cosh,
    expm1,
    floor,
    frac,
    lerp,
    log1p,
    log2,
    log10,
    logaddexp,
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
    histogram,
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
from .linalg import addmm, baddbmm, bmm, dot, linear, matmul, mm, mv, outer, tensordot
from .reductions import (
    log_softmax,
    logsumexp,
    mean,
    norm,
    prod,
    softmax,
    std,
    std_mean,
    sum,
    var,
    var_mean,
)
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
    kthvalue,
    max,
    median,
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
    hstack,
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
    vstack,
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
arcsin, arccos, arctan, arctan2 = asin, acos, atan, atan2
swapdims = swapaxes
ravel = flatten

from ..tensor import Tensor as _Tensor  # noqa: E402

__all__ = [
    "abs", "absolute", "acos", "add", "addmm", "all", "amax", "amin", "any", "arccos", "arcsin",
    "arctan", "arctan2", "argmax", "argmin", "argsort", "asin", "astype", "atan", "atan2",
    "baddbmm", "bincount", "bitwise_and", "bitwise_left_shift", "bitwise_not", "bitwise_or",
    "bitwise_right_shift", "bitwise_xor", "bmm", "broadcast_to", "cat", "ceil", "chunk", "clamp",
    "clip", "clone", "compare", "concatenate", "contiguous", "cos", "cosh", "cummax", "cummin",
    "cumprod", "cumsum", "diag", "diagonal", "div", "divide", "dot", "einsum", "eq", "exp",
    "expand", "expand_as", "expand_dims", "expm1", "flatten", "flip", "floor", "floor_divide",
    "fmod", "frac", "gather", "ge", "getitem", "gt", "histogram", "hstack", "index_put",
    "index_select", "isfinite", "isinf", "isnan", "kthvalue", "le", "leaky_relu", "lerp", "linear",
    "log", "log10", "log1p", "log2", "log_softmax", "logaddexp", "logical_and", "logical_not",
    "logical_or", "logsumexp", "lt", "masked_fill", "masked_select", "matmul", "max", "maximum",
    "mean", "median", "min", "minimum", "mm", "mul", "multiply", "mv", "narrow", "ne", "neg",
    "negative", "nonzero", "norm", "outer", "permute", "pow", "power", "prod", "ravel",
    "reciprocal", "relu", "remainder", "repeat", "repeat_interleave", "reshape", "roll", "round",
    "rsqrt", "scatter", "scatter_add", "select", "sigmoid", "sign", "sin", "sinh", "softmax",
    "sort", "split", "sqrt", "square", "squeeze", "stack", "std", "std_mean", "sub", "subtract",
    "sum", "sum_to", "swapaxes", "swapdims", "t", "tan", "tanh", "tensordot", "topk", "trace",
    "transpose", "tril", "triu", "true_divide", "trunc", "unbind", "unique", "unsqueeze", "var",
    "var_mean", "view", "view_as", "vstack", "where"
]

from .methods import install as _install  # noqa: E402

_install(_Tensor)
