"""The .safetensors side of `nn.save` / `nn.load`: flat dicts of arrays that PyTorch opens.

A state dict here already has PyTorch's key names, shapes, dtypes and layout (Linear weights
are (out, in), convolution kernels OIHW), so a file written here loads into the same PyTorch
model with `safetensors.torch.load_file` and `load_state_dict(strict=True)`, and the reverse.
safetensors stores flat tensors only; checkpoints with optimizer state stay .npz.

safetensors writes tensors in its own order (by dtype, then name); the original order goes
into the file's metadata so that `load` gives the keys back as `state_dict()` listed them.
"""

import json
import os

import numpy as np

from autograd import Tensor

SUFFIX = ".safetensors"
ORDER = "chainrule.order"


def _is_safetensors(path):
    return os.fspath(path).lower().endswith(SUFFIX)


def _safetensors_bytes(obj):
    """The bytes of a .safetensors file holding the flat dict `obj` of arrays or Tensors."""
    from safetensors.numpy import save as to_bytes

    arrays = {}
    for key, value in obj.items():
        if not isinstance(key, str) or not key:
            raise TypeError(f"save: a .safetensors file maps non-empty str names to arrays; got "
                            f"the key {key!r}")
        if isinstance(value, Tensor):
            value = value._data
        if not isinstance(value, (np.ndarray, np.generic)):
            raise TypeError(f"save: {key!r} is a {type(value).__name__}; a .safetensors file "
                            "holds a flat dict of arrays (a state dict). Save nested "
                            "checkpoints (optimizer state, epochs) to a .npz path instead")
        arrays[key] = np.require(np.asarray(value), requirements="C")  # keeps 0-d arrays 0-d
    try:
        return to_bytes(arrays, metadata={ORDER: json.dumps(list(arrays))})
    except Exception as e:  # safetensors' own error type: an unsupported dtype
        raise TypeError(f"save: cannot write this dict as .safetensors ({e})") from None


def _load_safetensors(path):
    from safetensors import safe_open

    try:
        with safe_open(path, framework="numpy") as f:
            metadata = f.metadata() or {}
            arrays = {key: f.get_tensor(key) for key in f.keys()}
    except OSError:
        raise
    except Exception as e:  # SafetensorError: a truncated file, a bad header, wrong offsets
        raise ValueError(f"load: {path!r} is not a readable .safetensors file ({e})") from None
    try:
        order = json.loads(metadata.get(ORDER, "[]"))
    except ValueError:
        order = []
    if isinstance(order, list) and sorted(map(str, order)) == sorted(arrays):
        arrays = {key: arrays[key] for key in order}
    return arrays
