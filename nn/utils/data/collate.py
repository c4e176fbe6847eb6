"""Turning a list of samples into one batch (`default_collate`), or converting single samples
(`default_convert`, when DataLoader does not batch)."""

import numbers
from collections.abc import Mapping, Sequence

import numpy as np

import autograd as ag
from autograd import Tensor


def default_collate(batch):
    """Samples -> one batch: Tensors and arrays are stacked (a new first axis), Python floats
    become a float64 Tensor and ints an int64 one, strings stay a list; tuples and lists are
    collated position by position (giving a list), dicts key by key."""
    elem = batch[0]
    if isinstance(elem, Tensor):
        return _stack(batch)
    if isinstance(elem, np.ndarray):
        if elem.dtype.kind in "SUOV":
            raise TypeError(f"default_collate: batch must contain tensors, numpy arrays, "
                            f"numbers, dicts or lists; found an array of dtype {elem.dtype}")
        return _stack([Tensor(b) for b in batch])
    if isinstance(elem, np.generic):
        return Tensor(np.array(batch))
    if isinstance(elem, bool):
        return Tensor(np.array(batch, dtype=bool))
    if isinstance(elem, numbers.Integral):
        return Tensor(np.array(batch, dtype=np.int64))
    if isinstance(elem, numbers.Real):
        return Tensor(np.array(batch, dtype=np.float64))
    if isinstance(elem, (str, bytes)):
        return list(batch)
    if isinstance(elem, Mapping):
        return {key: default_collate([d[key] for d in batch]) for key in elem}
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # a namedtuple
        return type(elem)(*(default_collate(list(s)) for s in zip(*batch)))
    if isinstance(elem, Sequence):
        if len({len(sample) for sample in batch}) != 1:
            raise RuntimeError("default_collate: each element in list of batch should be of "
                               "equal size")
        return [default_collate(list(samples)) for samples in zip(*batch)]
    raise TypeError(f"default_collate: batch must contain tensors, numpy arrays, numbers, "
                    f"dicts or lists; found {type(elem).__name__}")


def _stack(tensors):
    shapes = [t.shape for t in tensors]
    if len(set(shapes)) != 1:
        first = next(i for i, s in enumerate(shapes) if s != shapes[0])
        raise RuntimeError(f"default_collate: stack expects each tensor to be equal size, but "
                           f"got {shapes[0]} at entry 0 and {shapes[first]} at entry {first}")
    if any(t.requires_grad for t in tensors):
        return ag.stack(tensors)
    return Tensor(np.stack([t._data for t in tensors]))


def default_convert(data):
    """What DataLoader does to each sample when batch_size=None: arrays become Tensors,
    containers are converted item by item, everything else is left as it is."""
    if isinstance(data, np.ndarray) and data.dtype.kind not in "SUOV":
        return Tensor(data)
    if isinstance(data, np.generic):
        return Tensor(np.asarray(data))
    if isinstance(data, Mapping):
        return {key: default_convert(value) for key, value in data.items()}
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, list):
        return [default_convert(d) for d in data]
    return data


def get_worker_info():
    """None: data is always loaded in the main process."""
    return None
