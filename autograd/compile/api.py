"""`ag.compile(fn_or_module)`: trace once per signature, then replay generated NumPy code.

Each new signature is traced twice (the first two calls run eagerly, logging their ops); the
two traces must agree on every op, op parameter and captured constant, or the program depends
on data read outside ops and the function stays eager. From the third call on, the program
replays. A function whose output the caller differentiates becomes one recorded op
(`CompiledOp`): its forward runs the flat forward program and its reverse rule the flat backward
program. A function that calls `backward()` and `optimizer.step()` itself replays as one
function that also accumulates the gradients and calls the real optimizer.
"""

import threading
import warnings

import numpy as np

from .. import mode
from ..op import Op
from ..tensor import Tensor
from . import guards
from .program import Unsupported, build, rebuild
from .tracer import Tracer, arrays_differ, install, show_site, sweep

EAGER = "eager"


class CompileWarning(UserWarning):
    """ag.compile could not replay a function faithfully and runs it eagerly instead."""


class CompiledOp(Op):
    """The whole compiled function as one op: forward = the forward program, vjp = the
    backward program (on arrays; it gives no higher derivatives)."""

    __slots__ = ("program", "saved")

    def __init__(self, program):
        self.program = program

    @property
    def name(self):
        return "Compiled"

    def forward(self, *arrays):
        program = self.program
        with program.lock:
            outs = program.forward(*arrays[:program.n_args])
        self.saved = outs[1:]
        return outs[0]

    def vjp(self, out, g):
        if mode.state.grad_enabled:
            raise RuntimeError("ag.compile: backward(create_graph=True) through a compiled "
                               "function is not supported (its backward is replayed on arrays); "
                               "call the uncompiled function for higher derivatives")
        program = self.program
        with program.lock:
            grads = program.backward(*self.saved, g._data)
        result = [None] * len(self.inputs)
        for slot, position in program.slots.items():
            result[slot] = Tensor._make(np.asarray(grads[position]))
        return tuple(result)

    def jvp(self, out, *tangents):
        raise RuntimeError("ag.compile: forward mode (ag.jvp) through a compiled function is "
                           "not supported; call the uncompiled function")


