"""`nn.save` / `nn.load`: state dicts and checkpoints as .npz files, never pickle.

The file is an ordinary NumPy .npz (a zip of .npy arrays). Nested dicts, lists and tuples are
flattened: an array at `ckpt["optimizer"]["state"][0]["exp_avg"]` is stored under the key
"optimizer/state/0/exp_avg" (the separator is "/", so dict keys may not contain it). A JSON
manifest under "__manifest__" records the structure (which keys were ints, what was a tuple)
and holds Python scalars (bool, int, float, str, None) exactly, so they come back as they
went in. A flat state dict's arrays keep their own names ("0.weight"), and `np.load` reads
them too. Saving is atomic: a temporary file in the same folder, fsync, then `os.replace`.
"""

import contextlib
import json
import os
import tempfile
import zipfile

import numpy as np

from autograd import Tensor

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


def _decode(node, arrays, path):
    if not isinstance(node, dict) or len(node) not in (1, 2):
        raise ValueError(f"load: {path}: the manifest is malformed")
    if "array" in node:
        array = arrays.get(node["array"])
        if array is None:
            raise ValueError(f"load: {path}: the manifest names a missing array "
                             f"{node['array']!r}")
        return array[()] if node.get("scalar") else array
    (kind, body), = node.items()
    if kind == "value":
        return body
    if kind == "dict":
        return {key: _decode(item, arrays, path) for key, item in body}
    if kind in ("list", "tuple"):
        items = [_decode(item, arrays, path) for item in body]
        return items if kind == "list" else tuple(items)
    raise ValueError(f"load: {path}: the manifest is malformed (unknown entry {kind!r})")


def save(obj, path):
    """Write a state dict (or a dict of them, e.g. {"model": ..., "optimizer": ..., "epoch": 3})
    to `path` as .npz, atomically: either the whole new file is there or the old one is."""
    if not isinstance(obj, dict):
        raise TypeError(f"save: expected a dict (a state dict or checkpoint), got "
                        f"{type(obj).__name__}")
    arrays = {}
    tree = _encode(obj, (), arrays)  # every check happens before the disk is touched
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
                members = [(MANIFEST, np.array(json.dumps(tree)))] + list(arrays.items())
                for key, array in members:
                    with archive.open(key + ".npy", "w", force_zip64=True) as member:
                        np.lib.format.write_array(member, array, allow_pickle=False)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable, where possible
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _read_arrays(f, path):
    try:
        archive = np.load(f, allow_pickle=False)
    except Exception as e:
        # NumPy takes anything that is neither .npz nor .npy for a pickle, and its message
        # suggests unpickling it; we never do, so we name the file's problem instead.
        why = "neither .npz nor .npy" if "allow_pickle" in str(e) else f"{type(e).__name__}: {e}"
        raise ValueError(f"load: {path!r} is not a readable .npz file: truncated, corrupt or "
                         f"not an .npz archive ({why})") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise ValueError(f"load: {path!r} holds a single .npy array, not an .npz archive")
    arrays = {}
    with archive:
        for key in archive.files:
            try:
                arrays[key] = archive[key]
            except ValueError as e:
                if "allow_pickle" in str(e):
                    raise ValueError(f"load: {path!r}: entry {key!r} is an object array, "
                                     "which only pickle could load; refusing") from None
                raise ValueError(f"load: {path!r}: entry {key!r} is unreadable ({e})") from None
            except Exception as e:
                raise ValueError(f"load: {path!r} is truncated or corrupt: entry {key!r} is "
                                 f"unreadable ({type(e).__name__}: {e})") from None
    return arrays


def load(path):
    """Read a file written by `save` (or any .npz of plain arrays) back into dicts of arrays.

    Never unpickles. A file that is not a complete .npz, or that holds object arrays, is a
    ValueError naming the path.
    """
    path = os.fspath(path)
    with open(path, "rb") as f:  # ours to close, whatever np.load makes of the bytes
        arrays = _read_arrays(f, path)
    manifest = arrays.pop(MANIFEST, None)
    if manifest is None:
        return arrays
    try:
        tree = json.loads(str(manifest))
    except ValueError:
        raise ValueError(f"load: {path!r}: the manifest is not valid JSON") from None
    return _decode(tree, arrays, repr(path))
