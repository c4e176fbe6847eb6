"""Derivatives for pictures, all read from the engine's own rules — no second formula table.

An edge's label is ∂out/∂input: the op's forward-mode rule (`jvp`) run with a one-hot tangent on
that input and zero tangents on the others, exactly as `ag.jvp` runs it, so the picture cannot
disagree with the engine. Tangents for a whole graph come from sweeping the same rules in
topological order; adjoints come from `ag.grad` itself.
"""

import numpy as np

from .. import mode
from ..op import zeros_tangent
from ..reverse import grad
from ..tensor import Tensor
from .labels import entries, num, shape

EXACT = 256  # inputs up to this many entries get their exact Jacobian: one jvp per entry
PROBES = 8   # larger ones: a diagonal test and a norm estimate from this many random directions


def push(op, out, tangents):
    """The tangent of `out` given one tangent (an array, or None for zero) per input of `op`:
    the op's jvp rule, run as `ag.jvp` runs it (recording off, tangents not pushed further)."""
    args = []
    for x, dx in zip(op.inputs, tangents):
        if dx is None:
            args.append(zeros_tangent(x))
        else:
            dtype = np.result_type(x._data.dtype, np.float32)
            args.append(Tensor._make(np.asarray(dx, dtype=dtype).reshape(x.shape)))
    with mode.no_grad(), mode.tangents_enabled(False):
        d = op.jvp(out, *args)
    d = d._data if isinstance(d, Tensor) else np.asarray(d)
    return np.broadcast_to(d, out.shape)


def sweep_tangents(tensors, seeds):
    """Forward mode over `tensors` (in topological order): {id: tangent} for every tensor a
    seed reaches, starting from `seeds` = {id: tangent}."""
    tangents = dict(seeds)
    for t in tensors:
        if t.grad_fn is None or id(t) in tangents:
            continue
        incoming = [tangents.get(id(x)) for x in t.grad_fn.inputs]
        if any(d is not None for d in incoming):
            tangents[id(t)] = push(t.grad_fn, t, incoming)
    return tangents


def adjoints(roots, tensors, gradient, where):
    """Reverse mode: {id: adjoint ∂(gradient·roots)/∂t} for every tensor that requires grad,
    by one `ag.grad` pass that keeps the graph."""
    roots = [r for r in roots if r.requires_grad]
    targets = [t for t in tensors if t.requires_grad]
    if not roots:
        return {}
    if gradient is None:
        for r in roots:
            if r._data.size != 1:
                raise ValueError(f"{where}: the output has shape {r.shape}; pass gradient= "
                                 "(an array of that shape) to seed the reverse pass")
    seeds = gradient if isinstance(gradient, (list, tuple)) else [gradient] * len(roots)
    found = grad(roots, targets, seeds, retain_graph=True)
    return {id(t): g._data for t, g in zip(targets, found)}


def op_derivative(op, out, slot):
    """The label of the edge from input `slot` of `op`: ∂out/∂input, summarised."""
    x = op.inputs[slot]

    def along(v):
        tangents = [None] * len(op.inputs)
        tangents[slot] = v
        return push(op, out, tangents)

    return summarise(along, x.shape, out.shape, x._data.dtype)


def chain_derivative(tensors, x, out):
    """∂out/∂x through the ops among `tensors` (a module drawn as one box), summarised."""
    def along(v):
        d = sweep_tangents(tensors, {id(x): v}).get(id(out))
        return np.zeros(out.shape) if d is None else d

    return summarise(along, x.shape, out.shape, x._data.dtype)


def summarise(along, in_shape, out_shape, dtype):
    """Describe the linear map `along` (tangent in -> tangent out), i.e. the Jacobian J.

    A number for scalars; `diag …` with the elementwise factor when J is diagonal; else
    `J out←in` with its entries (tiny J) or its norm (exact, or ≈ estimated for large inputs).
    """
    dtype = np.result_type(dtype, np.float32)
    n_in, n_out = int(np.prod(in_shape)), int(np.prod(out_shape))
    head = f"J {shape(out_shape)}←{shape(in_shape)}"
    if n_in == 0 or n_out == 0:
        return head + ": empty"
    if n_in == 1 and n_out == 1:
        return num(along(np.ones(in_shape, dtype)).item())
    if n_in <= EXACT:
        eye = np.eye(n_in, dtype=dtype)
        J = np.stack([np.ravel(along(eye[j].reshape(in_shape))) for j in range(n_in)], axis=1)
        if n_in == n_out:
            d = np.diagonal(J).copy()
            if not np.any(J - np.diag(d)):
                return _diagonal(d, out_shape)
        if J.size <= 4:
            return f"{head}: {entries(J)}"
        return f"{head}\\n‖J‖={num(np.linalg.norm(J.astype(np.float64)))}"
    rng = np.random.default_rng(0)  # seeded: the same picture every run
    if n_in == n_out:
        d = np.ravel(along(np.ones(in_shape, dtype)))
        r = rng.standard_normal(n_in).astype(dtype)
        got = np.ravel(along(r.reshape(in_shape)))
        if np.allclose(got, d * r, rtol=1e-4, atol=1e-6 * max(1.0, float(np.abs(d).max()))):
            return _diagonal(d, out_shape)
    # Hutchinson: E‖J v‖² = ‖J‖²_F for random ±1 directions v.
    probes = rng.choice(np.array([-1.0, 1.0], dtype=dtype), size=(PROBES, n_in))
    squares = [np.sum(np.square(along(p.reshape(in_shape)), dtype=np.float64)) for p in probes]
    return f"{head}\\n‖J‖≈{num(np.sqrt(np.mean(squares)))}"


def _diagonal(d, out_shape):
    head = f"diag {shape(out_shape)}"
    if np.all(d == d[0]):
        return f"{head}: {num(d[0])}"
    if d.size <= 4:
        return f"{head}: {entries(d)}"
    if np.isin(d, (0, 1)).all():
        return f"{head}\\n0/1 mask, {round(100 * float(np.mean(d)))}% ones"
    return f"{head}\\n∈ [{num(d.min())}, {num(d.max())}]"
