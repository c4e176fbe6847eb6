"""`Function`: PyTorch's API for a custom op with a hand-written derivative.

    class Exp(ag.Function):
        @staticmethod
        def forward(ctx, x):              # runs with recording off
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):             # one gradient (or None) per forward argument
            (y,) = ctx.saved_tensors
            return g * y

    y = Exp.apply(x)

`apply` wraps the call in one engine op, `FunctionOp`, named after the class — so the graph
picture draws one node `Exp`, `y.grad_fn` is that node, and the reverse sweep calls `backward`
through the op's `vjp`. When `backward` is written with Tensor ops it records under
`create_graph=True`, so higher derivatives need nothing more. A class that defines a staticmethod
`jvp(ctx, *tangents)` also works in forward mode. Several outputs are stored as one flat array
that the visible outputs are (recorded) slices of, so one node still owns them all.
"""

import builtins
import functools
import weakref

import numpy as np

from . import mode
from .op import Op
from .tensor import Tensor


class FunctionCtx:
    """The `ctx` handed to forward and backward: saved tensors, which inputs need a gradient,
    and any attribute the forward wants to leave for the backward (`ctx.k = 3`)."""

    def __init__(self, needs_input_grad):
        self.needs_input_grad = needs_input_grad
        self.materialize_grads = True
        self._saved = ()
        self._non_differentiable = ()
        self._outputs = None  # filled in by backward: the outputs, connected to the graph

    def save_for_backward(self, *tensors):
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(f"save_for_backward: argument {i} is a {type(t).__name__}; only "
                                "Tensors (or None) can be saved; keep other values as ctx "
                                "attributes")
        self._saved = tensors

    @property
    def saved_tensors(self):
        """The saved tensors. An output of the forward comes back as the graph's output tensor,
        so a backward that uses it stays differentiable."""
        outputs = self._outputs
        if outputs is None:
            return tuple(self._saved)
        return tuple(outputs[s.index] if isinstance(s, _Output) else s for s in self._saved)

    def save_for_forward(self, *tensors):
        """Tensors a `jvp` rule reads back from `ctx.saved_tensors` (the same store here)."""
        self.save_for_backward(*tensors)

    def mark_non_differentiable(self, *tensors):
        self._non_differentiable = self._non_differentiable + tensors

    def set_materialize_grads(self, value):
        """With False, backward receives None (not zeros) for outputs that got no gradient."""
        self.materialize_grads = bool(value)

    def mark_dirty(self, *tensors):
        raise NotImplementedError("mark_dirty: in-place custom Functions are not supported; "
                                  "return a new tensor from forward instead")


class _Output:
    """Stands in `ctx._saved` for an output of forward (saving it directly would make a
    reference cycle through the graph); resolved to the graph's output at backward."""

    __slots__ = ("index",)

    def __init__(self, index):
        self.index = index


class FunctionOp(Op):
    """The engine's node for one `Function.apply` call. Each Function class gets its own
    subclass named after it (`node_class`), so the graph picture names the node as the class."""

    __slots__ = ("fn", "ctx", "slots", "shapes", "grads_for")

    def __init__(self, fn, ctx, slots, shapes, grads_for):
        self.fn, self.ctx = fn, ctx
        self.slots = slots  # for each tensor input, its position among forward's arguments
        self.shapes = shapes  # the differentiable outputs' shapes (None: a single output)
        # One entry per forward output: its index among the differentiable ones, or a zero
        # Tensor (or None) to hand backward for an output that gets no gradient.
        self.grads_for = grads_for

    @property
    def name(self):
        return self.fn.__name__

    def params(self):
        return []

    def outputs(self, out):
        """The visible outputs: `out` itself, or slices of the flat array holding them all."""
        return (out,) if self.shapes is None else _split(out, self.shapes)

    def vjp(self, out, g):
        grads = (g,) if self.shapes is None else _split(g, self.shapes)
        if not self.ctx.materialize_grads:  # an unused output's gradient is all zeros here
            grads = tuple(None if not gi._data.any() else gi for gi in grads)
        grads = [grads[k] if isinstance(k, builtins.int) else k for k in self.grads_for]
        self.ctx._outputs = self.outputs(out)
        try:
            result = self.fn.backward(self.ctx, *grads)
        finally:
            self.ctx._outputs = None
        return self._per_input(result, "backward", "gradient")

    def jvp(self, out, *tangents):
        if not hasattr(self.fn, "jvp"):
            raise NotImplementedError(
                f"{self.name}: forward mode needs a staticmethod jvp(ctx, *tangents) on the "
                "Function (one tangent per forward argument, returning the output tangents)")
        per_arg = [None] * self.ctx._n_args
        for slot, t in zip(self.slots, tangents):
            per_arg[slot] = t
        self.ctx._outputs = self.outputs(out)
        try:
            result = self.fn.jvp(self.ctx, *per_arg)
        finally:
            self.ctx._outputs = None
        result = result if isinstance(result, tuple) else (result,)
        if len(result) != len(self.grads_for):
            raise RuntimeError(f"{self.name}.jvp returned {len(result)} tangents for "
                               f"{len(self.grads_for)} outputs")
        # Only the differentiable outputs have a place in the flat output.
        result = [_as_tensor(r, self.name, "jvp") for r, k in zip(result, self.grads_for)
                  if isinstance(k, builtins.int)]
        if self.shapes is None:
            return result[0]
        from .ops import concatenate, reshape

        return concatenate([reshape(r, (-1,)) for r in result])

    def _per_input(self, result, where, what):
        """backward's results, one per forward argument -> one per tensor input."""
        result = result if isinstance(result, tuple) else (result,)
        n = self.ctx._n_args
        if len(result) < n or any(r is not None for r in result[n:]):
            raise RuntimeError(f"{self.name}.{where} returned an incorrect number of {what}s "
                               f"(expected {n}, got {len(result)})")
        for i, r in enumerate(result[:n]):
            if r is not None and i not in self.slots:
                raise RuntimeError(f"{self.name}.{where} returned a {what} different from None "
                                   f"at position {i}, but the forward argument there is not a "
                                   "Tensor")
        return tuple(None if result[s] is None else _as_tensor(result[s], self.name, where)
                     for s in self.slots)


