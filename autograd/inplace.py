"""In-place operations (`x += y`, `x[i] = v`, `x.zero_()`) made safe for autograd.

Every tensor has a version counter that each in-place operation bumps; an op records its
inputs' versions, and the reverse pass refuses to use an input whose version moved on when its
rule reads that input's values (`Op.saves`). Two cases:

* No graph involved (grad mode off, or nothing requires grad): NumPy semantics — the new values
  are written into the tensor's own array, and the version is bumped.
* The tensor is in a graph (or the value written requires grad): the update is recorded like
  any op. A stand-in tensor takes over a copy of the old value and the history, the op is
  applied to it out of place, the result is written into x's own array (so views of x see it),
  and x becomes the op's output. An op that used x before now sees a new history; unless it
  is a view that follows x's values, the reverse pass refuses it (`_rebound`).

A view (`x[0]`, `x.reshape(...)`, `x.T`) and `x.detach()` share x's array, so they share its
counter too (through `_base`). A recorded write through a view made by ops is recorded on the
tensor it was taken from, as PyTorch's CopySlices: `v = y[0:2]; v += 1` makes y
CopySlices(old y, old v + 1), and v is taken again from the new y, so both hold the new values
and gradients reach both the old y and what was written. Writes through the raw ndarray
(`numpy()`) bypass all of this and are not tracked.
"""

import numpy as np

from . import mode
from .shapes import ShapeError
from .tensor import Tensor


def update(x, fn, other, name):
    """x ← fn(x, other) in place; `name` (e.g. "+=") appears in error messages."""
    if not _tracked(x, other):
        with mode.no_grad():
            new = fn(x.detach(), other)._data
        _check_fits(x, new, name)
        _check_writable(x, name)
        x._data[...] = new
        _bump(x)
        return x
    if x._view is not None:
        return _update_view(x, fn, other, name)
    _refuse_leaf(x, name)
    _check_writable(x, name)
    old = _stand_in(x)
    if isinstance(other, Tensor):
        other = _reading_old(other, {x: old})
    result = fn(old, other)
    _check_fits(x, result._data, name)
    x._data[...] = result._data  # into x's own array: views of x see the new values too
    _bump(x)
    _adopt(x, result)
    return x


def _update_view(x, fn, other, name):
    """A recorded write through a view: the tensor the view was taken from becomes
    CopySlices(its old value, the view's new value), and the view is taken again from it."""
    from .ops.shape import CopySlices, replay_view

    base, chain = x._view
    if base.grad_fn is None and base._requires_grad:
        raise RuntimeError(
            f"{name}: a view of a leaf tensor that requires grad cannot be modified in place "
            "while recording. Do the update under `with ag.no_grad():`, or on a clone.")
    _check_writable(x, name)
    old_base = _stand_in(base)
    old = replay_view(chain, old_base)
    if isinstance(other, Tensor):
        other = _reading_old(other, {base: old_base, x: old})
    result = fn(old, other)
    _check_fits(x, result._data, name)
    x._data[...] = result._data  # into the base's array
    _bump(x)
    state = mode.state
    record = state.grad_enabled and (old_base._requires_grad or result._requires_grad)
    push = state.tangents_enabled and (old_base.tangent is not None
                                       or result.tangent is not None)
    new_base = Tensor._make(base._data, record)
    if record or push:
        CopySlices(chain)._link(new_base, (old_base, result), record, push)
    _adopt(base, new_base)
    _adopt(x, replay_view(chain, base))
    return x


def _adopt(x, result):
    """x takes over `result`'s history: it is now that op's output, at x's current version."""
    x.grad_fn = result.grad_fn
    x._requires_grad = result._requires_grad
    x.tangent = result.tangent
    x._rebound = x.version
    if x.grad_fn is not None:
        x.grad_fn.versions = x.grad_fn.versions[:-1] + (x._rebound,)


def setitem(x, index, value, name="setitem"):
    """x[index] = value; `fill_` and `copy_` are this with index `...`."""
    from .ops.shape import _normalize_index, index_put

    if not _tracked(x, value):
        index = _normalize_index(index, x.shape)
        array = value._data if isinstance(value, Tensor) else value
        try:
            x._data[index] = array
        except (IndexError, ValueError) as e:
            raise IndexError(f"{name}: cannot assign at index {index!r} of a tensor of shape "
                             f"{x.shape}: {e}") from None
        _bump(x)
        return x
    return update(x, lambda a, v: index_put(a, index, v), value, name)


def _check_writable(x, name):
    if not x._data.flags.writeable:
        raise ValueError(f"{name}: the tensor's array is read-only (a broadcast view?); "
                         "make a copy first")


def _check_fits(x, new, name):
    """An in-place result must keep x's shape and be writable into x's dtype."""
    if new.shape != x._data.shape:
        raise ShapeError(f"{name}: the result has shape {new.shape}, but an in-place update "
                         f"cannot change the shape {x.shape}")
    if not np.can_cast(new.dtype, x._data.dtype, casting="same_kind"):
        raise TypeError(f"{name}: cannot write {new.dtype} values into a tensor of dtype "
                        f"{x.dtype} in place")


def _bump(x):
    """Count one in-place write into x's array, on the counter its views share."""
    (x if x._base is None else x._base)._version += 1


def _tracked(x, other):
    """Whether the update must be recorded: it feeds a graph or carries a forward-mode tangent."""
    operands = (x, other) if isinstance(other, Tensor) else (x,)
    if x._view is not None:  # a view made under no_grad of a tensor in a graph
        operands += (x._view[0],)
    state = mode.state
    return (state.grad_enabled and any(t._requires_grad for t in operands)) or (
        state.tangents_enabled and any(t.tangent is not None for t in operands))


def _refuse_leaf(x, name):
    if x.grad_fn is None and x._requires_grad:
        raise RuntimeError(
            f"{name}: a leaf tensor that requires grad cannot be modified in place while "
            "recording (its gradient would refer to values that no longer exist). Do the update "
            "under `with ag.no_grad():`, as optimizers do.")


def _reading_old(other, olds):
    """`other` with every use of a key of `olds` in its graph pointed at its old stand-in: in
    `y += y[0]` the right-hand side read y's old value, and must keep reading it once `y` is
    rebound."""
    from .graph import toposort

    if other in olds:
        return olds[other]
    for t in toposort([other]):
        op = t.grad_fn
        if op.inputs is not None and any(i in olds for i in op.inputs):
            op.inputs = tuple(olds.get(i, i) for i in op.inputs)
        if t._view is not None and t._view[0] in olds:  # now a view of the old value
            t._view = (olds[t._view[0]], t._view[1])
    return other


def _stand_in(x):
    """A new tensor holding a copy of x's current value, with x's history and version."""
    old = Tensor._make(x._data.copy(), x._requires_grad)
    old.grad_fn = x.grad_fn
    old.tangent = x.tangent
    old._version = x.version
    old.name = x.name
    return old
