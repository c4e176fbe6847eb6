"""Batches of variable-length sequences, as `torch.nn.utils.rnn`: padding them into one
tensor, and packing them (PyTorch's PackedSequence layout) so that a recurrent layer stops
each sequence at its own length."""

from collections import namedtuple

import numpy as np

import autograd as ag
from autograd import ShapeError, Tensor


def _as_tensor(x):
    return x if isinstance(x, Tensor) else Tensor(np.asarray(x))


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Stack sequences of shapes (Lᵢ, *) into (L_max, B, *) ((B, L_max, *) with batch_first),
    filling the missing steps with `padding_value` (after each sequence, or before it with
    padding_side="left"). Differentiable: each sequence's gradient is its slice of the
    output's."""
    if padding_side not in ("right", "left"):
        raise ValueError(f"pad_sequence: padding_side must be 'right' or 'left', got "
                         f"{padding_side!r}")
    seqs = [_as_tensor(s) for s in sequences]
    if not seqs:
        raise ValueError("pad_sequence: received an empty list of sequences")
    trailing = seqs[0].shape[1:]
    for i, s in enumerate(seqs):
        if s.ndim == 0 or s.shape[1:] != trailing:
            raise ShapeError(f"pad_sequence: sequence {i} has shape {s.shape}; every sequence "
                             f"must have shape (L, *{trailing}) like the first")
    longest = max(s.shape[0] for s in seqs)
    rows = []
    for s in seqs:
        missing = longest - s.shape[0]
        if missing:
            pad = Tensor(np.full((missing,) + trailing, padding_value, dtype=s.dtype))
            s = ag.concatenate([s, pad] if padding_side == "right" else [pad, s])
        rows.append(s)
    return ag.stack(rows, axis=0 if batch_first else 1)


class PackedSequence(namedtuple("PackedSequence", ["data", "batch_sizes", "sorted_indices",
                                                   "unsorted_indices"])):
    """Sequences sorted by decreasing length and laid out step by step: `data` holds step 0
    of every sequence, then step 1 of those that are long enough, ... ; `batch_sizes[t]` is
    how many sequences have a step t. `sorted_indices` (None when the batch came sorted) gives
    the batch order used; `unsorted_indices` undoes it. RNN, LSTM and GRU accept it."""

    __slots__ = ()

    def lengths(self):
        """Each sequence's length, in the original batch order (an int64 ndarray)."""
        sizes = np.asarray(_array(self.batch_sizes))
        lengths = (sizes[None, :] > np.arange(sizes[0])[:, None]).sum(axis=1)
        if self.unsorted_indices is not None:
            lengths = lengths[np.asarray(_array(self.unsorted_indices))]
        return lengths.astype(np.int64)


def _array(x):
    return x._data if isinstance(x, Tensor) else x


def pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
    """Pack a padded batch (L, B, *) ((B, L, *) with batch_first) of sequences of the given
    lengths. With enforce_sorted, the lengths must already decrease; otherwise the batch is
    sorted here and the PackedSequence remembers how to undo it."""
    x = _as_tensor(input)
    lengths = np.asarray(_array(lengths)).astype(np.int64).reshape(-1)
    if x.ndim < 2:
        raise ShapeError(f"pack_padded_sequence: input must be at least 2-D (L, B, *), got "
                         f"shape {x.shape}")
    if batch_first:
        x = x.transpose((1, 0) + tuple(range(2, x.ndim)))                  # (L, B, *)
    if lengths.shape != (x.shape[1],):
        raise ShapeError(f"pack_padded_sequence: {lengths.size} lengths for a batch of "
                         f"{x.shape[1]} sequences")
    if (lengths <= 0).any():
        raise ValueError("pack_padded_sequence: Length of all samples has to be greater than "
                         f"0, but found an element in 'lengths' that is <= 0: {lengths.tolist()}")
    if lengths.max() > x.shape[0]:
        raise ValueError(f"pack_padded_sequence: a length of {int(lengths.max())} is longer "
                         f"than the padded sequences ({x.shape[0]} steps)")
    if enforce_sorted:
        if (np.diff(lengths) > 0).any():
            raise RuntimeError("`lengths` array must be sorted in decreasing order when "
                               "`enforce_sorted` is True. You can pass `enforce_sorted=False` "
                               "to pack_padded_sequence and/or pack_sequence to sidestep this "
                               "requirement if you do not need ONNX exportability.")
        sorted_indices = unsorted_indices = None
    else:
        order = np.argsort(-lengths, kind="stable")
        x, lengths = x[:, order], lengths[order]
        sorted_indices, unsorted_indices = Tensor(order), Tensor(np.argsort(order))
    return _pack_sorted(x, lengths, sorted_indices, unsorted_indices)


def _pack_sorted(x, lengths, sorted_indices, unsorted_indices):
    """x (L, B, *) already in sorted order, lengths decreasing -> PackedSequence."""
    steps = int(lengths[0])
    batch_sizes = (lengths[None, :] > np.arange(steps)[:, None]).sum(axis=1).astype(np.int64)
    data = ag.concatenate([x[t, :int(b)] for t, b in enumerate(batch_sizes)])
    return PackedSequence(data, Tensor(batch_sizes), sorted_indices, unsorted_indices)


def pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None):
    """The inverse of pack_padded_sequence: (padded (L, B, *) or (B, L, *), lengths), in the
    original batch order; steps past a sequence's end hold `padding_value`."""
    data = sequence.data
    sizes = np.asarray(_array(sequence.batch_sizes)).astype(np.int64)
    batch, trailing = int(sizes[0]), data.shape[1:]
    steps = len(sizes)
    if total_length is not None:
        if total_length < steps:
            raise ValueError(f"pad_packed_sequence: expected total_length to be at least the "
                             f"length of the longest sequence ({steps}), got {total_length}")
        steps = total_length
    rows, start = [], 0
    for t in range(steps):
        size = int(sizes[t]) if t < len(sizes) else 0
        row = data[start:start + size]
        start += size
        if size < batch:
            pad = Tensor(np.full((batch - size,) + trailing, padding_value, dtype=data.dtype))
            row = ag.concatenate([row, pad]) if size else pad
        rows.append(row)
    padded = ag.stack(rows)                                              # (L, B, *) sorted
    if sequence.unsorted_indices is not None:
        padded = padded[:, np.asarray(_array(sequence.unsorted_indices))]
    if batch_first:
        padded = padded.transpose((1, 0) + tuple(range(2, padded.ndim)))
    return padded, Tensor(sequence.lengths())


def pack_sequence(sequences, enforce_sorted=True):
    """Pack a list of sequences (Lᵢ, *) directly (pad_sequence, then pack_padded_sequence)."""
    lengths = [_as_tensor(s).shape[0] for s in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


__all__ = ["PackedSequence", "pack_padded_sequence", "pack_sequence", "pad_packed_sequence",
           "pad_sequence"]
