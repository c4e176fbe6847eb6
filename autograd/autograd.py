"""`torch.autograd` under the import swap.

With `import autograd as torch`, PyTorch code that spells `torch.autograd.grad`,
`torch.autograd.Function` or `torch.autograd.functional.jacobian` reads this module; the same
names are also at the package's top level (`autograd.grad`, `autograd.Function`).
"""

import types
from collections import namedtuple

from . import functional as _functional
from .creation import Variable
from .function import Function, FunctionCtx
from .gradcheck import gradcheck
from .graph import toposort
from .mode import (
    detect_anomaly,
    enable_grad,
    inference_mode,
    no_grad,
    set_detect_anomaly,
    set_grad_enabled,
)
from .reverse import grad as _grad
from .tensor import Tensor


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """`autograd.grad` with PyTorch's keywords. An input the outputs do not use gets zeros (as
    SPEC has it), or None with `allow_unused=True` (as in PyTorch; zeros again with
    `materialize_grads=True`)."""
    if is_grads_batched:
        raise NotImplementedError("grad: is_grads_batched=True is not supported; call grad "
                                  "once per cotangent")
    unused = None
    if allow_unused and not materialize_grads:
        roots = [outputs] if isinstance(outputs, Tensor) else list(outputs)
        order = toposort(roots)
        used = set(roots) | set(order)
        used.update(x for t in order for x in (t.grad_fn.inputs or ()))
        listed = [inputs] if isinstance(inputs, Tensor) else list(inputs)
        unused = [x not in used for x in listed]
    result = _grad(outputs, inputs, grad_outputs, retain_graph, create_graph)
    if unused is not None:
        result = tuple(None if u else g for g, u in zip(result, unused))
    return result


def gradgradcheck(func, inputs, grad_outputs=None, eps=1e-6, atol=1e-5, rtol=1e-3, seed=0,
                  raise_exception=True, **torch_options):
    """Second derivatives against finite differences: gradcheck of the function that maps the
    inputs to uᵀ·∂func/∂inputs (u: `grad_outputs`, or a fixed random cotangent), whose own
    gradient runs the reverse rules' reverse rules (create_graph=True)."""
    import numpy as np

    from .ops import concatenate, reshape

    def first(*xs):
        out = func(*xs)
        u = grad_outputs
        if u is None:
            u = Tensor._make(np.random.default_rng(seed + 1).standard_normal(out.shape)
                             .astype(out.dtype))
        wrt = [x for x in xs if x.requires_grad]
        grads = _grad(out, wrt, u, create_graph=True)
        return concatenate([reshape(g, (-1,)) for g in grads])

    return gradcheck(first, inputs, eps=eps, atol=atol, rtol=rtol, seed=seed,
                     raise_exception=raise_exception, **torch_options)


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


def _inputs(inputs):
    single = isinstance(inputs, Tensor)
    return single, (inputs,) if single else tuple(inputs)


def _refuse(where, create_graph, strict):
    if create_graph:
        raise NotImplementedError(f"functional.{where}: create_graph=True is not supported; "
                                  "use autograd.grad(..., create_graph=True) instead")
    if strict:
        raise NotImplementedError(f"functional.{where}: strict=True is not supported")


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """PyTorch's `autograd.functional.jacobian`: one Jacobian per input (a tuple when `inputs`
    is a tuple), each shaped output.shape + input.shape. `vectorize` only affects speed."""
    _refuse("jacobian", create_graph, strict)
    if strategy not in ("reverse-mode", "forward-mode"):
        raise ValueError(f"functional.jacobian: strategy must be 'reverse-mode' or "
                         f"'forward-mode', got {strategy!r}")
    single, xs = _inputs(inputs)
    jacobians = []
    for i, x in enumerate(xs):
        def one(xi, i=i):
            out = func(*xs[:i], xi, *xs[i + 1:])
            if not isinstance(out, Tensor):
                raise NotImplementedError("functional.jacobian: func must return one Tensor")
            return out

        jacobians.append(_functional.jacobian(one, x, mode=strategy.split("-")[0]))
    return jacobians[0] if single else tuple(jacobians)


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    """PyTorch's `autograd.functional.hessian` of a scalar function of one tensor."""
    _refuse("hessian", create_graph, strict)
    single, xs = _inputs(inputs)
    if not single and len(xs) != 1:
        raise NotImplementedError("functional.hessian: only one input tensor is supported")
    h = _functional.hessian(func, xs[0])
    return h if single else ((h,),)


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """PyTorch's `autograd.functional.vjp`: (func(inputs), vᵀ·J), v optional for a scalar."""
    _refuse("vjp", create_graph, strict)
    single, xs = _inputs(inputs)
    out, grads = _functional.vjp(func, xs, v)
    return out, grads[0] if single else grads


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """PyTorch's `autograd.functional.jvp`: (func(inputs), J·v), v optional for one entry."""
    from .forward import jvp as forward_jvp

    _refuse("jvp", create_graph, strict)
    single, xs = _inputs(inputs)
    if v is None:
        v = tuple(Tensor._make(x._data * 0 + 1) for x in xs)
    out, tangent = forward_jvp(func, xs, (v,) if isinstance(v, Tensor) else v)
    return out.detach(), tangent


class dual_level:
    """`with forward_ad.dual_level():` — inside it, ops carry tangents (forward mode)."""

    def __enter__(self):
        from . import mode

        if mode.state.tangents_enabled:
            raise RuntimeError("forward_ad.dual_level: nested dual levels are not supported")
        self._switch = mode.tangents_enabled(True)
        self._switch.__enter__()
        return self

    def __exit__(self, *exc):
        self._switch.__exit__(*exc)


def make_dual(tensor, tangent, *, level=None):
    """A tensor with `tensor`'s value carrying `tangent` through the ops that use it."""
    from .forward import _alias

    if tangent.shape != tensor.shape:
        raise ValueError(f"make_dual: tangent has shape {tangent.shape} but the primal has "
                         f"shape {tensor.shape}")
    dual = _alias(tensor)
    dual.tangent = Tensor._make(tangent._data.astype(tensor.dtype, copy=False))
    return dual


UnpackedDualTensor = namedtuple("UnpackedDualTensor", "primal tangent")


def unpack_dual(tensor, *, level=None):
    """(primal, tangent); the tangent is None when the tensor carries none."""
    primal = tensor if tensor.requires_grad else Tensor._make(tensor._data)
    return UnpackedDualTensor(primal, tensor.tangent)


forward_ad = types.ModuleType("autograd.autograd.forward_ad", "torch.autograd.forward_ad: "
                              "dual tensors carrying tangents through ops.")
forward_ad.__dict__.update(dual_level=dual_level, make_dual=make_dual, unpack_dual=unpack_dual,
                           UnpackedDualTensor=UnpackedDualTensor)

functional = types.ModuleType("autograd.autograd.functional", "torch.autograd.functional's "
                              "calling conventions (tuples of inputs, strategy=).")
functional.__dict__.update(jacobian=jacobian, hessian=hessian, vjp=vjp, jvp=jvp)

__all__ = [
    "Function", "FunctionCtx", "Variable", "backward", "detect_anomaly", "enable_grad",
    "forward_ad", "functional", "grad", "gradcheck", "gradgradcheck", "inference_mode",
    "no_grad", "set_detect_anomaly", "set_grad_enabled",
]
