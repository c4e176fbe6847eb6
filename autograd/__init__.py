"""chainrule's engine: Tensors that record a graph, and reverse and forward mode through it.

    import autograd as ag
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()      # x.grad == 2x
"""

from . import _install_check as _install_check  # warns if another package is also `autograd`
from . import allocator as allocator  # noqa: F401  (tunes malloc on import; see allocator.py)
from . import onnx as onnx  # ag.onnx.export; the onnx package itself loads on first use
from . import viz
from ._version import __version__ as __version__
from .dtypes import get_default_dtype, set_default_dtype
from .forward import jvp
from .functional import hessian, jacobian, vjp
from .gradcheck import GradcheckError, gradcheck
from .graph import toposort
from .mode import (
    detect_anomaly,
    enable_grad,
    is_anomaly_enabled,
    is_grad_enabled,
    no_grad,
    set_detect_anomaly,
    set_grad_enabled,
)
from .op import Op
from .ops import (
    abs,
    add,
    astype,
    broadcast_to,
    clip,
    concatenate,
    cos,
    divide,
    exp,
    expand_dims,
    flatten,
    leaky_relu,
    linear,
    log,
    log_softmax,
    logsumexp,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    multiply,
    negative,
    power,
    relu,
    reshape,
    sigmoid,
    sin,
    softmax,
    sqrt,
    squeeze,
    stack,
    std,
    subtract,
    sum,
    tanh,
    transpose,
    var,
    where,
)
from .ops import sliding_windows as sliding_windows
from .reverse import grad
from .shapes import ShapeError
from .tensor import Tensor

__all__ = [
    "GradcheckError", "Op", "ShapeError", "Tensor", "abs", "add", "astype", "broadcast_to", "clip",
    "concatenate", "cos", "detect_anomaly", "divide", "enable_grad", "exp", "expand_dims",
    "flatten", "get_default_dtype", "grad", "gradcheck", "hessian", "is_anomaly_enabled",
    "is_grad_enabled", "jacobian", "jvp", "leaky_relu", "linear", "log", "log_softmax",
    "logsumexp", "matmul", "max", "maximum", "mean", "min", "minimum", "multiply", "negative",
    "no_grad", "power", "relu", "reshape", "set_default_dtype", "set_detect_anomaly",
    "set_grad_enabled", "sigmoid", "sin", "softmax", "sqrt", "squeeze", "stack", "std", "subtract",
    "sum", "tanh", "toposort", "transpose", "var", "viz", "vjp", "where",
]
