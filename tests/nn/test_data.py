"""nn.utils.data against torch.utils.data: the same batches (values, dtypes, containers) for
the same samplers, drop_last and lengths, argument errors, seeded shuffling, random_split."""

from collections import namedtuple

import numpy as np
import pytest
from torch_reference import needs_torch, torch

import nn
from autograd import Tensor
from nn.utils import data

if torch is not None:
    tdata = torch.utils.data

Point = namedtuple("Point", "x label")


def as_numpy(batch):
    """A batch (ours or torch's) as nested plain Python/NumPy, for comparing structure too."""
    if isinstance(batch, Tensor) or (torch is not None and isinstance(batch, torch.Tensor)):
        array = np.asarray(batch.numpy())
        return ("tensor", str(array.dtype), array.tolist())
    if isinstance(batch, dict):
        return {k: as_numpy(v) for k, v in batch.items()}
    if isinstance(batch, (list, tuple)):
        return (type(batch).__name__, [as_numpy(b) for b in batch])
    return batch


def samples():
    rng = np.random.default_rng(0)
    return [
        [(rng.standard_normal(3).astype(np.float32), i) for i in range(7)],  # arrays, ints
        [{"a": float(i) / 2, "b": [i, i + 1], "name": f"s{i}"} for i in range(5)],
        [Point(np.float32(i), True) for i in range(5)],
        [np.arange(4) * i for i in range(6)],
    ]


@needs_torch
@pytest.mark.parametrize("which", range(4))
@pytest.mark.parametrize("batch_size, drop_last",
                         [(1, False), (3, False), (3, True), (None, False)])
def test_batches_match_pytorch(which, batch_size, drop_last):
    dataset = samples()[which]
    ours = data.DataLoader(dataset, batch_size=batch_size, drop_last=drop_last)
    theirs = tdata.DataLoader(dataset, batch_size=batch_size, drop_last=drop_last)
    assert len(ours) == len(theirs)
    assert [as_numpy(b) for b in ours] == [as_numpy(b) for b in theirs]


@needs_torch
def test_tensor_dataset_batches_match_pytorch():
    X, y = np.arange(20.0).reshape(10, 2), np.arange(10) % 3
    ours = data.DataLoader(data.TensorDataset(Tensor(X), Tensor(y)), batch_size=4)
    theirs = tdata.DataLoader(tdata.TensorDataset(torch.tensor(X), torch.tensor(y)),
                              batch_size=4)
    assert [as_numpy(b) for b in ours] == [as_numpy(b) for b in theirs]
    dataset = data.TensorDataset(X, y)
    assert len(dataset) == 10 and as_numpy(dataset[3]) == as_numpy(
        tdata.TensorDataset(torch.tensor(X), torch.tensor(y))[3])
    with pytest.raises(ValueError, match="share their first dimension"):
        data.TensorDataset(X, y[:-1])


@needs_torch
@pytest.mark.parametrize("n, batch_size", [(10, 3), (9, 3), (1, 4), (5, 5)])
def test_lengths_and_drop_last_match_pytorch(n, batch_size):
    for drop_last in (False, True):
        for shuffle in (False, True):
            ours = data.DataLoader(list(range(n)), batch_size, shuffle=shuffle,
                                   drop_last=drop_last)
            theirs = tdata.DataLoader(list(range(n)), batch_size, shuffle=shuffle,
                                      drop_last=drop_last)
            assert len(ours) == len(theirs)
            assert [len(b) for b in ours] == [len(b) for b in theirs]


def test_shuffle_is_a_fresh_permutation_each_epoch_seeded_by_manual_seed():
    loader = data.DataLoader(list(range(12)), batch_size=5, shuffle=True)
    nn.manual_seed(1)
    first = np.concatenate([b.numpy() for b in loader])
    second = np.concatenate([b.numpy() for b in loader])
    assert sorted(first) == sorted(second) == list(range(12))
    assert list(first) != list(second) and list(first) != list(range(12))
    nn.manual_seed(1)
    np.testing.assert_array_equal(np.concatenate([b.numpy() for b in loader]), first)
    seeded = [np.concatenate([b.numpy() for b in data.DataLoader(
        list(range(12)), 5, shuffle=True, generator=np.random.default_rng(7))])
        for _ in range(2)]
    np.testing.assert_array_equal(*seeded)