class Compiled:
    """The callable `ag.compile` returns; `code` is the generated program."""

    def __init__(self, fn):
        self.fn = fn
        self.__name__ = getattr(fn, "__name__", type(fn).__name__)
        self.__doc__ = getattr(fn, "__doc__", None)
        self.modules = self.bindings = None  # found on the first call (fn may be a decorator's)
        self.cache = {}
        self.traces = 0
        self.last = None

    def __getattr__(self, name):  # a compiled module still answers parameters(), train(), ...
        if name.startswith("__") or name in ("fn", "cache", "modules", "bindings",
                                             "param_names"):
            raise AttributeError(name)
        return getattr(self.fn, name)

    @property
    def code(self):
        """The generated program of the latest signature replayed (or traced twice)."""
        if self.last is None:
            return ("# not compiled yet: the first two calls of a signature trace, the third "
                    "replays")
        return self.last.code

    def __call__(self, *args, **kwargs):
        if mode.state.tracer is not None:  # inside another compiled function's trace: its
            return self.fn(*args, **kwargs)  # tracer logs these ops as part of its program
        if kwargs and any(isinstance(v, (Tensor, np.ndarray)) for v in kwargs.values()):
            if not self.cache.get("keywords"):
                self.cache["keywords"] = True
                warnings.warn(f"ag.compile({self.__name__}): running eagerly: a Tensor passed by "
                              "keyword (pass tensors positionally)", CompileWarning, stacklevel=2)
            return self.fn(*args, **kwargs)
        if self.bindings is None or guards.rebound(self.bindings):
            self.modules, _, self.bindings = guards.discover(self.fn)
            self.param_names = guards.parameter_names(self.modules)
            self.cache = {}
        key = guards.signature(args, kwargs, self.modules)
        if key is None:
            return self.fn(*args, **kwargs)
        entry = self.cache.get(key)
        if entry is None or type(entry) is tuple:
            return self._trace(key, entry, args, kwargs)
        if entry is EAGER:
            return self.fn(*args, **kwargs)
        for p, shape, dtype in entry.params:
            if p._data.shape != shape or p._data.dtype != dtype:
                del self.cache[key]
                return self._trace(key, None, args, kwargs)
        self.last = entry
        return self._replay(entry, args)

    # --- replay ---------------------------------------------------------------------------
    def _replay(self, program, args):
        arrays = [a._data if isinstance(a, Tensor) else a for a in args
                  if isinstance(a, (Tensor, np.ndarray))]
        if program.step is not None:  # a training step, or a call with nothing to differentiate
            with program.lock:
                outs = program.step(*arrays, args)
            return rebuild(program.outputs, outs, _plain)
        inputs = [a if isinstance(a, Tensor) else Tensor._make(a) for a in args
                  if isinstance(a, (Tensor, np.ndarray))]
        out = CompiledOp(program)(*inputs, *[p for p, _, _ in program.params])
        return rebuild(program.outputs, [out], lambda t: t)

    # --- tracing --------------------------------------------------------------------------
    def _trace(self, key, first, args, kwargs):
        install()
        self.traces += 1
        tracer = Tracer()
        tracer.input_arrays = {id(a._data if isinstance(a, Tensor) else a): i
                               for i, a in enumerate(args) if isinstance(a, (Tensor, np.ndarray))}
        before = guards.buffers(self.modules)
        tracer.watch([p for m in self.modules for p in m.parameters()] +
                     (first[0].leaf_tensors if first is not None else []))
        outer, mode.state.tracer = mode.state.tracer, tracer
        try:
            result = self.fn(*args, **kwargs)
            differentiable = self._differentiable(tracer, result, args)
        finally:
            mode.state.tracer = outer
        tracer.check_grads()
        reason = None
        if tracer.hazards:
            what, site = tracer.hazards[0]
            reason = f"{what} at {show_site(site)}"
        else:
            name = guards.changed_buffer(before)
            if name is not None:
                reason = (f"the module buffer {name!r} was updated outside ops (a replay would "
                          "not repeat it)")
        if reason is None:
            try:
                program = build(tracer, args, result, self.param_names, differentiable,
                                guards.argument_names(self.fn))
                program.lock = threading.Lock()
                program.n_args = sum(isinstance(a, (Tensor, np.ndarray)) for a in args)
                if first is not None:
                    reason = _compare(first[0], program)
            except Unsupported as e:
                reason = str(e)
            except Exception as e:  # never let the compiler break a call that ran fine eagerly
                reason = f"it could not be compiled ({type(e).__name__}: {e})"
        if reason is not None:
            self.cache[key] = EAGER
            warnings.warn(f"ag.compile({self.__name__}): running eagerly: {reason}",
                          CompileWarning, stacklevel=3)
            return result
        if first is None:
            self.cache[key] = (program,)
        else:
            self.cache[key] = program
            self.last = program
        return result

    def _differentiable(self, tracer, result, args):
        """For a function whose output the caller differentiates: trace the reverse sweep from
        that output (its seed a placeholder input `gout`), stopping at the arguments."""
        if tracer.backwards or not mode.state.grad_enabled:
            return False
        outs = [result] if isinstance(result, Tensor) else (
            list(result) if isinstance(result, (tuple, list)) else [])
        wanted = [t for t in outs if isinstance(t, Tensor) and t._requires_grad]
        if not wanted:
            return False
        if len(wanted) > 1 or not isinstance(result, Tensor):
            tracer.hazards.append(("a result other than one Tensor that requires grad", None))
            return False
        tracer.seed = Tensor._make(np.zeros_like(result._data))
        tracer.events.append(("backward", None))
        stop = {id(a) for a in args if isinstance(a, Tensor)}
        leaves, _ = sweep(tracer, [result], [tracer.seed], stop)
        for leaf, g in leaves.items():
            tracer.events.append(("accum", leaf, g))
        return True


def _plain(array):
    return Tensor._make(np.asarray(array))


def _compare(first, second):
    """Why two traces of one signature differ (they must not), or None."""
    a, b = _body(first.code), _body(second.code)
    if a != b:
        for x, y in zip(a, b):
            if x != y:
                return f"two calls traced different programs: {x.strip()!r} vs {y.strip()!r}"
        return "two calls traced programs of different lengths"
    for name, value in first.constants.items():
        if arrays_differ(value, second.constants[name]):
            line = next((x for x in first.code.splitlines()
                         if f"{name}," in x or f"{name})" in x), "")
            where = line.split("#", 1)[-1].strip() if line else name
            return (f"the constant {name} differs between two calls: it was computed outside "
                    f"ops from data (used by {where}); make that computation an op")
    for (op1, site), (op2, _) in zip(first.ops, second.ops):
        for key in op1.params():
            if key == "inputs" or key == "versions" or key == "trace":
                continue
            if arrays_differ(getattr(op1, key, None), getattr(op2, key, None)):
                return (f"the parameter {key!r} of {op1.name} differs between two calls (it "
                        f"was computed outside ops from data) at {show_site(site)}")
    return None


def _body(code):
    return [line for line in code.splitlines() if not line.startswith("#")]


def compile(fn):
    """Compile a function or a module: same results, replayed as generated NumPy code."""
    return Compiled(fn)
