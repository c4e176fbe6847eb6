"""Module hooks: functions a Module calls before its forward, after it, and when the gradients
with respect to its inputs are known (PyTorch's `register_forward_pre_hook`,
`register_forward_hook`, `register_full_backward_hook`), and the handles that remove them.

The backward hook works by routing the module's tensor inputs and outputs through identity
nodes of the graph: an output node records the cotangent arriving at the module (grad_output),
and an input node — reached after every output node in the reverse sweep — hands the hook
grad_input and passes on whatever the hook returns instead.
"""

import itertools
import warnings
from collections import OrderedDict

from autograd import Op, Tensor

_ids = itertools.count()


class RemovableHandle:
    """Returned by the register_*_hook methods: `handle.remove()` unregisters the hook (also
    on leaving a `with handle:` block)."""

    def __init__(self, hooks):
        self.hooks_dict = hooks
        self.id = next(_ids)

    def remove(self):
        self.hooks_dict.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


class Hooks:
    """A module's registered hooks, each an OrderedDict id -> (fn, with_kwargs)."""

    def __init__(self):
        self.pre, self.forward, self.backward = OrderedDict(), OrderedDict(), OrderedDict()

    def add(self, kind, fn, prepend=False, with_kwargs=False):
        if not callable(fn):
            raise TypeError(f"register_{kind}_hook: the hook must be callable, got "
                            f"{type(fn).__name__}")
        table = getattr(self, kind)
        handle = RemovableHandle(table)
        table[handle.id] = (fn, with_kwargs)
        if prepend:
            table.move_to_end(handle.id, last=False)
        return handle


def call(module, hooks, args, kwargs):
    """module.forward(*args, **kwargs) with its hooks around it."""
    for fn, with_kwargs in list(hooks.pre.values()):
        if with_kwargs:
            result = fn(module, args, kwargs)
            if result is not None:
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise RuntimeError("forward pre-hook with with_kwargs=True must return "
                                       f"None or a tuple (args, kwargs), got {result!r}")
                args, kwargs = result
        else:
            result = fn(module, args)
            if result is not None:
                args = result if isinstance(result, tuple) else (result,)
    state = None
    if hooks.backward:
        state = _BackwardState(module, hooks.backward)
        args = state.wrap_inputs(args)
    output = module.forward(*args, **kwargs)
    for fn, with_kwargs in list(hooks.forward.values()):
        result = fn(module, args, kwargs, output) if with_kwargs else fn(module, args, output)
        if result is not None:
            output = result
    if state is not None:
        output = state.wrap_outputs(output)
    return output


class _BackwardState:
    """What one call's backward hook needs: the module's grad_output, filled in by the
    output nodes, and how many tensor inputs there are."""

    def __init__(self, module, hooks):
        self.module, self.hooks = module, hooks
        self.grad_outputs, self.n_inputs, self.tracked, self.fired = [], 0, 0, False

    def wrap_inputs(self, args):
        wrapped = []
        for arg in args:
            if isinstance(arg, Tensor):
                index, self.n_inputs = self.n_inputs, self.n_inputs + 1
                if arg.requires_grad:
                    self.tracked += 1
                    arg = _HookInput(self, index)(arg)
            wrapped.append(arg)
        if self.tracked > 1:
            raise NotImplementedError(
                f"register_full_backward_hook: {type(self.module).__name__} got "
                f"{self.tracked} inputs that require grad; hooks on modules with more than one "
                f"are not supported")
        return tuple(wrapped)

    def wrap_outputs(self, output):
        single = isinstance(output, Tensor)
        outputs = (output,) if single else output
        if not isinstance(outputs, tuple):
            return output
        self.grad_outputs = [None] * len(outputs)
        wrapped = tuple(_HookOutput(self, i)(t) if isinstance(t, Tensor) and t.requires_grad
                        else t for i, t in enumerate(outputs))
        return wrapped[0] if single else wrapped

    def fire(self, grad_input):
        """Call each hook with (module, grad_input, grad_output); a hook may return a new
        grad_input, which the next hook sees."""
        self.fired = True
        grad_output = tuple(self.grad_outputs)
        for fn, _ in list(self.hooks.values()):
            result = fn(self.module, grad_input, grad_output)
            if result is not None:
                result = tuple(result) if isinstance(result, (tuple, list)) else (result,)
                if len(result) != len(grad_input):
                    raise RuntimeError(f"backward hook returned {len(result)} gradients for "
                                       f"{len(grad_input)} inputs")
                grad_input = result
        return grad_input


class _HookOutput(Op):
    """out = x      vjp: records g as the module's grad_output, passes it on      jvp: dx"""

    __slots__ = ("state", "index")
    view = True

    def __init__(self, state, index):
        self.state, self.index = state, index

    def forward(self, x):
        return x.view()

    def vjp(self, out, g):
        state = self.state
        state.grad_outputs[self.index] = g
        if not state.tracked and not state.fired and all(
                go is not None for go in state.grad_outputs):
            warnings.warn("backward hook fires with grad_output only: none of the module's "
                          "inputs requires grad, so grad_input is all None", UserWarning,
                          stacklevel=2)
            state.fire((None,) * state.n_inputs)
        return (g,)

    def jvp(self, out, dx):
        return dx


class _HookInput(_HookOutput):
    """out = x      vjp: hands g to the module's backward hooks as grad_input, passes on what
    they return      jvp: dx"""

    def vjp(self, out, g):
        state = self.state
        grad_input = [None] * state.n_inputs
        grad_input[self.index] = g
        return (state.fire(tuple(grad_input))[self.index],)
