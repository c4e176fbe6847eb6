"""Tracing: run the function once eagerly while every op call is logged.

The hook in `Op.__call__` hands each call (op, input Tensors, output Tensor) to the tracer of
the current thread. `Tensor.backward` is not run by the engine's sweep while tracing but by
`sweep` below: the same reverse rules, run with recording on (create_graph semantics), so every
op a rule uses is logged like a forward op and the backward becomes a flat list of primitive
forwards too. `optimizer.step()` and `zero_grad()` are logged as calls of the real methods.
Anything a replay could not reproduce (`.item()`, `bool(t)`, ...) poisons the trace: the call
goes on eagerly, and the compiled function falls back to eager with one warning.
"""

import os
import sys

import numpy as np

from .. import mode
from ..graph import toposort
from ..reverse import fit_cotangent
from ..tensor import Tensor

_HERE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_LIBRARY = tuple(os.path.join(_HERE, p) + os.sep for p in ("autograd", "nn", "optim"))


def user_site():
    """(file, line, code) of the innermost frame outside the library (the user's line)."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_LIBRARY):
        frame = frame.f_back
    if frame is None:
        return None
    import linecache

    line = linecache.getline(frame.f_code.co_filename, frame.f_lineno).strip()
    return frame.f_code.co_filename, frame.f_lineno, line


def show_site(site):
    if site is None:
        return "an unknown line"
    if len(site) == 2:
        import linecache

        site = site + (linecache.getline(site[0], site[1]).strip(),)
    return f'File "{site[0]}", line {site[1]}: {site[2]}'


class Rule:
    """One reverse rule as run during the trace: op `op` turned cotangent `g` of its output
    `out` into `cotangents`; the events between `begin` and `end` are the rule's own ops."""

    __slots__ = ("op", "inputs", "flags", "out", "g", "cotangents", "begin", "end", "label")

    def __init__(self, op, out, g, begin):
        self.op, self.out, self.g, self.begin = op, out, g, begin
        self.inputs = op.inputs
        self.flags = tuple(t._requires_grad for t in op.inputs)


class Tracer:
    """The log of one traced call. `events` holds, in order:
    ("op", op, inputs, out, site)   an op call (forward, or inside a reverse rule)
    ("rule", Rule)                  a reverse rule (its ops are the "op" events it spans)
    ("accum", leaf, g)              g added into leaf.grad (backward's last step)
    ("call", obj, name, args)       a real method call to repeat: optimizer.step, zero_grad
    """

    def __init__(self):
        self.events = []
        self.known = set()  # ids of traced tensors: op outputs and leaves that require grad
        self.versions = {}  # id(op output) -> its version when made
        self.hazards = []   # (what, site): reasons the trace cannot be replayed
        self.depth = 0      # > 0 inside a logged call (its ops run for real at replay)
        self.backwards = 0
        self.grads = {}     # id(leaf) -> (leaf, the .grad backward set, its values)
        self.start = {}     # id(leaf) -> (leaf, its .grad when the trace began, its values)

    def watch(self, leaves):
        """Remember the `.grad` of leaves a backward may reach: if it changes before the first
        backward by other means than zero_grad(), a replay would not repeat that change."""
        for leaf in leaves:
            g = leaf._grad
            self.start[id(leaf)] = (leaf, g, None if g is None else g._data.copy())
        self.input_arrays = {}

    # --- hooks called by the engine -------------------------------------------------------
    def op(self, op, inputs, out):
        if self.depth:
            return
        known = self.known
        for t in inputs:
            if t._requires_grad and t.grad_fn is None:
                known.add(id(t))
            elif id(t) in self.versions and self.versions[id(t)] != t.version:
                self.hazard(t, "an in-place update of a traced value", force=True)
        known.add(id(out))
        self.versions[id(out)] = out.version
        frame = sys._getframe(2)
        while frame is not None and frame.f_code.co_filename.startswith(_LIBRARY):
            frame = frame.f_back
        site = None if frame is None else (frame.f_code.co_filename, frame.f_lineno)
        self.events.append(("op", op, inputs, out, site))

    def hazard(self, t, what, force=False):
        """`t`'s value was read in Python (`what`): a replay would not read it again."""
        if self.depth:
            return
        # Any tensor: a comparison (x > 0) is a traced value made outside ops, and a constant
        # read in Python would be one too; better eager once than a stale replay.
        self.hazards.append((f"{what} on a traced value", user_site()))

    def backward(self, tensor, gradient, retain_graph, create_graph):
        from ..reverse import _memory, _own, _seed, backward

        if create_graph or self.depth:
            if not self.depth:
                self.hazards.append(("backward(create_graph=True)", user_site()))
            self.depth += 1
            try:
                return backward(tensor, gradient, retain_graph, create_graph)
            finally:
                self.depth -= 1
        if not tensor.requires_grad:
            return backward(tensor, gradient, retain_graph, create_graph)  # its error
        if isinstance(gradient, Tensor) and id(gradient) in self.known:
            seed = gradient
        else:
            seed = _seed(tensor, gradient, "backward")
        self.backwards += 1
        self.events.append(("backward", tensor))
        leaves, order = sweep(self, [tensor], [seed])
        # Memory a new .grad must not share (as in reverse.backward): seed, leaves, .grads.
        taken = {_memory(seed._data)}
        for leaf in leaves:
            taken.add(_memory(leaf._data))
            if leaf._grad is not None:
                taken.add(_memory(leaf._grad._data))
        self.check_grads()
        for leaf in leaves:
            before = self.start.pop(id(leaf), None)
            if before is not None and (leaf._grad is not before[1] or before[1] is not None and
                                       not np.array_equal(before[1]._data, before[2])):
                self.hazards.append(("a .grad set outside backward() and zero_grad() (e.g. "
                                     "p.grad = None), found on reaching", user_site()))
        for leaf, g in leaves.items():
            self.events.append(("accum", leaf, g))
            if leaf._grad is None:
                leaf._grad = _own(g, taken, False)
            else:
                leaf._grad = Tensor._make(leaf._grad._data + g._data)
            self.grads[id(leaf)] = (leaf, leaf._grad, leaf._grad._data.copy())
        if not retain_graph:
            for t in order:
                t.grad_fn.inputs = None

    def call(self, obj, name, args, kwargs):
        """Log a call of a real method (step, zero_grad) to be repeated at replay."""
        if self.depth:
            return False
        if kwargs.get("closure") is not None or (args and callable(args[0])):
            self.hazards.append((f"{type(obj).__name__}.step(closure)", user_site()))
        self.check_grads()
        if name == "zero_grad":
            self.grads.clear()
            self.start.clear()
        self.events.append(("call", obj, name, (args, kwargs)))
        return True

    def check_grads(self):
        """A `.grad` that backward set must reach the next step as it was: a replay repeats
        only backward, step and zero_grad, not gradient clipping or `p.grad = None`."""
        for leaf, grad, value in self.grads.values():
            if leaf._grad is not grad or not np.array_equal(grad._data, value, equal_nan=True):
                self.hazards.append(("a .grad changed outside backward() and zero_grad() (e.g. "
                                     "gradient clipping), found on reaching", user_site()))
                self.grads.clear()
                return


