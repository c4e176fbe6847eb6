"""Thread-local switches that steer recording: grad mode, forward-mode tangents, anomaly mode.

Each thread gets its own copy, so one thread inside `no_grad()` never silences another
thread that is training. Reading a switch is one attribute lookup: the engine checks them
on every op, so they must cost next to nothing when left at their defaults.
"""

import contextlib
import threading
from collections.abc import Iterator


class _State(threading.local):
    grad_enabled = True       # record ops into the graph
    tangents_enabled = False  # push forward-mode tangents through ops (inside ag.jvp)
    anomaly = False           # remember where each op was made; check for NaN/inf


state = _State()


def is_grad_enabled() -> bool:
    return state.grad_enabled


@contextlib.contextmanager
def set_grad_enabled(enabled: bool) -> Iterator[None]:
    """Turn recording on or off inside the block, restoring the previous setting after."""
    previous, state.grad_enabled = state.grad_enabled, bool(enabled)
    try:
        yield
    finally:
        state.grad_enabled = previous


def no_grad() -> contextlib.AbstractContextManager[None]:
    """`with ag.no_grad():` runs ops without recording a graph (inference, optimizer steps)."""
    return set_grad_enabled(False)


def enable_grad() -> contextlib.AbstractContextManager[None]:
    return set_grad_enabled(True)


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

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = bool(enabled)

    def __enter__(self) -> "detect_anomaly":
        self.previous, state.anomaly = state.anomaly, self.enabled
        return self

    def __exit__(self, *exc: object) -> None:
        state.anomaly = self.previous


def set_detect_anomaly(enabled: bool) -> None:
    state.anomaly = bool(enabled)


def is_anomaly_enabled() -> bool:
    return state.anomaly
