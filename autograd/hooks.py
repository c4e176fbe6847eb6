"""Tensor hooks: `t.register_hook(fn)` and `t.retain_grad()`.

A hook sees a tensor's gradient once per backward pass, when it is complete: for a non-leaf,
when the reverse sweep reaches the tensor (every use has sent its share); for a leaf, at the
end, before it is added to `.grad`. `fn(grad)` may return a replacement, which is what flows on
(and what a leaf accumulates). `retain_grad()` is a hook that runs after the others and keeps
a non-leaf's gradient in its `.grad`, as PyTorch's does. Hooks live in a weak table beside the
tensors, so tensors without hooks pay nothing for the feature.
"""

import itertools
import weakref

_ids = itertools.count()


class _Registry(dict):
    """id(tensor) -> (weak reference, _Hooks). Keyed by identity: a WeakKeyDictionary would
    compare tensors with `==`, which is elementwise. An entry leaves when its tensor dies."""

    def get(self, tensor):
        entry = dict.get(self, id(tensor))
        return entry[1] if entry is not None and entry[0]() is tensor else None

    def setdefault(self, tensor, hooks):
        found = self.get(tensor)
        if found is not None:
            return found
        key = id(tensor)
        self[key] = (weakref.ref(tensor, lambda _, key=key: self.pop(key, None)), hooks)
        return hooks


registry = _Registry()


class _Hooks:
    __slots__ = ("fns", "retain")

    def __init__(self):
        self.fns = {}  # handle id -> fn, in registration order
        self.retain = False


class RemovableHandle:
    """Returned by `register_hook` (and nn's module hooks): `remove()` unregisters the hook
    (again: no effect; also on leaving a `with handle:` block)."""

    def __init__(self, hooks_dict):
        self.hooks_dict = hooks_dict
        self.id = next(_ids)

    def remove(self):
        self.hooks_dict.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def register_hook(tensor, fn):
    if not callable(fn):
        raise TypeError(f"register_hook: expected a callable, got {type(fn).__name__}")
    if not tensor.requires_grad:
        raise RuntimeError("register_hook: cannot register a hook on a tensor that doesn't "
                           "require gradient")
    fns = registry.setdefault(tensor, _Hooks()).fns
    handle = RemovableHandle(fns)
    fns[handle.id] = fn
    return handle


def retain_grad(tensor):
    if not tensor.requires_grad:
        raise RuntimeError("retain_grad: can't retain_grad on a tensor that has "
                           "requires_grad=False")
    if tensor.grad_fn is not None:  # a leaf keeps its .grad anyway
        registry.setdefault(tensor, _Hooks()).retain = True


def retains_grad(tensor):
    hooks = registry.get(tensor)
    return hooks is not None and hooks.retain


def run(tensor, g):
    """`g` after `tensor`'s hooks (each may replace it); a retained gradient is stored."""
    hooks = registry.get(tensor)
    if hooks is None:
        return g
    for fn in list(hooks.fns.values()):
        new = fn(g)
        if new is not None:
            new = _check(tensor, new)
            g = new
    if hooks.retain:
        from .tensor import Tensor

        tensor._grad = (g if tensor._grad is None and g.requires_grad
                        else Tensor._make(g._data.copy()) if tensor._grad is None
                        else tensor._grad + g if g.requires_grad
                        else Tensor._make(tensor._grad._data + g._data))
    return g


def _check(tensor, new):
    from .tensor import Tensor

    if not isinstance(new, Tensor):
        raise TypeError(f"hook: a hook must return a Tensor or None, got {type(new).__name__}")
    if new.shape != tensor.shape:
        raise RuntimeError(f"hook: a hook returned a gradient of shape {new.shape} for a tensor "
                           f"of shape {tensor.shape}")
    return new if new.dtype == tensor.dtype else new.astype(tensor.dtype)
