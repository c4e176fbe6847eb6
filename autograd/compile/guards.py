"""What a compiled program's validity depends on, checked on every call.

The signature (the cache key) holds the shapes and dtypes of the array arguments, the grad
mode, and for each module the function uses: every submodule's train/eval flag and the identity
of every parameter. Anomaly mode and forward-mode tangents run eagerly (they are per-op
services). The program itself checks each parameter's shape and dtype before it runs.
"""

import re

import numpy as np

from .. import mode
from ..tensor import Tensor


def discover(fn):
    """The modules and optimizers `fn` reaches: itself, its bound object, its closure (and
    the closures of the functions in it), and the globals its code names."""
    import nn
    import optim

    modules, optimizers, seen, bindings = [], [], set(), []

    def visit(obj, depth):
        if obj is None or id(obj) in seen:
            return
        seen.add(id(obj))
        if isinstance(obj, nn.Module):
            modules.append(obj)
        elif isinstance(obj, optim.Optimizer):
            optimizers.append(obj)
        elif isinstance(obj, (list, tuple)) and depth > 0:
            for item in obj[:64]:
                visit(item, depth - 1)
        elif callable(obj) and depth > 0 and not isinstance(obj, type):
            visit(getattr(obj, "__self__", None), depth - 1)
            function = getattr(obj, "__func__", obj)
            code = getattr(function, "__code__", None)
            if code is None:
                return
            for cell in getattr(function, "__closure__", None) or ():
                try:
                    value = cell.cell_contents
                except ValueError:  # an empty cell
                    continue
                bindings.append((cell, None, value))
                visit(value, depth - 1)
            globals_ = getattr(function, "__globals__", {})
            for name in _names(code):
                value = globals_.get(name)
                if isinstance(value, (nn.Module, optim.Optimizer)) or (
                        callable(value) and getattr(value, "__module__", None) == "__main__"):
                    bindings.append((globals_, name, value))
                    visit(value, depth - 1)

    visit(fn, 3)
    return modules, optimizers, bindings


def rebound(bindings):
    """Whether a closure cell or a global that led to a module now holds something else (a
    new model bound to the same name: its parameters are not the traced ones)."""
    for place, name, value in bindings:
        if name is None:
            try:
                if place.cell_contents is not value:
                    return True
            except ValueError:
                return True
        elif place.get(name) is not value:
            return True
    return False


def _names(code):
    names = set(code.co_names)
    for const in code.co_consts:
        if hasattr(const, "co_names"):
            names |= _names(const)
    return names


def parameter_names(modules):
    """id(param) -> a readable identifier: "0.weight" -> W_0, "fc1.bias" -> b_fc1."""
    names, used = {}, set()
    for i, module in enumerate(modules):
        for full, p in module.named_parameters():
            if id(p) in names:
                continue
            *path, last = full.split(".")
            last = {"weight": "W", "bias": "b"}.get(last, last)
            name = re.sub(r"\W", "_", "_".join([last] + path))
            if not name.isidentifier() or name in used:
                name = f"{name}_m{i}" if name.isidentifier() else f"p_{name}_m{i}"
            used.add(name)
            names[id(p)] = name
    return names


def argument_names(fn):
    """The names fn gives its positional parameters (a module: its forward's), or ()."""
    import inspect

    target = getattr(fn, "forward", fn)
    try:
        parameters = inspect.signature(target).parameters.values()
    except (TypeError, ValueError):
        return ()
    return tuple(p.name for p in parameters
                 if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))


def signature(args, kwargs, modules):
    """The cache key of a call, or None when it must run eagerly."""
    state = mode.state
    if state.anomaly or state.tangents_enabled:
        return None
    parts = [state.grad_enabled]
    for a in list(args) + list(kwargs.items()):
        parts.append(_describe(a))
    for module in modules:
        parts.append(_module_state(module))
    return tuple(parts)


_LAYOUTS = {}  # id(module) -> (module, its submodules, [(owner, attribute, parameter)], key)


def _module_state(module):
    """Every submodule's train flag and the identity of every parameter. Walking the module
    tree costs more than a small model's whole replay, so the walk is remembered and only
    checked: each parameter still the attribute it was (a replaced one forces a new walk)."""
    layout = _LAYOUTS.get(id(module))
    if layout is not None and layout[0] is module:
        _, subs, owned, ids = layout
        if all(owner.__dict__.get(attr) is p for owner, attr, p in owned):
            return tuple([m.training for m in subs]) + (ids,)
    subs = list(module.modules())
    owners = dict(module.named_modules())
    owned = []
    params = list(module.named_parameters())
    for name, p in params:
        path, _, attr = name.rpartition(".")
        owner = owners.get(path)
        if owner is None or owner.__dict__.get(attr) is not p:
            owned = None  # a parameter inside a list or dict attribute: walk every time
            break
        owned.append((owner, attr, p))
    ids = tuple(id(p) for _, p in params)
    if owned is not None:
        _LAYOUTS[id(module)] = (module, subs, owned, ids)
    return tuple([m.training for m in subs]) + (ids,)


def _describe(a):
    if isinstance(a, tuple) and len(a) == 2 and isinstance(a[0], str):  # a keyword
        return (a[0], _describe(a[1]))
    if isinstance(a, Tensor):
        return ("T", a._data.shape, a._data.dtype.str, a._requires_grad, a.grad_fn is not None)
    if isinstance(a, np.ndarray):
        return ("A", a.shape, a.dtype.str)
    if a is None or isinstance(a, (bool, int, float, str)):
        return ("V", type(a).__name__, a)
    return ("O", id(a))


def buffers(modules):
    """Copies of every module buffer: a trace that changes one (BatchNorm's running
    statistics) updated state outside ops, which a replay would not repeat."""
    snapshot = {}
    for i, module in enumerate(modules):
        for name, b in module.named_buffers():
            array = b._data if isinstance(b, Tensor) else np.asarray(b)
            snapshot[(i, name)] = (b, np.array(array, copy=True))
    return snapshot


def changed_buffer(snapshot):
    for (_, name), (b, before) in snapshot.items():
        array = b._data if isinstance(b, Tensor) else np.asarray(b)
        if array.shape != before.shape or not np.array_equal(array, before, equal_nan=True):
            return name
    return None
