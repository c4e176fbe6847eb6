"""Reverse mode: `backward` and `grad`.

One topological sort, then one sweep from the outputs back: each tensor's cotangent is
complete once every op that used it has been visited, and its op's `vjp` turns it into
cotangents for the op's inputs, summed along every path (a value used twice gets both).
"""

import threading

import numpy as np

from . import hooks, mode
from .graph import toposort
from .op import IGNORE, _check_finite, quiet, where_created
from .tensor import Tensor

FREED = ("backward: trying to go back through a part of the graph that a previous backward "
         "already freed. Pass retain_graph=True to the first backward (or ag.grad) if you need "
         "to go through the graph again.")


def backward(tensor, gradient=None, retain_graph=None, create_graph=False):
    """Accumulate d(tensor)/d(leaf), weighted by `gradient`, into every leaf's `.grad`."""
    if not tensor.requires_grad:
        raise RuntimeError("backward: the tensor does not require grad and has no grad_fn "
                           "(did you forget requires_grad=True, or run it under no_grad?)")
    seed = _seed(tensor, gradient, "backward")
    leaves = _sweep([tensor], [seed], retain_graph, create_graph, targets=None)
    # Memory a new .grad must not share: the seed's, every leaf's array and existing .grad.
    taken = {_memory(seed._data)}
    for leaf in leaves:
        taken.add(_memory(leaf._data))
        if leaf._grad is not None:
            taken.add(_memory(leaf._grad._data))
    for leaf, g in leaves.items():
        with _LOCKS[(id(leaf) >> 4) % len(_LOCKS)]:  # threads may share leaves: add atomically
            if leaf._grad is None:
                leaf._grad = _own(g, taken, create_graph)
            elif create_graph:
                leaf._grad = leaf._grad + g
            else:
                with np.errstate(all="ignore"):  # inf + -inf is NaN, silently, as in forward
                    leaf._grad = Tensor._make(leaf._grad._data + g._data)


# Accumulating into .grad is a read-modify-write (and NumPy lets other threads run during the
# add), so it holds a lock; one of a few, chosen by the leaf, so unrelated leaves rarely wait.
_LOCKS = [threading.Lock() for _ in range(16)]


def _memory(array):
    """The buffer an array's data lives in (a view's owner), as an id."""
    return id(array if array.base is None else array.base)


def _own(g, taken, create_graph):
    """`g`, or a copy where keeping it would let a leaf's `.grad` share memory with the seed,
    a leaf's array, another `.grad` (a rule may hand one cotangent, or views of one array, to
    two inputs, as `a + b` does) or a read-only broadcast view: optimizers and users write
    into `.grad`, and `x.backward(x)` must not make x and x.grad one array."""
    memory = _memory(g._data)
    if memory in taken or not g._data.flags.writeable:
        g = g * 1.0 if create_graph else Tensor._make(g._data.copy())
        memory = _memory(g._data)
    taken.add(memory)
    return g


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False):
    """The gradients of `outputs` (weighted by `grad_outputs`) with respect to `inputs`,
    returned as a tuple (one Tensor per input; zeros for an input the outputs do not use).
    Leaves' `.grad` are left alone."""
    outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    single = isinstance(inputs, Tensor)
    inputs = [inputs] if single else list(inputs)
    if not isinstance(grad_outputs, (list, tuple)):
        grad_outputs = [grad_outputs] * len(outputs)
    if len(grad_outputs) != len(outputs):
        raise ValueError(f"grad: got {len(grad_outputs)} grad_outputs for {len(outputs)} outputs")
    for i, x in enumerate(inputs):
        if not isinstance(x, Tensor):
            raise TypeError(f"grad: input {i} is a {type(x).__name__}, not a Tensor")
    for y in outputs:
        if not y.requires_grad:
            raise RuntimeError("grad: an output does not require grad and has no grad_fn")
    seeds = [_seed(y, g, "grad") for y, g in zip(outputs, grad_outputs)]
    found = _sweep(outputs, seeds, retain_graph, create_graph, targets=inputs)
    result = []
    for x in inputs:
        g = found.get(x)
        result.append(g if g is not None else Tensor._make(np.zeros_like(x._data)))
    return tuple(result)


def _seed(tensor, gradient, where):
    if gradient is None:
        if tensor._data.size != 1:
            raise RuntimeError(
                f"{where}: the output has shape {tensor.shape}; a gradient can be created "
                "implicitly only for a scalar output, so pass `gradient` of the same shape")
        return Tensor._make(np.ones_like(tensor._data))
    if not (isinstance(gradient, Tensor) and gradient.requires_grad):
        # A copy: the seed can reach a leaf's .grad unchanged (through `+`), and must not alias
        # the caller's array. (A seed that requires grad is part of a graph and stays itself.)
        data = gradient._data if isinstance(gradient, Tensor) else gradient
        gradient = Tensor._make(np.array(data, dtype=tensor.dtype, copy=True))
    if gradient.shape != tensor.shape:
        raise RuntimeError(f"{where}: gradient has shape {gradient.shape} but the output has "
                           f"shape {tensor.shape}")
    return gradient


