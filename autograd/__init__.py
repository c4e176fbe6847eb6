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
from .compile import compile as compile  # noqa: F401  (ag.compile; the package stays importable)
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
from .ops import *  # noqa: F403  (every op function, under PyTorch's and NumPy's names)
from .ops import __all__ as _op_names
from .ops import sliding_windows as sliding_windows
from .reverse import grad
from .shapes import ShapeError
from .tensor import Tensor

__all__ = [
    "GradcheckError", "Op", "ShapeError", "Tensor", "detect_anomaly", "enable_grad",
    "get_default_dtype", "grad", "gradcheck", "hessian", "is_anomaly_enabled", "is_grad_enabled",
    "jacobian", "jvp", "no_grad", "set_default_dtype", "set_detect_anomaly", "set_grad_enabled",
    "toposort", "viz", "vjp", *_op_names,
]

# PyTorch's module-level API (`import autograd as torch`): tensor(), PyTorch's dtype names,
# factories, seeding, devices, Function, save/load. See torch_api.py.
from . import torch_api  # noqa: E402
from .torch_api import *  # noqa: E402,F403

__all__ += torch_api.__all__
