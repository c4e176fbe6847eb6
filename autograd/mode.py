"""Thread-local switches that steer recording: grad mode, forward-mode tangents, anomaly mode.

Each thread gets its own copy, so one thread inside `no_grad()` never silences another
thread that is training. Reading a switch is one attribute lookup: the engine checks them
on every op, so they must cost next to nothing when left at their defaults.
"""

import contextlib
import functools
import threading


class _State(threading.local):
    grad_enabled = True       # record ops into the graph
    tangents_enabled = False  # push forward-mode tangents through ops (inside ag.jvp)
    anomaly = False           # remember where each op was made; check for NaN/inf
    inference = False         # inside inference_mode()
    tracer = None             # ag.compile's tracer: logs every op call while it traces


state = _State()


def is_grad_enabled():
    return state.grad_enabled


def is_inference_mode_enabled():
    return state.inference


class _Switch:
    """A grad-mode switch usable as `with switch:` and as a decorator (`@switch`), as in
    PyTorch. Each decorated call enters a fresh copy, so the saved previous setting is never
    shared between threads or recursive calls."""

    def __call__(self, fn):
        if not callable(fn):
            raise TypeError(f"{type(self).__name__}: can only decorate a callable, got {fn!r}")

        @functools.wraps(fn)
        def run(*args, **kwargs):
            with self._copy():
                return fn(*args, **kwargs)

        return run

    def __enter__(self):
        self._previous = state.grad_enabled, state.inference
        self._set()
        return self

    def __exit__(self, *exc):
        state.grad_enabled, state.inference = self._previous


class _NoArgSwitch(_Switch):
    """`no_grad()` and bare `no_grad` (as a decorator without parentheses) both work."""

    def __new__(cls, fn=None):
        if fn is None:
            return super().__new__(cls)
        return cls()(fn)

    def _copy(self):
        return type(self)()


class no_grad(_NoArgSwitch):
    """`with ag.no_grad():` (or `@ag.no_grad`) runs ops without recording a graph
    (inference, optimizer steps)."""

    def _set(self):
        state.grad_enabled = False


class enable_grad(_NoArgSwitch):
    """Recording on again inside a `no_grad` block (or function)."""

    def _set(self):
        state.grad_enabled = True


class set_grad_enabled(_Switch):
    """Recording on or off. Like PyTorch's, it takes effect when called, so it works as a
    plain function call (`ag.set_grad_enabled(False)`), a `with` block (restoring the previous
    setting at its end) and a decorator."""

    def __init__(self, mode):
        self.mode = bool(mode)
        self._previous = state.grad_enabled, state.inference
        state.grad_enabled = self.mode

    def __call__(self, fn):
        state.grad_enabled, state.inference = self._previous  # decorating changes nothing now
        return super().__call__(fn)

    def __enter__(self):
        return self

    def _copy(self):
        return _GradMode(self.mode)


class _GradMode(_Switch):
    def __init__(self, mode):
        self.mode = mode

    def _set(self):
        state.grad_enabled = self.mode


class inference_mode(_Switch):
    """`no_grad` that also marks the block as inference (`is_inference_mode_enabled()`).
    Tensors made inside record nothing; `inference_mode(False)` switches it off again."""

    def __new__(cls, mode=True):
        if isinstance(mode, bool):
            return super().__new__(cls)
        return cls()(mode)  # bare @inference_mode

    def __init__(self, mode=True):
        if isinstance(mode, bool):
            self.mode = mode

    def _set(self):
        state.grad_enabled, state.inference = not self.mode, self.mode

    def _copy(self):
        return inference_mode(self.mode)


@contextlib.contextmanager
def tangents_enabled(enabled):
    previous, state.tangents_enabled = state.tangents_enabled, enabled
    try:
        yield
    finally:
        state.tangents_enabled = previous


class detect_anomaly:
    """Anomaly mode: each op remembers the line of user code that made it, and a NaN or inf
    produced in a forward or backward pass raises an error naming the op and that line.

    Use as a context manager (`with ag.detect_anomaly(): ...`) or a switch
    (`ag.set_detect_anomaly(True)`). It costs a stack walk per op, so it is off by default;
    when off, the engine pays one flag check per op.
    """

    def __init__(self, enabled=True):
        self.enabled = bool(enabled)

    def __enter__(self):
        self.previous, state.anomaly = state.anomaly, self.enabled
        return self

    def __exit__(self, *exc):
        state.anomaly = self.previous


def set_detect_anomaly(enabled):
    state.anomaly = bool(enabled)


def is_anomaly_enabled():
    return state.anomaly
