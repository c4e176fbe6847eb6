"""`Op`: one primitive of the graph, with its forward, reverse rule and forward-mode rule.

Calling an op instance on Tensors runs `forward` on their arrays and, when any input requires
grad, makes the op the output's `grad_fn` — that is all recording is. Rules are written with
Tensor ops, so the same rules give higher derivatives when the reverse pass records.
"""

import os
import traceback

import numpy as np

from . import mode
from .shapes import broadcast_shapes

state = mode.state


class Op:
    """Base class. Subclasses implement:

    forward(*arrays) -> ndarray          the value, on raw NumPy arrays
    vjp(out, g) -> tuple                 one cotangent Tensor (or None) per input: gᵀ·∂out/∂input
    jvp(out, *tangents) -> Tensor        the output tangent: Σᵢ ∂out/∂inputᵢ · tangentᵢ

    `out` is handed to the rules and never stored on the op (that would be a reference cycle).
    """

    __slots__ = ("inputs", "versions", "trace")
    elementwise = False  # inputs broadcast against each other (NumPy rules)
    view = False  # forward may return a view of its first input's array
    keeps_forward_state = False  # forward stores what the rules read (a compiled replay reruns it)
    # What the reverse rule reads: input positions and/or "out". Only those must keep their
    # values until backward (an in-place write to anything else is fine). None: everything.
    saves = None

    def forward(self, *arrays):
        raise NotImplementedError

    def vjp(self, out, g):
        raise NotImplementedError

    def jvp(self, out, *tangents):
        raise NotImplementedError

    @property
    def name(self):
        return type(self).__name__

    def __repr__(self):
        params = ", ".join(f"{k}={getattr(self, k)!r}" for k in self.params())
        return f"{self.name}({params})"

    def params(self):
        """Names of the op's non-tensor arguments (for repr and the graph picture)."""
        return [s for cls in type(self).__mro__[:-2] for s in getattr(cls, "__slots__", ())]

    def __call__(self, *inputs):
        # NumPy's warnings are off inside forward (log(0) is -inf, as in PyTorch, and says
        # nothing); anomaly mode is the tool that reports non-finite values.
        token = None if quiet.get() is IGNORE else quiet.set(IGNORE)  # (rules: already off)
        try:
            if len(inputs) == 1:
                data = self.forward(inputs[0]._data)
            elif len(inputs) == 2:
                data = self.forward(inputs[0]._data, inputs[1]._data)
            else:
                data = self.forward(*[t._data for t in inputs])
        except (ValueError, TypeError) as e:
            self._explain(e, inputs)
            raise
        finally:
            if token is not None:
                quiet.reset(token)
        if type(data) is not np.ndarray:
            data = np.asarray(data)
        # This runs for every op: plain loops beat any() with a generator here.
        record = push = False
        if state.grad_enabled:
            for t in inputs:
                if t._requires_grad:
                    record = True
                    break
        if state.tangents_enabled:
            for t in inputs:
                if t.tangent is not None:
                    push = True
                    break
        out = _make(data, record)
        if self.view and data.base is not None:
            _mark_view(out, inputs[0], self)
        if record or push:
            self._link(out, inputs, record, push)
        elif state.anomaly:
            _check_finite(self, "forward", data)
        if state.tracer is not None:  # ag.compile is tracing: log the call
            state.tracer.op(self, inputs, out)
        return out

    def _explain(self, error, inputs):
        """Raise a clearer error than NumPy's for inputs the forward cannot take: shapes that
        do not broadcast, or dtypes it has no arithmetic for (text, int ** negative int)."""
        if self.elementwise and isinstance(error, ValueError):
            broadcast_shapes(self.name, *(t._data.shape for t in inputs))
        dtypes = [t._data.dtype for t in inputs]
        text = [d for d in dtypes if d.kind not in "biufc"]
        if text:
            raise TypeError(f"{self.name.lower()}: cannot compute with {text[0]} data "
                            "(a tensor of text, dates or objects); tensors hold numbers or "
                            "bools") from None
        if isinstance(error, ValueError) and "negative integer powers" in str(error):
            raise ValueError(f"{self.name.lower()}: integers to negative integer powers are "
                             f"not allowed ({dtypes[0]} ** {dtypes[1]}); use a float base or "
                             "exponent") from None

    def _link(self, out, inputs, record, push):
        """Make this op `out`'s grad_fn (when recording) and give `out` its tangent (when
        pushing tangents)."""
        if self.elementwise:
            shape = out._data.shape
            inputs = tuple(_broadcast_tracked(t, shape) for t in inputs)
        self.inputs = inputs
        if record:
            # The inputs' versions, then the output's: the rules may use both.
            versions = [t._version if t._base is None else t._base._version for t in inputs]
            versions.append(out._version if out._base is None else out._base._version)
            self.versions = tuple(versions)
            out.grad_fn = self
        if push:
            tangents = [_tangent(t) for t in inputs]
            # A recorded tangent rule that used `out` itself would make out.tangent refer back
            # to out (a reference cycle); a stand-in with the same value and history does not.
            primal = out
            if record:
                primal = _make(out._data, True)
                primal.grad_fn = self
            token = quiet.set(IGNORE)
            try:
                with mode.tangents_enabled(False):
                    out.tangent = self.jvp(primal, *tangents)
            finally:
                quiet.reset(token)
        if state.anomaly:
            self.trace = traceback.extract_stack()[:-2]  # without _link and __call__
            _check_finite(self, "forward", out._data)


