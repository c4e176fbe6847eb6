"""The differential fuzz against PyTorch (torch_fuzz.py), a bounded slice of it in CI: random
small programs over 0-d, size-1 and empty shapes, float32/float64/mixed leaves and 0, ±inf,
NaN, ±1e30 entries must give PyTorch's values, output dtypes and gradients, without a NumPy
warning. `python tests/safety/torch_fuzz.py --long` runs 20000 programs."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from torch_fuzz import compare, draw

torch = pytest.importorskip("torch")


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(st.integers(0, 2**32 - 1))
def test_random_programs_match_torch(seed):
    problems, _, steps = compare(torch, seed)
    assert not problems, f"seed {seed}, steps {[s[0] for s in steps]}: {problems}"


def test_the_drawn_programs_cover_the_edges():
    """The generator really draws empty, 0-d and mixed-dtype leaves with non-finite entries."""
    import numpy as np

    leaves = [leaf for seed in range(300) for leaf in draw(seed)[0]]
    assert any(leaf.size == 0 for leaf in leaves) and any(leaf.ndim == 0 for leaf in leaves)
    assert any(np.isnan(leaf).any() for leaf in leaves)
    assert any(np.isinf(leaf).any() for leaf in leaves)
    assert {leaf.dtype for leaf in leaves} == {np.dtype(np.float32), np.dtype(np.float64)}
