"""`DataLoader`: batches of a dataset, with PyTorch's arguments and defaults.

Each pass asks the batch sampler for lists of indices, fetches those samples and collates
them. A TensorDataset with the default collation is fetched a whole batch at a time (one
fancy index per tensor) instead of sample by sample, with the same result.
"""

import numpy as np

from autograd import Tensor

from .collate import default_collate, default_convert, get_worker_info  # noqa: F401
from .dataset import Dataset, IterableDataset, TensorDataset  # noqa: F401
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler  # noqa: F401


class DataLoader:
    """Iterate over `dataset` in batches: `for xb, yb in DataLoader(ds, batch_size=32,
    shuffle=True)`. Each `for` is one epoch (reshuffled when `shuffle`); `len()` is the number
    of batches.

    sampler / batch_sampler choose the indices (exclusive with shuffle, and batch_sampler with
    batch_size, drop_last and sampler, as in PyTorch); batch_size=None yields single samples;
    collate_fn turns a list of samples into a batch (default_collate). Shuffling draws from
    `generator` (a np.random.Generator) or the shared generator that nn.manual_seed seeds.
    num_workers > 0 is accepted but loading always runs in this process (worker_init_fn, if
    given, is called with worker id 0 at the start of each epoch); pin_memory, timeout,
    prefetch_factor and persistent_workers are accepted and have nothing to do on a CPU.
    """

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
                 worker_init_fn=None, multiprocessing_context=None, generator=None, *,
                 prefetch_factor=None, persistent_workers=False, pin_memory_device="",
                 in_order=True):
        if isinstance(num_workers, bool) or not isinstance(num_workers, int) or num_workers < 0:
            raise ValueError(f"DataLoader: num_workers option should be non-negative; use "
                             f"num_workers=0 to disable multiprocessing (got {num_workers!r})")
        if timeout < 0:
            raise ValueError("DataLoader: timeout option should be non-negative")
        self.dataset, self.num_workers, self.pin_memory = dataset, num_workers, pin_memory
        self.timeout, self.worker_init_fn, self.generator = timeout, worker_init_fn, generator
        self.prefetch_factor, self.persistent_workers = prefetch_factor, persistent_workers
        self._iterable = isinstance(dataset, IterableDataset)
        if self._iterable:
            if shuffle or sampler is not None or batch_sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified "
                                 "shuffle, sampler and batch_sampler options")
        elif sampler is not None and shuffle:
            raise ValueError("DataLoader: sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("DataLoader: batch_sampler option is mutually exclusive with "
                                 "batch_size, shuffle, sampler, and drop_last")
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("DataLoader: batch_size=None option disables auto-batching and is "
                             "mutually exclusive with drop_last")
        if sampler is None and not self._iterable:
            sampler = (RandomSampler(dataset, generator=generator) if shuffle
                       else SequentialSampler(dataset))
        if batch_size is not None and batch_sampler is None and not self._iterable:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        elif batch_size is not None and self._iterable:
            BatchSampler([], batch_size, drop_last)  # the same checks of batch_size, drop_last
        self.batch_size, self.drop_last = batch_size, drop_last
        self.sampler, self.batch_sampler = sampler, batch_sampler
        if collate_fn is None:
            collate_fn = default_collate if self._auto_batching else default_convert
        self.collate_fn = collate_fn

    @property
    def _auto_batching(self):
        return self.batch_sampler is not None or (self._iterable and self.batch_size is not None)

    def __len__(self):
        if self._iterable:
            n = len(self.dataset)  # a TypeError if the stream has no length, as in PyTorch
            if self.batch_size is None:
                return n
            return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
        return len(self.batch_sampler if self.batch_sampler is not None else self.sampler)

    def __iter__(self):
        if self.num_workers > 0 and self.worker_init_fn is not None:
            self.worker_init_fn(0)
        if self._iterable:
            return self._iter_stream()
        if self.batch_sampler is None:
            return (self.collate_fn(self.dataset[i]) for i in self.sampler)
        return (self._fetch(indices) for indices in self.batch_sampler)

    def _fetch(self, indices):
        if self.collate_fn is default_collate and type(self.dataset) is TensorDataset:
            rows = np.asarray(indices, dtype=np.int64)
            return [t[rows] if t.requires_grad else Tensor(t._data[rows])
                    for t in self.dataset.tensors]
        getitems = getattr(self.dataset, "__getitems__", None)
        samples = getitems(indices) if getitems else [self.dataset[i] for i in indices]
        return self.collate_fn(samples)

    def _iter_stream(self):
        if self.batch_size is None:
            for sample in self.dataset:
                yield self.collate_fn(sample)
            return
        batch = []
        for sample in self.dataset:
            batch.append(sample)
            if len(batch) == self.batch_size:
                yield self.collate_fn(batch)
                batch = []
        if batch and not self.drop_last:
            yield self.collate_fn(batch)
