"""What every benchmark shares: finding the repo's packages, the optional PyTorch import,
median-of-repeats timing, peak-RSS readings, and the result row that the table prints.

PyTorch is only ever imported here, inside `load_torch`, so the benchmarks run without it.
"""

import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# `python benchmarks/run.py` puts benchmarks/ first on sys.path, not the repo root; put the root
# there too, so the working tree's autograd/nn/optim are the ones measured (not an installed copy).
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def load_torch(wanted=True):
    """PyTorch if it is importable (and wanted), else None. Never a dependency."""
    if not wanted:
        return None
    try:
        import torch
    except Exception:  # ImportError, or a broken install: either way, no torch column
        return None
    return torch


def median_time(fn, inner, reps, warmup=1):
    """Seconds per call of `fn`: `warmup` untimed rounds, then the median over `reps` rounds
    of the mean over `inner` calls (the median shrugs off a round hit by the scheduler)."""
    for _ in range(warmup):
        for _ in range(inner):
            fn()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        for _ in range(inner):
            fn()
        times.append((time.perf_counter() - start) / inner)
    return statistics.median(times)


def median_times_interleaved(fns, inner, reps, warmup=1):
    """`median_time` for several functions at once, their rounds interleaved (a, b, a, b, ...),
    so a burst of outside load hits all of them alike and their ratio stays fair."""
    for fn in fns:
        for _ in range(warmup * inner):
            fn()
    times = [[] for _ in fns]
    for _ in range(reps):
        for fn, out in zip(fns, times):
            start = time.perf_counter()
            for _ in range(inner):
                fn()
            out.append((time.perf_counter() - start) / inner)
    return [statistics.median(t) for t in times]


def median_split(fn, inner, reps, warmup=1):
    """Like `median_time` for a `fn` that returns its own (t_a, t_b) pair of phase timings:
    the median over rounds of each phase's mean over `inner` calls."""
    for _ in range(warmup):
        for _ in range(inner):
            fn()
    a_times, b_times = [], []
    for _ in range(reps):
        a = b = 0.0
        for _ in range(inner):
            ta, tb = fn()
            a += ta
            b += tb
        a_times.append(a / inner)
        b_times.append(b / inner)
    return statistics.median(a_times), statistics.median(b_times)


# --- memory: the kernel's counters, not tracemalloc (which slows everything ~3x) -------------
def _status_kb(key):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def rss_bytes():
    """Current resident set size (bytes), or None off Linux."""
    kb = _status_kb("VmRSS")
    return None if kb is None else kb * 1024


def reset_peak_rss():
    """Reset the kernel's peak-RSS mark to the current RSS (Linux >= 4.0). True if it worked;
    otherwise the peak since process start is what `peak_rss_bytes` reports."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def peak_rss_bytes():
    """Peak resident set size (bytes) since start or since the last `reset_peak_rss`."""
    kb = _status_kb("VmHWM")
    if kb is not None:
        return kb * 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


# --- results --------------------------------------------------------------------------------
@dataclass
class Row:
    """One line of the table. `ours`/`theirs` are numbers (or None: not measured);
    `target` is (op, bound) with op '<' or '<=', or None when the figure has no target."""

    name: str
    unit: str
    ours: float = None
    theirs: float = None
    target: tuple = None
    fmt: str = "{:.2f}"
    note: str = ""

    def passed(self):
        if self.target is None or self.ours is None:
            return None
        op, bound = self.target
        return self.ours < bound if op == "<" else self.ours <= bound


def fmt_value(row, value):
    return "—" if value is None else row.fmt.format(value)


def marks():
    """✓/✗ when the terminal can print them, else ok/FAIL."""
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        "✓✗—µ".encode(encoding)
        return "✓", "✗"
    except (UnicodeEncodeError, LookupError):
        return "ok", "FAIL"


def print_table(title, rows, torch_label):
    yes, no = marks()
    header = ["benchmark", "unit", "chainrule", torch_label, "target", ""]
    body = []
    for r in rows:
        ok = r.passed()
        target = "" if r.target is None else f"{r.target[0]} {r.fmt.format(r.target[1])}"
        body.append([r.name, r.unit, fmt_value(r, r.ours), fmt_value(r, r.theirs), target,
                     "" if ok is None else (yes if ok else no)])
    widths = [max(len(str(line[i])) for line in [header] + body) for i in range(len(header))]
    right = {2, 3, 4}

    def line(cells):
        return "  ".join(str(c).rjust(w) if i in right else str(c).ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    print(f"\n{title}")
    print(line(header))
    print("  ".join("-" * w for w in widths))
    for cells in body:
        print(line(cells))
    notes = [r for r in rows if r.note]
    for r in notes:
        print(f"  * {r.name}: {r.note}")
    sys.stdout.flush()


class CpuWatch:
    """How busy *other* processes kept the CPUs while we ran: all CPU time the kernel counted
    (/proc/stat, steal included) minus this process's and its waited-for children's.
    On a 2-core machine anything else running distorts the timings, BLAS ones most."""

    def __init__(self):
        self.start = self._sample()

    @staticmethod
    def _sample():
        try:
            with open("/proc/stat") as f:
                fields = [int(v) for v in f.readline().split()[1:9]]
        except (OSError, ValueError):
            return None
        user, nice, system, idle, iowait, irq, softirq, steal = fields
        busy = (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
        t = os.times()
        own = t.user + t.system + t.children_user + t.children_system
        return time.perf_counter(), busy, own

    def others_share(self):
        """Fraction (0..1) of all CPUs' time that other processes used since creation."""
        end = self._sample()
        if self.start is None or end is None:
            return None
        wall = end[0] - self.start[0]
        others = (end[1] - self.start[1]) - (end[2] - self.start[2])
        return max(0.0, others / (wall * cpu_count())) if wall > 0 else None


def cpu_count():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count()
