"""`torch.autograd` under the import swap.

With `import autograd as torch`, PyTorch code that spells `torch.autograd.grad`,
`torch.autograd.Function` or `torch.autograd.functional.jacobian` reads this module; the same
names are also at the package's top level (`autograd.grad`, `autograd.Function`).
"""

from . import functional
from .creation import Variable
from .function import Function, FunctionCtx
from .gradcheck import gradcheck
from .mode import (
    detect_anomaly,
    enable_grad,
    inference_mode,
    no_grad,
    set_detect_anomaly,
    set_grad_enabled,
)
from .reverse import grad


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """`torch.autograd.backward`: backward from several outputs at once, each weighted by its
    `grad_tensors` entry (None for a scalar output)."""
    from .ops import add
    from .tensor import Tensor

    if inputs is not None:
        raise NotImplementedError("autograd.backward: inputs= is not supported; use "
                                  "autograd.grad(outputs, inputs) instead")
    tensors = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    if grad_tensors is None or isinstance(grad_tensors, Tensor):
        grad_tensors = [grad_tensors] * len(tensors)
    total = None
    for y, g in zip(tensors, grad_tensors):
        term = (y * g).sum() if g is not None else y
        total = term if total is None else add(total, term)
    total.backward(retain_graph=retain_graph, create_graph=create_graph)


__all__ = ["Function", "FunctionCtx", "Variable", "backward", "detect_anomaly", "enable_grad",
           "functional", "grad", "gradcheck", "inference_mode", "no_grad", "set_detect_anomaly",
           "set_grad_enabled"]