def sweep(tracer, roots, seeds, stop=()):
    """The reverse sweep of `reverse._sweep` with recording on, each rule's ops logged and the
    rule itself marked as a `Rule` event. Returns ({leaf: cotangent}, topological order)."""
    order = toposort(roots)
    if stop:
        order = [t for t in order if id(t) not in stop]
    grads = {}
    for root, seed in zip(roots, seeds):
        grads[root] = seed if root not in grads else grads[root] + seed
    leaves = {}
    events = tracer.events
    with mode.set_grad_enabled(True):
        for t in reversed(order):
            g = grads.pop(t, None)
            if g is None:
                continue
            op = t.grad_fn
            if op.inputs is None:
                from ..reverse import FREED

                raise RuntimeError(FREED)
            rule = Rule(op, t, g, len(events))
            events.append(("rule", rule))
            cotangents = op.vjp(t, g)
            rule.end = len(events)
            rule.cotangents = tuple(cotangents)
            for x, c in zip(rule.inputs, rule.cotangents):
                if c is None or not x._requires_grad:
                    continue
                if c._data.dtype != x._data.dtype or c._data.shape != x._data.shape:
                    c = fit_cotangent(op, x, c)
                into = leaves if x.grad_fn is None or id(x) in stop else grads
                prev = into.get(x)
                into[x] = c if prev is None else prev + c
    for root in roots:  # a leaf root keeps its seed
        if root.grad_fn is None and root in grads:
            leaves[root] = grads.pop(root)
    return leaves, order


# --- logging the real methods: optimizer.step, zero_grad ---------------------------------------
_patched = set()


def _logged(function, name):
    def method(self, *args, **kwargs):
        tracer = mode.state.tracer
        if tracer is None or not tracer.call(self, name, args, kwargs):
            return function(self, *args, **kwargs)
        tracer.depth += 1
        try:
            return function(self, *args, **kwargs)
        finally:
            tracer.depth -= 1

    method.__name__, method.__doc__ = function.__name__, function.__doc__
    method.__wrapped__ = function
    return method


def _flagged(function):
    """The engine's own sweep (ag.grad, or backward outside the tracer's) while tracing: its
    rules would run unlogged, on arrays, so a replay could not repeat them."""
    def sweep(*args, **kwargs):
        tracer = mode.state.tracer
        if tracer is not None and not tracer.depth:
            tracer.hazards.append(("ag.grad (a reverse pass outside backward())", user_site()))
        return function(*args, **kwargs)

    sweep.__wrapped__ = function
    return sweep


def install():
    """Make optimizers' `step`/`zero_grad` and `Module.zero_grad` loggable (once per class:
    outside a trace the wrapper costs one attribute check)."""
    import nn
    import optim

    from .. import reverse

    def subclasses(cls):
        yield cls
        for sub in cls.__subclasses__():
            yield from subclasses(sub)

    if not hasattr(reverse._sweep, "__wrapped__"):
        reverse._sweep = _flagged(reverse._sweep)
    targets = [(c, n) for c in subclasses(optim.Optimizer) for n in ("step", "zero_grad")]
    targets += [(c, "zero_grad") for c in subclasses(nn.Module)]
    for cls, name in targets:
        function = cls.__dict__.get(name)
        if function is None or (cls, name) in _patched or hasattr(function, "__wrapped__"):
            continue
        setattr(cls, name, _logged(function, name))
        _patched.add((cls, name))


def arrays_differ(a, b):
    """Whether two op parameters or constants differ (arrays by value, tuples item by item)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape != b.shape or a.dtype != b.dtype or not np.array_equal(a, b, equal_nan=True)
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) != len(b) or any(arrays_differ(x, y) for x, y in zip(a, b))
    if isinstance(a, Tensor) or isinstance(b, Tensor):
        return a is not b
    try:
        return bool(a != b)
    except Exception:
        return a is not b
