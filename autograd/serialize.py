"""`ag.save` / `ag.load`: PyTorch's spellings of `nn.save` / `nn.load` (never pickle).

As `torch.load` does, `ag.load` gives back Tensors where `nn.load` (NumPy's dialect) gives
arrays, and a lone Tensor saved with `ag.save(t, path)` loads as that Tensor. The nn package
imports autograd, so these import it when called, not when autograd loads.
"""

import numpy as np

from .devices import check_device
from .tensor import Tensor

_LONE = "__tensor__"  # the key a lone saved Tensor is stored under


def save(obj, f, **kwargs):
    """Write `obj` (a state dict, a checkpoint of nested dicts) to the path `f`; see nn.save."""
    if kwargs:
        raise TypeError(f"save: unsupported arguments {sorted(kwargs)}; the format is chosen "
                        "by the file's suffix (.npz or .safetensors)")
    from nn import save as nn_save

    return nn_save({_LONE: obj} if isinstance(obj, Tensor) else obj, f)


def load(f, map_location=None, weights_only=None, **kwargs):
    """Read a file written by `save`; `map_location` may only name the CPU. Nothing is ever
    unpickled, so `weights_only` is accepted and always effectively True."""
    if kwargs:
        raise TypeError(f"load: unsupported arguments {sorted(kwargs)}")
    if map_location is not None and not callable(map_location) and not isinstance(
            map_location, dict):
        check_device("load(map_location=...)", map_location)
    from nn import load as nn_load

    obj = _tensors(nn_load(f))
    return obj[_LONE] if isinstance(obj, dict) and list(obj) == [_LONE] else obj


def _tensors(obj):
    """The loaded structure with every array made a Tensor."""
    if isinstance(obj, np.ndarray):
        return Tensor._make(obj)
    if isinstance(obj, dict):
        return type(obj)((k, _tensors(v)) for k, v in obj.items())
    if isinstance(obj, (list, tuple)):
        return type(obj)(_tensors(v) for v in obj)
    return obj


class safe_globals:
    """`with serialization.safe_globals([...]):` lets PyTorch's unpickler accept more classes.
    `load` never unpickles, so there is nothing to allow: a no-op, kept so such code runs."""

    def __init__(self, safe_globals):
        self.safe_globals = list(safe_globals)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def add_safe_globals(safe_globals):
    """See `safe_globals`: nothing is ever unpickled, so nothing needs allowing."""
