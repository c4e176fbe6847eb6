"""`ag.save` / `ag.load`: PyTorch's spellings of `nn.save` / `nn.load` (never pickle).

The nn package imports autograd, so these import it when called, not when autograd loads.
"""

from .devices import check_device


def save(obj, f, **kwargs):
    """Write `obj` (a state dict, a checkpoint of nested dicts) to the path `f`; see nn.save."""
    if kwargs:
        raise TypeError(f"save: unsupported arguments {sorted(kwargs)}; the format is chosen "
                        "by the file's suffix (.npz or .safetensors)")
    from nn import save as nn_save

    return nn_save(obj, f)


def load(f, map_location=None, weights_only=None, **kwargs):
    """Read a file written by `save`; `map_location` may only name the CPU. Nothing is ever
    unpickled, so `weights_only` is accepted and always effectively True."""
    if kwargs:
        raise TypeError(f"load: unsupported arguments {sorted(kwargs)}")
    if map_location is not None and not callable(map_location) and not isinstance(
            map_location, dict):
        check_device("load(map_location=...)", map_location)
    from nn import load as nn_load

    return nn_load(f)


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
