"""Shape arithmetic shared by the ops: broadcasting, axis normalisation, and the ShapeError."""

import numpy as np


class ShapeError(ValueError):
    """An op got shapes it cannot combine; the message names the op and both shapes."""


def broadcast_shapes(op, *shapes):
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        listed = " with ".join(str(tuple(s)) for s in shapes)
        raise ShapeError(f"{op}: cannot broadcast {listed}") from None


def normalize_axes(op, axis, ndim):
    """`axis` (None, int or tuple) as a sorted tuple of non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    result = []
    for a in axes:
        if not -ndim <= a < ndim:
            raise ShapeError(f"{op}: axis {a} is out of range for a tensor of {ndim} dimensions")
        result.append(int(a) % ndim)
    if len(set(result)) != len(result):
        raise ShapeError(f"{op}: repeated axis in {axis}")
    return tuple(sorted(result))


def reduced_shape(shape, axes):
    """The shape of a keepdims=True reduction: reduced axes become 1."""
    return tuple(1 if i in axes else n for i, n in enumerate(shape))
