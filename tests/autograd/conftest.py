"""Shared set-up for the engine's tests: `optable` (the op table) is importable as a plain
module; every test gets the default dtype back as it found it, and must not leak no_grad."""

import os
import sys

import pytest

import autograd as ag

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(autouse=True)
def _global_state():
    dtype = ag.get_default_dtype()
    yield
    ag.set_default_dtype(dtype)
    assert ag.is_grad_enabled(), "a test left grad mode switched off"
