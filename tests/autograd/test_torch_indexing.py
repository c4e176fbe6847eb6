"""Indexing against PyTorch over many random indices that mix integers, slices, None,
Ellipsis, integer arrays and boolean masks: the result's shape, values and gradient, and
the same index used for assignment. NumPy places the dims of such a mix differently, so
this pins PyTorch's placement down case by case."""

import numpy as np
import pytest

import autograd as ag

torch = pytest.importorskip("torch")

SHAPE = (3, 4, 5, 2)


def random_index(rng):
    """One index tuple over SHAPE, as (ours, torch's): the same parts, arrays as tensors."""
    parts, dims, arrays = [], list(range(len(SHAPE))), 0
    ellipsis = rng.random() < 0.2
    for d in dims:
        if rng.random() < 0.15 and len(parts) < 6:
            parts.append(None)
        kind = rng.choice(["int", "slice", "array", "mask", "skip"], p=[.3, .25, .25, .1, .1])
        n = SHAPE[d]
        if kind == "int":
            parts.append(int(rng.integers(-n, n)))
        elif kind == "slice":
            start = int(rng.integers(0, n))
            parts.append(slice(start, int(rng.integers(start, n + 1)), int(rng.integers(1, 3))))
        elif kind == "array" and arrays < 2:
            shape = [(2,), (1, 3), (3,)][arrays if arrays < 1 else int(rng.integers(0, 1))]
            parts.append(rng.integers(-n, n, size=(2,) if arrays else shape))
            arrays += 1
        elif kind == "mask" and arrays == 0:
            mask = rng.random(n) < 0.5
            mask[0] = True
            parts.append(mask)
            arrays += 1
        else:
            parts.append(slice(None))
    if ellipsis:
        cut = int(rng.integers(0, len(parts)))
        parts = parts[:cut] + [Ellipsis] + [p for p in parts[cut + 1:] if p is not None][:1]
    return tuple(parts)


def convert(index, to):
    return tuple(to(p) if isinstance(p, np.ndarray) else p for p in index)


CASES = [random_index(np.random.default_rng(seed)) for seed in range(150)]


@pytest.mark.parametrize("index", CASES, ids=[str(i) for i in range(len(CASES))])
def test_getitem_and_setitem_place_dims_as_pytorch(index):
    data = np.arange(np.prod(SHAPE), dtype=np.float64).reshape(SHAPE)
    tx = torch.tensor(data, requires_grad=True)
    try:
        want = tx[convert(index, torch.tensor)]
    except (IndexError, RuntimeError, TypeError):
        pytest.skip("PyTorch refuses this index")
    x = ag.Tensor(data, requires_grad=True)
    got = x[convert(index, ag.Tensor)]
    assert got.shape == tuple(want.shape), f"{index}: {got.shape} vs {tuple(want.shape)}"
    np.testing.assert_array_equal(got.numpy(), want.detach().numpy())
    w = np.linspace(-1, 1, want.numel()).reshape(tuple(want.shape))
    (want * torch.tensor(w)).sum().backward()
    (got * ag.Tensor(w)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy())
    # assignment with the same index writes the same entries
    value = np.linspace(1, 2, want.numel()).reshape(tuple(want.shape))
    t2, a2 = torch.tensor(data), ag.Tensor(data.copy())
    t2[convert(index, torch.tensor)] = torch.tensor(value)
    a2[convert(index, ag.Tensor)] = value
    np.testing.assert_array_equal(a2.numpy(), t2.numpy())
