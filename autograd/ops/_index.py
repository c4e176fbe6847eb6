"""Indices as the indexing ops store them: plain NumPy indices, with Tensors and lists turned
into arrays, and PyTorch's placement of the dims when integers mix with index arrays."""

import builtins

import numpy as np

from ..tensor import Tensor


def _may_repeat(index):
    """Only integer arrays can name an entry twice; other indices can be assigned directly."""
    parts = index if isinstance(index, tuple) else (index,)
    return builtins.any(isinstance(p, np.ndarray) and p.dtype.kind in "iu" for p in parts)


def _show(index):
    return repr(index) if not isinstance(index, np.ndarray) else f"array{index.tolist()}"


def _normalize_index(index, shape=None):
    """Tensors and lists inside an index become ndarrays, so ops store plain NumPy indices.
    Given the indexed tensor's shape, an index that mixes integers with index arrays is
    rewritten so that its dims land where PyTorch puts them (see `_torch_layout`)."""
    if isinstance(index, tuple):
        index = tuple(_normalize_index(i) for i in index)
        if shape is not None and _mixes_ints_and_arrays(index):
            return _torch_layout(index, shape)
        return index
    if isinstance(index, Tensor):
        return index._data
    if isinstance(index, (list, range)):
        return np.asarray(index)
    return index


def _is_int(p):
    return isinstance(p, (int, np.integer)) and not isinstance(p, bool) or (
        isinstance(p, np.ndarray) and p.ndim == 0 and p.dtype.kind in "iu")


def _is_array(p):
    return isinstance(p, np.ndarray) and p.ndim > 0 and p.dtype.kind in "iub"


def _mixes_ints_and_arrays(index):
    return builtins.any(map(_is_int, index)) and builtins.any(map(_is_array, index))


def _torch_layout(index, shape):
    """An index mixing integers with index arrays, rewritten as NumPy arrays alone, whose
    broadcast shape is PyTorch's result: each integer first selects its dim away, then the
    index arrays' dims go where they stand (or in front, when slices separate them).

    NumPy counts the integers among the advanced indices instead, so `x[1, :, 0:2, idx]` on
    (2, 5, 6, 5) with idx (1, 3) would be (1, 3, 5, 2) there; PyTorch and this give
    (5, 2, 1, 3). Slices become aranges and None a size-1 dim.
    """
    used = builtins.sum(p.ndim if isinstance(p, np.ndarray) and p.dtype == bool else 1
                        for p in index if p is not None and p is not Ellipsis)
    parts = []
    for p in index:  # Ellipsis -> slices; a bool mask -> one index array per dim it covers
        if p is Ellipsis:
            parts += [slice(None)] * (len(shape) - used)
        elif _is_array(p) and p.dtype == bool:
            parts += [("mask", q) for q in np.nonzero(p)]
        else:
            parts.append(p)
    if builtins.sum(p is not None for p in parts) > len(shape):
        raise IndexError(f"getitem: too many indices for a tensor of shape {tuple(shape)}")
    kept = [p for p in parts if not _is_int(p)]  # what is left once the integers select
    arrays = [i for i, p in enumerate(kept) if isinstance(p, tuple) or _is_array(p)]
    block = np.broadcast_shapes(*(_array(kept[i]).shape for i in arrays))
    adjacent = arrays == list(range(arrays[0], arrays[0] + len(arrays)))
    start = arrays[0] if adjacent else 0
    # Output position of each kept entry: slices and None one dim each, the arrays one block.
    position, at = {}, 0 if adjacent else len(block)
    for i in range(len(kept)):
        if i in arrays:
            position[i] = start
            if adjacent and i == arrays[0]:
                at += len(block)
        else:
            position[i] = at
            at += 1
    total = at
    out, k = [], iter(range(len(kept)))
    dim = 0
    for p in parts:
        if p is None:
            next(k)
            continue
        if _is_int(p):
            out.append(p)
        else:
            i = next(k)
            if i in arrays:
                a = _array(p)
                lead = position[i] + len(block) - a.ndim
                out.append(a.reshape((1,) * lead + a.shape + (1,) * (total - lead - a.ndim)))
            else:
                r = np.arange(*p.indices(shape[dim]))
                out.append(r.reshape((1,) * position[i] + (-1,) + (1,) * (total - position[i] - 1)))
        dim += 1
    return tuple(out)


def _array(p):
    return p[1] if isinstance(p, tuple) else p