def _split(g, shapes):
    from .ops import reshape

    pieces, start = [], 0
    for shape in shapes:
        size = int(np.prod(shape))
        pieces.append(reshape(g[start:start + size], shape))
        start += size
    return tuple(pieces)


def _as_tensor(value, name, where):
    if isinstance(value, Tensor):
        return value
    if isinstance(value, (np.ndarray, np.generic, float, int)):
        return Tensor._make(np.asarray(value))
    raise TypeError(f"{name}.{where} must return Tensors (or None), got {type(value).__name__}")


class Function:
    """Base class for custom ops: subclass it with staticmethods `forward(ctx, *args)` and
    `backward(ctx, *grads)`, then call `YourFunction.apply(*args)`."""

    def __init__(self, *args, **kwargs):
        raise RuntimeError(f"{type(self).__name__}: call {type(self).__name__}.apply(...) "
                           "instead of instantiating the Function")

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("Function.forward must be overridden as a staticmethod")

    @staticmethod
    def backward(ctx, *grads):
        raise NotImplementedError("Function.backward must be overridden as a staticmethod")

    @staticmethod
    def setup_context(ctx, inputs, output):
        """PyTorch 2's split style: define this, and forward(*args) without ctx."""

    @classmethod
    def apply(cls, *args, **kwargs):
        slots = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        inputs = [args[i] for i in slots]
        ctx = FunctionCtx(tuple(isinstance(a, Tensor) and a.requires_grad for a in args))
        ctx._n_args = len(args)
        with mode.no_grad(), mode.tangents_enabled(False):
            if _overrides(cls, "setup_context"):  # PyTorch 2's style: forward without ctx
                result = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, result)
            else:
                result = cls.forward(ctx, *args, **kwargs)
        single = not isinstance(result, tuple)
        results = (result,) if single else result
        flagged = {id(t) for t in ctx._non_differentiable}
        # Outputs that get a gradient: float tensors not marked non-differentiable.
        chosen = [i for i, r in enumerate(results) if isinstance(r, Tensor)
                  and r.dtype.kind == "f" and id(r) not in flagged]
        record = mode.state.grad_enabled and any(t._requires_grad for t in inputs)
        push = mode.state.tangents_enabled and any(t.tangent is not None for t in inputs)
        if not chosen or not (record or push):
            return result
        ctx._saved = tuple(_Output(chosen.index(i)) if i in chosen else s for s in ctx._saved
                           for i in [_position(s, results)])
        grads_for = [chosen.index(i) if i in chosen else _no_grad_for(r, ctx)
                     for i, r in enumerate(results)]
        node = node_class(cls)
        if len(chosen) == 1 and len(results) == 1:
            op = node(cls, ctx, slots, None, grads_for)
            out = Tensor._make(results[0]._data, record)
            op._link(out, inputs, record, push)
            return out
        dtypes = {results[i].dtype for i in chosen}
        if len(dtypes) > 1:
            raise TypeError(f"{cls.__name__}.forward returned differentiable outputs of "
                            f"different dtypes {sorted(map(str, dtypes))}; cast them to one")
        shapes = tuple(results[i].shape for i in chosen)
        op = node(cls, ctx, slots, shapes, grads_for)
        flat = Tensor._make(np.concatenate([results[i]._data.reshape(-1) for i in chosen]), record)
        op._link(flat, inputs, record, push)
        outputs = list(results)
        for k, t in zip(chosen, op.outputs(flat)):
            outputs[k] = t
        return tuple(outputs)


def _overrides(cls, name):
    return getattr(cls, name, None) is not getattr(Function, name, None)


def once_differentiable(backward):
    """Marks a backward written with raw array code: it runs with recording off, so asking
    for a higher derivative through it is an error rather than a silent zero."""
    @functools.wraps(backward)
    def run(ctx, *grads):
        if mode.is_grad_enabled():
            raise RuntimeError(f"{backward.__qualname__} is once_differentiable: it cannot be "
                               "differentiated again (create_graph=True)")
        return backward(ctx, *grads)

    return run


_nodes = weakref.WeakKeyDictionary()


def node_class(fn):
    """The FunctionOp subclass named after the Function class `fn` (made once per class)."""
    node = _nodes.get(fn)
    if node is None:
        node = _nodes[fn] = type(fn.__name__, (FunctionOp,), {"__slots__": ()})
    return node


def _no_grad_for(result, ctx):
    """What backward receives for an output that gets no gradient: zeros (PyTorch's default)
    or None (after ctx.set_materialize_grads(False), or for a non-Tensor output)."""
    if not isinstance(result, Tensor) or not ctx.materialize_grads:
        return None
    return Tensor._make(np.zeros(result.shape, dtype=np.result_type(result.dtype, np.float32)))


def _position(saved, results):
    return next((i for i, r in enumerate(results) if r is saved), None)
