"""Forward mode: push a tangent through every op, alongside the values, in one pass.

Each input carries a tangent (a direction); every op's `jvp` rule turns its inputs' tangents
into its output's. One pass gives J·v for one direction v — so a Jacobian costs one pass
per *input* entry here, against one per *output* entry in reverse mode.
"""

import numpy as np

from . import mode
from .tensor import Tensor


def jvp(f, primals, tangents):
    """(f(*primals), J·tangents), computed by one forward pass that carries the tangents."""
    single = isinstance(primals, Tensor)
    primals = (primals,) if single else tuple(primals)
    tangents = (tangents,) if isinstance(tangents, Tensor) or not isinstance(
        tangents, (tuple, list)) else tuple(tangents)
    if len(primals) != len(tangents):
        raise ValueError(f"jvp: got {len(tangents)} tangents for {len(primals)} primals")
    if mode.state.tangents_enabled:
        raise RuntimeError("jvp: nested forward-mode passes are not supported")
    duals = []
    for i, (p, t) in enumerate(zip(primals, tangents)):
        p = p if isinstance(p, Tensor) else Tensor(p)
        t = t._data if isinstance(t, Tensor) else np.asarray(t)
        if t.shape != p.shape:
            raise ValueError(f"jvp: tangent {i} has shape {t.shape} but its primal has shape "
                             f"{p.shape}")
        if p._data.dtype.kind != "f":
            raise TypeError(f"jvp: primal {i} has dtype {p.dtype}; forward mode needs floats")
        dual = _alias(p)
        dual.tangent = Tensor._make(t.astype(p._data.dtype, copy=False))
        duals.append(dual)
    with mode.tangents_enabled(True):
        out = f(*duals)
    if not isinstance(out, Tensor):
        raise TypeError(f"jvp: f must return a Tensor, got {type(out).__name__}")
    tangent = out.tangent if out.tangent is not None else Tensor._make(np.zeros_like(out._data))
    return out, tangent


def _alias(p):
    """A fresh tensor for p's value, so the caller's tensor never carries a tangent.

    When p is part of a graph, the alias is made by a (recorded) no-op so gradients still
    reach p: forward-over-reverse and reverse-over-forward both keep working.
    """
    if p.requires_grad and mode.state.grad_enabled:
        from .ops.shape import Reshape

        alias = Reshape(p.shape)(p)
        alias._view = None  # its own root: writes to it inside f give it, not p, a new history
        return alias
    return Tensor._make(p._data)
