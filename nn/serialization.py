"""`nn.save` / `nn.load`: state dicts and checkpoints as .npz or .safetensors, never pickle.

The path's suffix chooses the format. `.safetensors` holds a flat dict of arrays, a state dict,
and is the file PyTorch opens (`safetensors.torch.load_file`). Anything else is an ordinary
NumPy .npz (a zip of .npy arrays) that also holds nested checkpoints. Nested dicts, lists and
tuples are flattened: an array at `ckpt["optimizer"]["state"][0]["exp_avg"]` is stored under
the key "optimizer/state/0/exp_avg" (the separator is "/", so dict keys may not contain it). A
JSON manifest under "__manifest__" records the structure (which keys were ints, what was a
tuple) and holds Python scalars (bool, int, float, str, None) exactly, so they come back as
they went in. A flat state dict's arrays keep their own names ("0.weight"), and `np.load` reads
them too.

Saving is atomic (`_atomic.py`: a temporary file beside the target, fsync, `os.replace`), with
the permissions `open()` would give. Loading treats the file as untrusted (`_npz.py`): no
pickle, no member that is not a .npy array, no archive that inflates far beyond its size, no
manifest that `save` would not have written.
"""

import json
import os
import zipfile
from typing import Any

import numpy as np

from autograd import Tensor

from ._atomic import write_atomically
from ._npz import read_npz
from ._safetensors import _is_safetensors, _load_safetensors, _safetensors_bytes

SEP = "/"
MANIFEST = "__manifest__"


def _encode(value, path, arrays):
    """A JSON-able description of `value`; arrays go into `arrays` under their joined path."""
    where = SEP.join(path)
    if isinstance(value, Tensor):
        value = value._data
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
        if array.dtype.hasobject:
            raise TypeError(f"save: {where!r} is an object array; only arrays of numbers, "
                            "bools or strings can be saved (object arrays would need pickle)")
        if where in arrays:
            raise ValueError(f"save: two entries flatten to the same key {where!r}")
        arrays[where] = array
        return {"array": where, "scalar": isinstance(value, np.generic)}
    if isinstance(value, dict):
        items = []
        for key, item in value.items():
            if isinstance(key, bool) or not isinstance(key, (str, int)):
                raise TypeError(f"save: dict keys must be str or int, got {key!r} in "
                                f"{where or 'the top level'}")
            if isinstance(key, str) and (not key or SEP in key or key == MANIFEST):
                raise ValueError(f"save: invalid key {key!r} in {where or 'the top level'} "
                                 f"(keys must be non-empty and must not contain {SEP!r})")
            items.append([key, _encode(item, path + (str(key),), arrays)])
        return {"dict": items}
    if isinstance(value, (list, tuple)):
        kind = "list" if isinstance(value, list) else "tuple"
        return {kind: [_encode(item, path + (str(i),), arrays) for i, item in enumerate(value)]}
    if value is None or isinstance(value, (bool, int, float, str)):
        return {"value": value}
    raise TypeError(f"save: cannot save a {type(value).__name__} at {where!r}; use arrays, "
                    "Python numbers, strings, None, and dicts/lists/tuples of them")


MAX_DEPTH = 200  # nesting a manifest may have; real checkpoints use fewer than ten levels


