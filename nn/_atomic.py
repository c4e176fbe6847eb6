"""Atomic file replacement for checkpoints: the whole new file, or the old one, never half.

The bytes go to a temporary file beside the target, which is flushed, fsynced and renamed over
the target. Three details make this behave like `open(path, "wb")` from the user's side:

- the temporary file is created with mode 0o666 less the umask (what `open` gives), or with the
  existing target's mode, since `os.replace` keeps the temporary file's mode;
- a symlink is followed, so `latest.npz -> run/ckpt.npz` updates `run/ckpt.npz` and stays a link;
- errors name the target, not the hidden temporary file.

A save killed between creating and renaming its temporary file leaves it behind. Its name holds
the writer's process id, so the next save to the same target removes the ones whose writer has
exited (or that nobody touched for a day); a live writer's file is left alone.
"""

import contextlib
import errno as errnos
import os
import secrets
import stat
import time

STALE_AFTER = 60.0          # seconds: a dead writer's file is removed only once this old
ABANDONED_AFTER = 86400.0   # seconds: any temporary file of ours this old is removed


def _temp_name(folder, base):
    return os.path.join(folder, f".{base}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def _writer_is_gone(name, prefix):
    pid = name[len(prefix):].split("-", 1)[0]
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, but owned by someone else
        return False
    return False


def remove_stale_temp_files(folder, base):
    """Remove temporary files that earlier, interrupted saves to `base` left in `folder`."""
    prefix = f".{base}."
    now = time.time()
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if not (entry.name.startswith(prefix) and entry.name.endswith(".tmp")):
                continue
            with contextlib.suppress(OSError):
                age = now - entry.stat(follow_symlinks=False).st_mtime
                if age > ABANDONED_AFTER or (age > STALE_AFTER
                                             and _writer_is_gone(entry.name, prefix)):
                    os.unlink(entry.path)


def _mode_for(target):
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return None


def write_atomically(path, write, what="save"):
    """Call `write(file)` on a fresh temporary file, then move it over `path` in one step."""
    path = os.fspath(path)
    target = os.path.realpath(path)
    folder, base = os.path.split(target)
    remove_stale_temp_files(folder, base)
    tmp = _temp_name(folder, base)
    try:
        # 0o666 here lets the kernel apply the umask, exactly as open() does.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o666)
    except OSError as e:
        raise _naming(e, path, what) from None
    try:
        mode = _mode_for(target)
        if mode is not None:
            os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError) and e.errno is not None:
            raise _naming(e, path, what) from None
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable, where possible
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _naming(error, path, what):
    """The same kind of OSError, about the file the user named rather than our temporary one."""
    if error.errno is None:
        return error
    strerror = error.strerror or os.strerror(error.errno)
    if error.errno == errnos.ENOENT and not os.path.isdir(os.path.dirname(os.path.abspath(path))):
        strerror += " (the folder does not exist)"
    return type(error)(error.errno, f"{what}: cannot write {path!r}: {strerror}")
