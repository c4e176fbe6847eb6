"""Keep freed memory for the next training step (Linux with glibc only).

Every op returns a fresh NumPy array, and a backward pass frees them all. By default glibc
serves arrays over 128 KiB with fresh mmap()s and hands the top of its heap back to the OS, so
each step page-faults its memory in again: on a small CNN that was half the step's time. We ask
glibc to serve arrays up to 32 MiB from its heap and to keep 64 MiB of padding at the top, so
a step reuses the previous step's memory. Nothing changes for the values computed.

Set CHAINRULE_TUNE_MALLOC=0 to leave the allocator alone; glibc's own MALLOC_* environment
variables, when set, take precedence.
"""

import ctypes
import os
import platform
import sys

M_TOP_PAD = -2
M_MMAP_THRESHOLD = -3
MIB = 1 << 20


def tune():
    """Returns True if glibc accepted the settings."""
    if os.environ.get("CHAINRULE_TUNE_MALLOC", "1") == "0" or not sys.platform.startswith("linux"):
        return False
    if platform.libc_ver()[0] != "glibc":
        return False
    if any(k in os.environ for k in ("MALLOC_TOP_PAD_", "MALLOC_MMAP_THRESHOLD_")):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    return bool(libc.mallopt(M_MMAP_THRESHOLD, 32 * MIB) and libc.mallopt(M_TOP_PAD, 64 * MIB))


tuned = tune()
