"""Which module call made which tensor, so that a picture can draw each call as one box.

`nn.Module.__call__` reports every call here: its output, the module and its tensor arguments.
Nothing is kept alive for it: the entry goes when the output does, and the arguments are weak.
A tensor returned by nested calls (a Linear's output is also its Sequential's) lists them
innermost first; pictures box the innermost call.
"""

import weakref

from ..tensor import Tensor

_calls = {}  # id(output) -> (weakref to the output, [(module, [weakref to each argument])])


def record(module, args, kwargs, out):
    """Remember that `module` called with `args`/`kwargs` returned `out` (when it is a tensor
    made by an op)."""
    if not isinstance(out, Tensor) or out.grad_fn is None:
        return
    inputs = [weakref.ref(a) for a in (*args, *kwargs.values()) if isinstance(a, Tensor)]
    key = id(out)
    entry = _calls.get(key)
    if entry is not None and entry[0]() is out:
        entry[1].append((module, inputs))
        return
    _calls[key] = (weakref.ref(out, lambda ref: _forget(key, ref)), [(module, inputs)])


def _forget(key, ref):
    entry = _calls.get(key)
    if entry is not None and entry[0] is ref:
        _calls.pop(key, None)


def innermost(t):
    """(module, [argument tensors still alive]) of the innermost call that returned t, or None."""
    entry = _calls.get(id(t))
    if entry is None or entry[0]() is not t:
        return None
    module, inputs = entry[1][0]
    return module, [a for a in (ref() for ref in inputs) if a is not None]