class _Errstate:
    """np.errstate(all="ignore") with a ContextVar's set/reset, for NumPy without the
    ContextVar (entering np.errstate costs about 1 µs, a sizeable share of a small op)."""

    def set(self, _):
        state = np.errstate(all="ignore")
        state.__enter__()
        return state

    def reset(self, state):
        state.__exit__(None, None, None)

    def get(self):
        return self  # never IGNORE: always set


try:  # NumPy >= 2 keeps its error state in a ContextVar: setting it costs ~0.1 µs
    from numpy._core._ufunc_config import _extobj_contextvar as quiet
    from numpy._core._ufunc_config import _make_extobj

    IGNORE = _make_extobj(all="ignore")
except ImportError:  # pragma: no cover
    quiet, IGNORE = _Errstate(), None


def _mark_view(out, source, op):
    """`out` counts versions with `source` (it may share its array), and, where it does share
    the array, remembers how to be taken again from the tensor the chain of views started at
    (see inplace.py)."""
    out._base = source if source._base is None else source._base
    if not np.may_share_memory(out._data, source._data):  # a copy after all (a[[0, 1]])
        return
    root, chain = source._view if source._view is not None else (source, ())
    out._view = (root, chain + (op,))


def _broadcast_tracked(t, shape):
    """Make a tracked input's broadcast explicit, so no rule ever sees a broadcast input."""
    if t._data.shape == shape or not (t._requires_grad or t.tangent is not None):
        return t
    from .ops.shape import BroadcastTo

    return BroadcastTo(shape)(t)


def _tangent(t):
    """t's tangent. A view's is taken again from the tensor it views, whose tangent a write
    through another view may have changed since."""
    if t._view is not None and t._view[0].tangent is not None:
        from .ops.shape import replay_view

        return replay_view(t._view[1], t._view[0].tangent)
    return t.tangent if t.tangent is not None else zeros_tangent(t)


def zeros_tangent(t):
    return Tensor._make(np.zeros_like(t._data, dtype=np.result_type(t._data.dtype, np.float32)))


# Frames inside these packages are the library's own; anomaly mode points past them.
_LIBRARY = tuple(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), p)
                 + os.sep for p in ("autograd", "nn", "optim"))


def where_created(op, trace=None):
    """The user's line that made `op` (recorded only in anomaly mode)."""
    trace = trace or getattr(op, "trace", None)
    if not trace:
        return ""
    frames = [f for f in trace if not os.path.abspath(f.filename).startswith(_LIBRARY)]
    frame = (frames or trace)[-1]
    return f'\n  created at File "{frame.filename}", line {frame.lineno}: {frame.line}'


def _check_finite(op, phase, array):
    """Anomaly mode's check: a forward failure is reported from where it happens (the stack
    now), a backward one from where the op was made (the stack it saved)."""
    if array.dtype.kind in "fc" and not np.isfinite(array).all():
        bad = "NaN" if np.isnan(array).any() else "inf"
        trace = traceback.extract_stack() if phase == "forward" else None
        raise FloatingPointError(
            f"{op.name} produced {bad} in its {phase} pass{where_created(op, trace)}")


from .tensor import Tensor  # noqa: E402  (tensor.py imports this module's ops lazily)

_make = Tensor._make