def _decode(node, arrays, where, depth=0):
    """The object a manifest node describes; a ValueError for anything `_encode` never writes."""
    if depth > MAX_DEPTH:
        raise ValueError(f"the manifest nests deeper than {MAX_DEPTH} levels")
    if not isinstance(node, dict) or not 1 <= len(node) <= 2:
        raise ValueError(f"the manifest is malformed at {where or 'the top level'}")
    if "array" in node:
        name, scalar = node["array"], node.get("scalar", False)
        if not isinstance(name, str) or not isinstance(scalar, bool) or (
                len(node) == 2 and "scalar" not in node):
            raise ValueError(f"the manifest is malformed at {where or 'the top level'}")
        if name not in arrays:
            raise ValueError(f"the manifest names a missing array {name!r}")
        return arrays[name][()] if scalar else arrays[name]
    if len(node) != 1:
        raise ValueError(f"the manifest is malformed at {where or 'the top level'}")
    (kind, body), = node.items()
    if kind == "value":
        if body is not None and not isinstance(body, (bool, int, float, str)):
            raise ValueError(f"the manifest holds a {type(body).__name__} at {where!r}, "
                             "not a Python scalar")
        return body
    if kind in ("dict", "list", "tuple") and not isinstance(body, list):
        raise ValueError(f"the manifest's {kind} at {where or 'the top level'} is not a list")
    if kind == "dict":
        out = {}
        for pair in body:
            if (not isinstance(pair, list) or len(pair) != 2 or isinstance(pair[0], bool)
                    or not isinstance(pair[0], (str, int))):
                raise ValueError(f"the manifest's dict at {where or 'the top level'} holds "
                                 f"{pair!r:.60}, not a [str or int key, entry] pair")
            key = pair[0]
            out[key] = _decode(pair[1], arrays, f"{where}{SEP}{key}" if where else str(key),
                               depth + 1)
        return out
    if kind in ("list", "tuple"):
        items = [_decode(item, arrays, f"{where}{SEP}{i}" if where else str(i), depth + 1)
                 for i, item in enumerate(body)]
        return items if kind == "list" else tuple(items)
    raise ValueError(f"the manifest is malformed (unknown entry {kind!r:.40})")


def save(obj: dict[Any, Any], path: str | os.PathLike[str]) -> None:
    """Write a state dict (or a dict of them, e.g. {"model": ..., "optimizer": ..., "epoch": 3})
    to `path`, atomically: either the whole new file is there or the old one is.

    The suffix chooses the format: `.safetensors` for a flat dict of arrays (a state dict),
    which PyTorch and other libraries open with the `safetensors` package; anything else is an
    .npz with a manifest, which also holds nested checkpoints and Python scalars. The file gets
    the permissions `open()` would give it (or keeps the existing file's), and a symlink at
    `path` is followed.
    """
    if not isinstance(obj, dict):
        raise TypeError(f"save: expected a dict (a state dict or checkpoint), got "
                        f"{type(obj).__name__}")
    if _is_safetensors(path):
        data = _safetensors_bytes(obj)
        write_atomically(path, lambda f: f.write(data))
        return
    arrays: dict[str, np.ndarray] = {}
    tree = _encode(obj, (), arrays)  # every check happens before the disk is touched

    def write(f):
        with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
            members = [(MANIFEST, np.array(json.dumps(tree)))] + list(arrays.items())
            for key, array in members:
                with archive.open(key + ".npy", "w", force_zip64=True) as member:
                    np.lib.format.write_array(member, array, allow_pickle=False)

    write_atomically(path, write)


def load(path: str | os.PathLike[str]) -> dict[Any, Any]:
    """Read a file written by `save` (or any .npz of plain arrays, or any .safetensors file)
    back into dicts of arrays.

    Never unpickles. A file that is not a complete archive of plain arrays (object arrays,
    members that are not .npy, a manifest `save` would not write, a member that would inflate
    far beyond the file's size) is a ValueError naming the path.
    """
    path = os.fspath(path)
    if _is_safetensors(path):
        return _load_safetensors(path)
    with open(path, "rb") as f:
        arrays = read_npz(f, path)
    manifest = arrays.pop(MANIFEST, None)
    if manifest is None:
        return arrays
    try:
        tree = json.loads(str(manifest))
        return _decode(tree, arrays, "")
    except RecursionError:
        raise ValueError(f"load: {path!r}: the manifest nests too deeply") from None
    except ValueError as e:  # json.JSONDecodeError is a ValueError too
        why = "not valid JSON" if isinstance(e, json.JSONDecodeError) else e
        raise ValueError(f"load: {path!r}: {why}") from None
