"""Every differentiable op, grouped by family, and the functions that apply them."""

from .arithmetic import (
    add,
    astype,
    compare,
    divide,
    maximum,
    minimum,
    multiply,
    negative,
    power,
    subtract,
    where,
)
from .linalg import linear, matmul
from .reductions import log_softmax, logsumexp, max, mean, min, softmax, std, sum, var
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
    transpose,
)
from .unary import abs, clip, cos, exp, leaky_relu, log, relu, sigmoid, sin, sqrt, tanh
from .windows import sliding_windows as sliding_windows

__all__ = [
    "abs", "add", "astype", "broadcast_to", "clip", "compare", "concatenate", "cos", "divide",
    "exp", "expand_dims", "flatten", "getitem", "index_put", "leaky_relu", "linear", "log",
    "log_softmax", "logsumexp", "matmul", "max", "maximum", "mean", "min", "minimum", "multiply",
    "negative", "power", "relu", "reshape", "sigmoid", "sin", "softmax", "sqrt", "squeeze",
    "stack", "std", "subtract", "sum", "sum_to", "tanh", "transpose", "var", "where",
]