def _sweep(roots, seeds, retain_graph, create_graph, targets):
    """Propagate cotangents from `roots` to the leaves (or to `targets`).

    Returns {tensor: cotangent} for the leaves reached, or for `targets` if given. Tensors key
    the dicts by identity: their hash is the object's, and no two live tensors share one, so
    the elementwise `==` of Tensors is never consulted.
    """
    if retain_graph is None:
        retain_graph = create_graph
    order = toposort(roots)
    grads = {}
    for root, seed in zip(roots, seeds):
        prev = grads.get(root)
        grads[root] = seed if prev is None else prev + seed
    wanted = needed = None
    if targets is not None:  # only walk the part of the graph that leads to a target
        wanted = set(targets)
        needed = set(wanted)
        for t in order:
            inputs = t.grad_fn.inputs
            if inputs is None or any(x in needed for x in inputs):
                needed.add(t)  # (a freed op is kept, so that the sweep reports it)
    found = {}
    anomaly = mode.state.anomaly
    token = quiet.set(IGNORE)  # rules meet inf and NaN silently, as forward does (op.py)
    try:
        _walk(order, grads, found, wanted, needed, anomaly, retain_graph, create_graph)
    finally:
        quiet.reset(token)
    # Leaves among the targets (or leaf roots) kept their cotangent in `grads`.
    for t in targets if wanted is not None else roots:
        if t.grad_fn is None and t in grads:
            g = grads.pop(t)
            prev = found.get(t)
            found[t] = g if prev is None else _add(prev, g, create_graph)
    if hooks.registry:  # leaves' cotangents are complete only now
        for t in found:
            if t.grad_fn is None:
                found[t] = hooks.run(t, found[t])
    return found


def _walk(order, grads, found, wanted, needed, anomaly, retain_graph, create_graph):
    """The sweep itself: each tensor's op turns its complete cotangent into its inputs'."""
    with mode.set_grad_enabled(create_graph):
        for t in reversed(order):
            if hooks.registry and t in grads:  # t's cotangent is complete: its hooks see it
                grads[t] = hooks.run(t, grads[t])
            if wanted is not None:
                if t in wanted and t in grads:
                    found[t] = grads[t]
                if t not in needed:
                    continue
            g = grads.pop(t, None)
            if g is None:
                continue
            op = t.grad_fn
            inputs = op.inputs
            if inputs is None:
                raise RuntimeError(FREED)
            saves = op.saves
            if (t._version if t._base is None else t._base._version) != op.versions[-1] and (
                    saves is None or "out" in saves):
                _modified_in_place(op, t, op.versions[-1])
            if anomaly:  # the rule's own ops are checked as one: by the op they belong to
                with mode.detect_anomaly(False):
                    cotangents = op.vjp(t, g)
            else:
                cotangents = op.vjp(t, g)
            for i, (x, c, version) in enumerate(zip(inputs, cotangents, op.versions)):
                if (x._version if x._base is None else x._base._version) != version:
                    _check_unchanged(op, i, x, version, t)
                if c is None or not x._requires_grad:
                    continue
                if c._data.dtype != x._data.dtype or c._data.shape != x._data.shape:
                    c = fit_cotangent(op, x, c)
                if anomaly:
                    _check_finite(op, "backward", c._data)
                into = found if x.grad_fn is None and wanted is None else grads
                prev = into.get(x)
                into[x] = c if prev is None else _add(prev, c, create_graph)
            if not retain_graph:
                op.inputs = None


def fit_cotangent(op, x, c):
    """A rule's cotangent for input x in x's dtype; a shape other than x's is the rule's bug."""
    if c._data.shape != x._data.shape:
        raise RuntimeError(f"{op.name}: reverse rule gave a gradient of shape {c.shape} for an "
                           f"input of shape {x.shape}")
    return c.astype(x._data.dtype) if c._data.dtype != x._data.dtype else c


def _add(a, b, create_graph):
    return a + b if create_graph else Tensor._make(a._data + b._data)


def _check_unchanged(op, i, x, version, out):
    """Input i of `op` was written in place since the op used it: fine unless the rule reads
    its values, or a recorded write gave it a new history (its gradient would then flow into
    the new one) and `out` is not a view that follows the new values."""
    saves = op.saves
    if saves is None or i in saves:
        _modified_in_place(op, x, version)
    root = x._view[0] if x._view is not None else x
    rebound = x._rebound > version or root._rebound > version
    if rebound and out._view is None:
        _modified_in_place(op, x, version)


def _modified_in_place(op, x, version):
    i = next((i for i, y in enumerate(op.inputs) if y is x), None)
    which = "its output" if i is None else f"input {i}"
    raise RuntimeError(
        f"{op.name}: {which} (shape {x.shape}) was modified in place after the op used it: "
        f"it is at version {x.version}, the op saved version {version}. Its gradient would "
        f"be wrong; clone the tensor before modifying it.{where_created(op)}")
