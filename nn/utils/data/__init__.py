"""Data loading shaped like `torch.utils.data`: datasets, samplers (which indices, in which
order), batch samplers (which indices together) and `DataLoader`, which fetches each batch's
samples and collates them into Tensors.

    from nn.utils.data import DataLoader, TensorDataset, random_split
    train, test = random_split(TensorDataset(X, y), [0.8, 0.2])
    for xb, yb in DataLoader(train, batch_size=32, shuffle=True):
        ...

Every random draw (shuffling, random_split, random samplers) comes from `generator=` when one
is given (a `np.random.Generator`), else from the library's shared generator, which
`nn.manual_seed` resets: `_random._rng` is the one place that decides.
"""

from .collate import default_collate, default_convert, get_worker_info
from .dataloader import DataLoader
from .dataset import ConcatDataset, Dataset, IterableDataset, Subset, TensorDataset, random_split
from .sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)

__all__ = [
    "BatchSampler", "ConcatDataset", "DataLoader", "Dataset", "IterableDataset", "RandomSampler",
    "Sampler", "SequentialSampler", "Subset", "SubsetRandomSampler", "TensorDataset",
    "WeightedRandomSampler", "default_collate", "default_convert", "get_worker_info",
    "random_split",
]
