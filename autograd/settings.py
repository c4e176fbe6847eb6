"""Global settings PyTorch programs set: print options, the float32 matmul precision hint,
determinism and thread counts (recorded: NumPy on the CPU is deterministic already, and its BLAS
fixes its threads at start-up)."""

import os

import numpy as np

# "default" is how tensors print here by default: NumPy's own defaults.
_PROFILES = {"default": dict(precision=8, threshold=1000, edgeitems=3, linewidth=75,
                             suppress=False),
             "short": dict(precision=2, threshold=1000, edgeitems=2, linewidth=75),
             "full": dict(precision=8, threshold=np.inf, edgeitems=3, linewidth=75)}


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None):
    """How tensors print (their repr is NumPy's array printing, so these set NumPy's options,
    with PyTorch's names and profiles)."""
    options = dict(_PROFILES[profile]) if profile is not None else {}
    given = dict(precision=precision, threshold=threshold, edgeitems=edgeitems,
                 linewidth=linewidth)
    options.update({k: v for k, v in given.items() if v is not None})
    if sci_mode is not None:
        options["suppress"] = not sci_mode
    np.set_printoptions(**options)


_matmul_precision = "highest"


def set_float32_matmul_precision(precision):
    """A hint for GPUs' reduced-precision matmul units; NumPy always multiplies float32 at full
    float32 precision, so the hint is recorded and changes nothing."""
    global _matmul_precision
    if precision not in ("highest", "high", "medium"):
        raise RuntimeError(f"set_float32_matmul_precision: expected 'highest', 'high' or "
                           f"'medium', got {precision!r}")
    _matmul_precision = precision


def get_float32_matmul_precision():
    return _matmul_precision


_deterministic = False


def use_deterministic_algorithms(mode, *, warn_only=False):
    """Every op here is deterministic already (NumPy on the CPU), so this only records the
    setting for `are_deterministic_algorithms_enabled`."""
    global _deterministic
    _deterministic = bool(mode)


def are_deterministic_algorithms_enabled():
    return _deterministic


_threads = None


def set_num_threads(n):
    """Recorded for `get_num_threads`; NumPy's BLAS sets its thread count at start-up (from
    OMP_NUM_THREADS), so this does not change it. Results are the same either way."""
    global _threads
    if not isinstance(n, int) or n < 1:
        raise RuntimeError(f"set_num_threads: expected a positive int, got {n!r}")
    _threads = n


def get_num_threads():
    return _threads or len(os.sched_getaffinity(0))