def test_samplers():
    nn.manual_seed(0)
    assert list(data.SequentialSampler(range(4))) == [0, 1, 2, 3]
    order = list(data.RandomSampler(range(6)))
    assert sorted(order) == list(range(6))
    drawn = list(data.RandomSampler(range(3), replacement=True, num_samples=50))
    assert len(drawn) == 50 and set(drawn) == {0, 1, 2}
    assert len(list(data.RandomSampler(range(3), num_samples=7))) == 7
    subset = list(data.SubsetRandomSampler([10, 20, 30]))
    assert sorted(subset) == [10, 20, 30]
    weighted = list(data.WeightedRandomSampler([0.0, 1.0, 0.0, 3.0], 40))
    assert set(weighted) == {1, 3}
    ours = list(data.BatchSampler(data.SequentialSampler(range(7)), 3, drop_last=False))
    assert ours == [[0, 1, 2], [3, 4, 5], [6]]  # as torch.utils.data.BatchSampler gives
    loader = data.DataLoader(list("abcdef"), batch_sampler=[[0, 5], [2]])
    assert list(loader) == [["a", "f"], ["c"]] and len(loader) == 2
    loader = data.DataLoader(list(range(6)), batch_size=2, sampler=[5, 4, 3, 2, 1, 0])
    assert [b.tolist() for b in loader] == [[5, 4], [3, 2], [1, 0]]


@needs_torch
@pytest.mark.parametrize("kwargs", [
    {"sampler": [0, 1], "shuffle": True},
    {"batch_sampler": [[0]], "batch_size": 2},
    {"batch_sampler": [[0]], "drop_last": True},
    {"batch_size": None, "drop_last": True},
    {"batch_size": 0},
    {"num_workers": -1},
])
def test_argument_errors_match_pytorch(kwargs):
    with pytest.raises(ValueError) as theirs:
        tdata.DataLoader(list(range(4)), **kwargs)
    with pytest.raises(ValueError) as ours:
        data.DataLoader(list(range(4)), **kwargs)
    words = [w for w in str(theirs.value).split() if w.isalpha() and len(w) > 4][:3]
    assert all(w in str(ours.value) for w in words), (str(ours.value), str(theirs.value))


def test_random_split_lengths_and_fractions():
    cases = {(3, 7): [3, 7], (0.3, 0.7): [3, 7], (0.25, 0.25, 0.5): [3, 2, 5],
             (1 / 3,) * 3: [4, 3, 3]}  # PyTorch's lengths: the remainder to the first ones
    for lengths, expected in cases.items():
        ours = data.random_split(range(10), lengths, generator=np.random.default_rng(0))
        assert [len(s) for s in ours] == expected
        together = sorted(i for s in ours for i in s)
        assert together == list(range(10))
    with pytest.raises(ValueError, match=r"sum of input lengths \(9\) does not equal"):
        data.random_split(range(10), [4, 5])
    nn.manual_seed(5)
    a = [list(s) for s in data.random_split(range(10), [5, 5])]
    nn.manual_seed(5)
    assert a == [list(s) for s in data.random_split(range(10), [5, 5])]
    train = data.Subset(samples()[0], [4, 2])
    assert len(train) == 2 and train[1][1] == 2 and [s[1] for s in train[[0, 1]]] == [4, 2]


def test_collate_fn_workers_iterable_and_concat():
    loader = data.DataLoader(list(range(5)), batch_size=2, collate_fn=lambda b: sum(b),
                             num_workers=2)
    assert list(loader) == [1, 5, 4]
    seen = []
    loader = data.DataLoader(list(range(4)), batch_size=2, num_workers=2,
                             worker_init_fn=seen.append, pin_memory=True)
    assert [b.tolist() for b in loader] == [[0, 1], [2, 3]] and seen == [0]
    assert data.get_worker_info() is None

    class Stream(data.IterableDataset):
        def __iter__(self):
            return iter(range(5))

    assert [b.tolist() for b in data.DataLoader(Stream(), batch_size=2)] == [[0, 1], [2, 3], [4]]
    assert [b.tolist() for b in data.DataLoader(Stream(), batch_size=2, drop_last=True)] == \
        [[0, 1], [2, 3]]
    with pytest.raises(ValueError, match="IterableDataset"):
        data.DataLoader(Stream(), shuffle=True)
    both = data.TensorDataset(np.zeros((2, 1))) + data.TensorDataset(np.ones((3, 1)))
    assert len(both) == 5 and both[4][0].item() == 1.0 and both[-5][0].item() == 0.0
    assert nn.DataLoader is data.DataLoader


def test_collate_errors():
    with pytest.raises(RuntimeError, match=r"stack expects each tensor to be equal size, but "
                                           r"got \(2,\) at entry 0 and \(3,\) at entry 1"):
        list(data.DataLoader([np.zeros(2), np.zeros(3)], batch_size=2))
    with pytest.raises(TypeError, match="default_collate: batch must contain tensors"):
        list(data.DataLoader([object(), object()], batch_size=2))


def test_submodule_paths_as_in_torch_utils_data():
    from nn.utils.data.dataloader import DataLoader
    from nn.utils.data.dataset import Dataset
    from nn.utils.data.distributed import DistributedSampler
    from nn.utils.data.sampler import SubsetRandomSampler

    assert (DataLoader, Dataset, SubsetRandomSampler) == \
        (data.DataLoader, data.Dataset, data.SubsetRandomSampler)
    with pytest.raises(RuntimeError, match="distributed training is not supported"):
        DistributedSampler(list(range(4)))
