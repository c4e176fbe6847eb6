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
from .arrange import (
    argwhere,
    atleast_1d,
    atleast_2d,
    atleast_3d,
    broadcast_tensors,
    cdist,
    column_stack,
    count_nonzero,
    cross,
    diff,
    kron,
    meshgrid,
    moveaxis,
    movedim,
    take,
    take_along_dim,
    tile,
)
from .einsum import einsum
from .elementary import (
    acos,
    asin,
    atan,
    atan2,
    ceil,
    cosh,
    deg2rad,
    exp2,
    expm1,
    floor,
    fmax,
    fmin,
    frac,
    lerp,
    log1p,
    log2,
    log10,
    logaddexp,
    nan_to_num,
    rad2deg,
    reciprocal,
    round,
    rsqrt,
    sgn,
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
from .matrix import det, inverse, logdet
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
    "arctan", "arctan2", "argmax", "argmin", "argsort", "argwhere", "asin", "astype", "atan",
    "atan2", "atleast_1d", "atleast_2d", "atleast_3d", "baddbmm", "bincount", "bitwise_and",
    "bitwise_left_shift", "bitwise_not", "bitwise_or", "bitwise_right_shift", "bitwise_xor", "bmm",
    "broadcast_tensors", "broadcast_to", "cat", "cdist", "ceil", "chunk", "clamp", "clip", "clone",
    "column_stack", "compare", "concatenate", "contiguous", "cos", "cosh", "count_nonzero",
    "cross", "cummax", "cummin", "cumprod", "cumsum", "deg2rad", "det", "diag", "diagonal", "diff",
    "div", "divide", "dot", "einsum", "eq", "exp", "exp2", "expand", "expand_as", "expand_dims",
    "expm1", "flatten", "flip", "floor", "floor_divide", "fmax", "fmin", "fmod", "frac", "gather",
    "ge", "getitem", "gt", "histogram", "hstack", "index_put", "index_select", "inverse",
    "isfinite", "isinf", "isnan", "kron", "kthvalue", "le", "leaky_relu", "lerp", "linear", "log",
    "log10", "log1p", "log2", "log_softmax", "logaddexp", "logdet", "logical_and", "logical_not",
    "logical_or", "logsumexp", "lt", "masked_fill", "masked_select", "matmul", "max", "maximum",
    "mean", "median", "meshgrid", "min", "minimum", "mm", "moveaxis", "movedim", "mul", "multiply",
    "mv", "nan_to_num", "narrow", "ne", "neg", "negative", "nonzero", "norm", "outer", "permute",
    "pow", "power", "prod", "rad2deg", "ravel", "reciprocal", "relu", "remainder", "repeat",
    "repeat_interleave", "reshape", "roll", "round", "rsqrt", "scatter", "scatter_add", "select",
    "sgn", "sigmoid", "sign", "sin", "sinh", "softmax", "sort", "split", "sqrt", "square",
    "squeeze", "stack", "std", "std_mean", "sub", "subtract", "sum", "sum_to", "swapaxes",
    "swapdims", "t", "take", "take_along_dim", "tan", "tanh", "tensordot", "tile", "topk", "trace",
    "transpose", "tril", "triu", "true_divide", "trunc", "unbind", "unique", "unsqueeze", "var",
    "var_mean", "view", "view_as", "vstack", "where"
]

from .methods import install as _install  # noqa: E402

_install(_Tensor)
