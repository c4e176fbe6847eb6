"""Padding a batch of variable-length sequences, as `torch.nn.utils.rnn`."""

import numpy as np

import autograd as ag
from autograd import ShapeError, Tensor


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Stack sequences of shapes (Lᵢ, *) into (L_max, B, *) ((B, L_max, *) with batch_first),
    filling the missing steps with `padding_value` (after each sequence, or before it with
    padding_side="left"). Differentiable: each sequence's gradient is its slice of the
    output's."""
    if padding_side not in ("right", "left"):
        raise ValueError(f"pad_sequence: padding_side must be 'right' or 'left', got "
                         f"{padding_side!r}")
    seqs = [s if isinstance(s, Tensor) else Tensor(np.asarray(s)) for s in sequences]
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


__all__ = ["pad_sequence"]
