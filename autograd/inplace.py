"""In-place operations (`x += y`, `x[i] = v`, `x.zero_()`) made safe for autograd.

Every tensor has a version counter that each in-place operation bumps; an op records its
inputs' versions, and the reverse pass refuses to use an input whose version moved on (its
values are no longer the ones the rule needs). Two cases:

* No graph involved (grad mode off, or nothing requires grad): NumPy semantics — the new values
  are written into the tensor's own array, and the version is bumped.
* The tensor is in a graph (or the value written requires grad): the update is recorded like
  any op. A stand-in tensor takes over the old value and history, the op is applied to it out
  of place, and `x` becomes the op's output (a new array, so the stand-in keeps the old values).

A view (`x[0]`, `x.reshape(...)`, `x.T`) and `x.detach()` share x's array, so they share its
counter too (through `_base`): a write through either is seen by ops that saved the other, and
ops check their output's version as well as their inputs'. Writes through the raw `.data`
ndarray bypass all of this and are not tracked.
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
        if not x._data.flags.writeable:
            raise ValueError(f"{name}: the tensor's array is read-only (a broadcast view?); "
                             "make a copy first")
        x._data[...] = new
        _bump(x)
        return x
    _refuse_leaf(x, name)
    old = _stand_in(x)
    if isinstance(other, Tensor):
        other = _reading_old(other, x, old)
    result = fn(old, other)
    _check_fits(x, result._data, name)
    x._data = result._data.astype(x._data.dtype, copy=False)
    x.grad_fn = result.grad_fn
    x._requires_grad = result._requires_grad
    x.tangent = result.tangent
    x._version = x.version + 1  # x now has an array of its own: no longer anyone's view
    x._base = None
    if x.grad_fn is not None:  # x is now that op's output, at x's version
        x.grad_fn.versions = x.grad_fn.versions[:-1] + (x._version,)
    return x


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
    state = mode.state
    return (state.grad_enabled and any(t._requires_grad for t in operands)) or (
        state.tangents_enabled and any(t.tangent is not None for t in operands))


def _refuse_leaf(x, name):
    if x.grad_fn is None and x._requires_grad:
        raise RuntimeError(
            f"{name}: a leaf tensor that requires grad cannot be modified in place while "
            "recording (its gradient would refer to values that no longer exist). Do the update "
            "under `with ag.no_grad():`, as optimizers do.")


def _reading_old(other, x, old):
    """`other` with every use of `x` in its graph pointed at `old`: in `y += y[0]` the
    right-hand side read y's old value, and must keep reading it once `y` is rebound."""
    from .graph import toposort

    if other is x:
        return old
    for t in toposort([other]):
        op = t.grad_fn
        if op.inputs is not None and any(i is x for i in op.inputs):
            op.inputs = tuple(old if i is x else i for i in op.inputs)
    return other


def _stand_in(x):
    """A new tensor object holding x's current value, history and version."""
    old = Tensor._make(x._data, x._requires_grad)
    old.grad_fn = x.grad_fn
    old.tangent = x.tangent
    old._version = x._version
    old._base = x._base
    old.name = x.name
    return old
