"""Every differentiable op, grouped by family, and the functions that apply them."""

from .elementwise import (
    abs,
    add,
    astype,
    clip,
    compare,
    cos,
    divide,
    exp,
    leaky_relu,
    log,
    maximum,
    minimum,
    multiply,
    negative,
    power,
    relu,
    sigmoid,
    sin,
    sqrt,
    subtract,
    tanh,
    where,
)
from .linalg import matmul
from .reductions import log_softmax, logsumexp, max, mean, min, softmax, std, sum, var
from .shape import (
    broadcast_to,
    concatenate,
    expand_dims,
    flatten,
    getitem,
    reshape,
    squeeze,
    stack,
    sum_to,
    transpose,
)

__all__ = [
    "abs", "add", "astype", "broadcast_to", "clip", "compare", "concatenate", "cos", "divide",
    "exp", "expand_dims", "flatten", "getitem", "leaky_relu", "log", "log_softmax", "logsumexp",
    "matmul", "max", "maximum", "mean", "min", "minimum", "multiply", "negative", "power",
    "relu", "reshape", "sigmoid", "sin", "softmax", "sqrt", "squeeze", "stack", "std",
    "subtract", "sum", "sum_to", "tanh", "transpose", "var", "where",
]
