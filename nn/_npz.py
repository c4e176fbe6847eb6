"""Reading .npz archives that may be hostile: every member checked before a byte is inflated.

NumPy's own `np.load` is safe against pickles with `allow_pickle=False`, but it inflates any
compressed member whatever its size (a 2 MB file can declare 2 GB), hands back members that are
not .npy arrays as raw bytes, and reports an oversized header as if it were an object array.
Here each member must be a .npy array whose header declares an ordinary dtype and a shape its
stored bytes can hold, and the archive may inflate only so far beyond its size on disk.
"""

import os
import zipfile

import numpy as np

NPY = ".npy"
MAX_HEADER = 10_000           # NumPy's own default limit for .npy headers
INFLATE_FREE = 64 * 2**20     # bytes any archive may inflate to, whatever its size
INFLATE_RATIO = 32            # beyond that, at most this many times the file's size


def _problem(path, message):
    return ValueError(f"load: {path!r}: {message}")


def _check_sizes(infos, disk_size, path):
    """Refuse archives that would inflate far beyond their size on disk (zip bombs)."""
    limit = max(INFLATE_FREE, INFLATE_RATIO * disk_size)
    total = 0
    for info in infos:
        total += info.file_size
        if total > limit:
            raise _problem(path, f"entry {_key(info.filename)!r} would inflate to "
                                 f"{info.file_size:,} bytes from a file of {disk_size:,} "
                                 f"bytes (over {limit:,} in all); refusing what looks like a "
                                 "zip bomb (nn.save never compresses)")


def _key(name):
    return name[:-len(NPY)] if name.endswith(NPY) else name


def _read_header(member, key, size, path):
    """The member's shape, Fortran order and dtype, after checking it is a sane .npy array."""
    not_npy = _problem(path, f"entry {key!r} is not a .npy array")
    try:
        version = np.lib.format.read_magic(member)
    except ValueError:
        raise not_npy from None
    reader = {(1, 0): np.lib.format.read_array_header_1_0,
              (2, 0): np.lib.format.read_array_header_2_0}.get(version)
    if reader is None:  # version 3.0 only adds utf-8 field names; nn.save never writes it
        raise not_npy
    try:
        shape, fortran, dtype = reader(member, max_header_size=MAX_HEADER)
    except ValueError as e:
        if "max_header_size" in str(e):
            length = _header_length(member, version)
            raise _problem(path, f"entry {key!r} has a .npy header of {length:,} bytes, over "
                                 f"the {MAX_HEADER:,} that NumPy reads safely; refusing") from None
        raise _problem(path, f"entry {key!r} has a malformed .npy header ({e})") from None
    if dtype.hasobject:
        raise _problem(path, f"entry {key!r} is an object array, which only pickle could "
                             "load; refusing")
    count = 1
    for n in shape:
        count *= n
    need, have = count * dtype.itemsize, size - member.tell()
    if need > have:
        raise _problem(path, f"entry {key!r} declares shape {shape} of {dtype} ({need:,} bytes) "
                             f"but holds only {have:,} bytes; truncated or corrupt")
    return shape, fortran, dtype


def _header_length(member, version):
    member.seek(8)
    width = 2 if version == (1, 0) else 4
    return int.from_bytes(member.read(width), "little")


def read_npz(f, path):
    """Every array in the .npz open as binary file `f`, by name; a ValueError for anything
    that is not a complete archive of plain .npy arrays."""
    disk_size = os.fstat(f.fileno()).st_size
    try:
        archive = zipfile.ZipFile(f)
    except zipfile.BadZipFile:
        f.seek(0)
        if f.read(6) == b"\x93NUMPY":
            raise ValueError(f"load: {path!r} holds a single .npy array, not an .npz "
                             "archive") from None
        raise ValueError(f"load: {path!r} is not a readable .npz file: truncated, corrupt or "
                         "not an .npz archive (not a zip archive)") from None
    arrays = {}
    with archive:
        infos = archive.infolist()
        _check_sizes(infos, disk_size, path)
        for info in infos:
            key = _key(info.filename)
            if key in arrays:
                raise _problem(path, f"entry {key!r} appears twice")
            if not info.filename.endswith(NPY):
                raise _problem(path, f"entry {info.filename!r} is not a .npy array")
            try:
                with archive.open(info) as member:
                    shape, _, dtype = _read_header(member, key, info.file_size, path)
                with archive.open(info) as member:
                    arrays[key] = np.lib.format.read_array(member, allow_pickle=False,
                                                           max_header_size=MAX_HEADER)
            except ValueError as e:
                if str(e).startswith("load: "):
                    raise
                raise _truncated(path, key, e) from None
            except Exception as e:  # zlib.error, BadZipFile (CRC), EOFError, OSError...
                raise _truncated(path, key, e) from None
            if arrays[key].shape != shape or arrays[key].dtype != dtype:
                raise _truncated(path, key, "its data does not match its header")
    return arrays


def _truncated(path, key, why):
    why = f"{type(why).__name__}: {why}" if isinstance(why, Exception) else why
    return ValueError(f"load: {path!r} is not a readable .npz file: truncated or corrupt, "
                      f"entry {key!r} is unreadable ({why})")
