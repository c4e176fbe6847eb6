"""The default floating dtype and the rules for turning Python data into arrays.

Python lists and scalars become the default float dtype (float32, like PyTorch); an ndarray
keeps its own dtype, so float64 work stays float64 and integer labels stay integers.
"""

import numpy as np

_default = np.dtype(np.float32)


def get_default_dtype():
    return _default


def set_default_dtype(dtype):
    """Set the dtype that Python numbers and lists become (and that parameters follow)."""
    global _default
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"set_default_dtype: expected a floating dtype, got {dtype}")
    _default = dtype


def is_floating(dtype):
    return dtype.kind == "f"


def as_array(data, dtype=None):
    """Turn `data` into an ndarray: ndarrays keep their dtype, Python data gets the default."""
    if isinstance(data, np.ndarray):
        return data if dtype is None or data.dtype == dtype else data.astype(dtype)
    if isinstance(data, np.generic):
        return np.asarray(data, dtype=dtype)
    array = np.asarray(data)
    if dtype is not None:
        return array.astype(dtype, copy=False)
    if array.dtype.kind in "iuf":
        return array.astype(_default, copy=False)
    if array.dtype == object:
        raise TypeError(f"Tensor: cannot make a tensor from {type(data).__name__} data")
    return array
