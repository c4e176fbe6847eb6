"""Derivatives of functions: vjp, jacobian (by rows or by columns) and hessian."""

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from . import mode
from .forward import jvp
from .reverse import grad
from .tensor import Tensor


def _leaves(primals):
    single = isinstance(primals, Tensor) or not isinstance(primals, (tuple, list))
    primals = (primals,) if single else tuple(primals)
    leaves = []
    for p in primals:
        data = p._data if isinstance(p, Tensor) else Tensor(p)._data
        leaves.append(Tensor._make(data, data.dtype.kind == "f"))
    return single, leaves


def vjp(f: Callable[..., Tensor], primals: Tensor | ArrayLike | Sequence[Tensor | ArrayLike],
        cotangents: Any) -> tuple[Tensor, Any]:
    """(f(*primals), cotangents·J): one reverse pass, one gradient per primal."""
    single, xs = _leaves(primals)
    with mode.enable_grad():
        out = f(*xs)
    if not out.requires_grad:
        return out, (Tensor._make(np.zeros_like(xs[0]._data)) if single else
                     tuple(Tensor._make(np.zeros_like(x._data)) for x in xs))
    grads = grad(out, xs, cotangents)
    return out.detach(), grads[0] if single else grads


def jacobian(f: Callable[[Tensor], Tensor], x: Tensor | ArrayLike,
             mode: str = "reverse") -> Tensor:
    """∂f(x)/∂x, shaped out.shape + x.shape.

    "reverse" builds it row by row: one vjp per output entry, with a one-hot cotangent.
    "forward" builds it column by column: one jvp per input entry, with a one-hot tangent.
    """
    x = x if isinstance(x, Tensor) else Tensor(x)
    if mode == "reverse":
        return _jacobian_reverse(f, x)
    if mode == "forward":
        return _jacobian_forward(f, x)
    raise ValueError(f"jacobian: mode must be 'reverse' or 'forward', got {mode!r}")


def _jacobian_reverse(f, x):
    from . import mode as modes

    xs = Tensor._make(x._data, True)
    with modes.enable_grad():
        out = f(xs)
    rows = np.zeros((out._data.size, x._data.size), dtype=out._data.dtype)
    if out.requires_grad:
        for i in range(out._data.size):
            onehot = np.zeros(out._data.size, dtype=out._data.dtype)
            onehot[i] = 1
            (g,) = grad(out, xs, onehot.reshape(out.shape), retain_graph=True)
            rows[i] = g._data.ravel()
    return Tensor._make(rows.reshape(out.shape + x.shape))


def _jacobian_forward(f, x):
    columns = None
    for j in range(x._data.size):
        onehot = np.zeros(x._data.size, dtype=x._data.dtype)
        onehot[j] = 1
        out, tangent = jvp(f, x.detach(), onehot.reshape(x.shape))
        if columns is None:
            columns = np.zeros((out._data.size, x._data.size), dtype=out._data.dtype)
        columns[:, j] = tangent._data.ravel()
    if columns is None:
        out = f(x.detach())
        columns = np.zeros((out._data.size, 0), dtype=out._data.dtype)
    return Tensor._make(columns.reshape(out.shape + x.shape))


def hessian(f: Callable[[Tensor], Tensor], x: Tensor | ArrayLike) -> Tensor:
    """∂²f/∂x², shaped x.shape + x.shape: the reverse-mode Jacobian of the gradient, which
    `create_graph=True` makes differentiable."""
    def gradient(x):
        y = f(x)
        if y._data.size != 1:
            raise ValueError(f"hessian: f must return a scalar, got shape {y.shape}")
        return grad(y, x, create_graph=True)[0]

    return jacobian(gradient, x, mode="reverse")
