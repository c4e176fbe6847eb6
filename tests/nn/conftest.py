"""Shared set-up for the nn tests: `float64` runs a test with float64 as the default dtype
(finite differences need it) and nn's generator seeded, restoring the dtype after."""

import numpy as np
import pytest

import autograd as ag
import nn


@pytest.fixture
def float64():
    previous = ag.get_default_dtype()
    ag.set_default_dtype(np.float64)
    nn.manual_seed(0)
    yield
    ag.set_default_dtype(previous)
