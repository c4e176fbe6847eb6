"""`torch.func`'s function transforms on this engine: `grad`, `grad_and_value`, `vjp`, `jvp`,
`jacrev`, `jacfwd`, `hessian`.

Each takes a function and returns one (except `vjp`/`jvp`, which evaluate at once). `grad`
records its reverse pass (create_graph), so transforms nest: `grad(grad(f))` is f''. `vmap`
is not provided: batching a Python function needs a batching rule per op, which the engine
does not have.
"""

import numpy as np

from . import mode
from .forward import jvp as _forward_jvp
from .functional import jacobian
from .reverse import grad as _reverse_grad
from .tensor import Tensor


def _positions(argnums, n, where):
    single = isinstance(argnums, int)
    positions = (argnums,) if single else tuple(argnums)
    for p in positions:
        if not -n <= p < n:
            raise ValueError(f"{where}: argnums {p} is out of range for {n} positional "
                             "arguments")
    return single, tuple(p % n for p in positions)


def _track(x):
    """A stand-in for x that requires grad, still connected to x's graph when x has one (so
    an outer transform can differentiate through this one)."""
    if not isinstance(x, Tensor):
        raise TypeError(f"argument to differentiate must be a Tensor, got {type(x).__name__}")
    if x.requires_grad:
        return x * 1
    return Tensor._make(x._data, True)


def _outer(args):
    return any(isinstance(a, Tensor) and a.requires_grad for a in args)


def grad_and_value(func, argnums=0, has_aux=False):
    """f -> (args -> (∂f/∂args[argnums], f(args))); f returns a scalar (and, with has_aux,
    a pair (scalar, aux))."""
    def transformed(*args, **kwargs):
        single, positions = _positions(argnums, len(args), "grad")
        args = list(args)
        nested = _outer(args)
        for p in positions:
            args[p] = _track(args[p])
        with mode.enable_grad():
            result = func(*args, **kwargs)
        value, aux = result if has_aux else (result, None)
        if not isinstance(value, Tensor) or value._data.size != 1:
            raise RuntimeError("grad: f must return a Tensor with one element, got "
                               f"{getattr(value, 'shape', type(value).__name__)}")
        wanted = [args[p] for p in positions]
        if value.requires_grad:
            grads = _reverse_grad(value, wanted, create_graph=nested)
        else:
            grads = tuple(Tensor._make(np.zeros_like(x._data)) for x in wanted)
        if not nested:
            grads, value = tuple(g.detach() for g in grads), value.detach()
            aux = aux.detach() if isinstance(aux, Tensor) else aux
        grads = grads[0] if single else grads
        return ((grads, (value, aux)) if has_aux else (grads, value))

    return transformed


def grad(func, argnums=0, has_aux=False):
    """f -> ∂f/∂args[argnums] (a function of the same arguments)."""
    both = grad_and_value(func, argnums, has_aux)

    def transformed(*args, **kwargs):
        grads, value = both(*args, **kwargs)
        return (grads, value[1]) if has_aux else grads

    return transformed


def vjp(func, *primals, has_aux=False):
    """(func(*primals), vjp_fn): vjp_fn(cotangent) gives uᵀ·J, one Tensor per primal."""
    xs = [_track(p) for p in primals]
    with mode.enable_grad():
        result = func(*xs)
    out, aux = result if has_aux else (result, None)

    def vjp_fn(cotangent):
        if not out.requires_grad:
            return tuple(Tensor._make(np.zeros_like(x._data)) for x in xs)
        return _reverse_grad(out, xs, cotangent, retain_graph=True)

    return (out.detach(), vjp_fn, aux) if has_aux else (out.detach(), vjp_fn)


def jvp(func, primals, tangents):
    """(func(*primals), J·tangents) in one forward pass carrying the tangents."""
    return _forward_jvp(func, tuple(primals), tuple(tangents))


def _jacobian_transform(func, argnums, mode_name):
    def transformed(*args):
        single, positions = _positions(argnums, len(args), f"jac{mode_name[:3]}")
        jacobians = []
        for p in positions:
            def one(x, p=p):
                return func(*args[:p], x, *args[p + 1:])

            jacobians.append(jacobian(one, args[p], mode=mode_name))
        return jacobians[0] if single else tuple(jacobians)

    return transformed


def jacrev(func, argnums=0):
    """f -> ∂f/∂args[argnums], built row by row with reverse mode."""
    return _jacobian_transform(func, argnums, "reverse")


def jacfwd(func, argnums=0):
    """f -> ∂f/∂args[argnums], built column by column with forward mode."""
    return _jacobian_transform(func, argnums, "forward")


def hessian(func, argnums=0):
    """f -> ∂²f/∂args[argnums]², the reverse-mode Jacobian of grad(f)."""
    return jacrev(grad(func, argnums), argnums)


def vmap(func, *args, **kwargs):
    raise NotImplementedError("func.vmap is not supported: batching a Python function needs a "
                              "batching rule for every op; loop over the batch, or write the "
                              "function for a batch dimension")
