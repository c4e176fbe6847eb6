"""Benchmarks for chainrule, next to PyTorch when it is importable, on the same machine in
the same run.

    python benchmarks/run.py             # everything (~40 s on an idle 2-core machine)
    python benchmarks/run.py --quick     # fewer repeats, a 100k-op chain instead of 1M
    python benchmarks/run.py --only engine       # or --only nn, --only compiled
    python benchmarks/run.py --no-torch          # chainrule alone

The engine section times one recorded op (a 200-op mul/add/tanh chain) and a million-op
chain's time and memory; the nn section times training steps of an MLP, a small CNN and
micrograd's scalar-sized demo. Each figure is a median over repeats after warm-up; figures
with a target get a ✓ or ✗. benchmarks/README.md says what each one means.
"""

import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import _common  # noqa: F401  (puts the repo root on sys.path first)
import numpy as np
from _common import CpuWatch, cpu_count, marks, print_table

WORKER = Path(__file__).resolve().parent / "_worker.py"


def torch_side(section, quick):
    """PyTorch's figures for `section`, measured in a separate process (see _worker.py), or
    {'error': ...}. This process never imports torch."""
    command = [sys.executable, str(WORKER), "--lib", "torch", "--section", section]
    try:
        done = subprocess.run(command + (["--quick"] if quick else []),
                              capture_output=True, text=True, timeout=900)
    except subprocess.TimeoutExpired:
        return {"error": "timed out"}
    lines = done.stdout.strip().splitlines()
    try:
        result = json.loads(lines[-1]) if lines else {}
    except ValueError:
        result = {}
    if done.returncode != 0 or not result:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": result.get("error") or f"worker exited {done.returncode}: {tail}"}
    return result


def environment(torch_about):
    lines = [
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"{cpu_count()} CPU cores ({platform.machine()}, {platform.system()})",
    ]
    if torch_about is None:
        lines.append("torch: not importable (or --no-torch): its column is skipped")
    elif "error" in torch_about:
        lines.append(f"torch: failed to start ({torch_about['error']}): its column is skipped")
    else:
        lines.append(f"torch {torch_about['version']}, torch.get_num_threads() = "
                     f"{torch_about['threads']} (its default), measured in its own process")
    if hasattr(os, "getloadavg"):
        lines.append("load average at start: " + " ".join(f"{v:.2f}" for v in os.getloadavg())
                     + " (1, 5, 15 min)")
    threads = {k: os.environ[k] for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                          "MKL_NUM_THREADS") if k in os.environ}
    if threads:
        lines.append("thread settings: " + ", ".join(f"{k}={v}" for k, v in threads.items()))
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description="chainrule benchmarks (vs PyTorch if installed)")
    parser.add_argument("--quick", action="store_true",
                        help="fewer repeats and a 100k-op chain: under ~30 s")
    parser.add_argument("--only", choices=["engine", "nn", "compiled"], help="run one section")
    parser.add_argument("--no-torch", action="store_true", help="leave PyTorch out")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    watch = CpuWatch()

    use_torch = not args.no_torch and importlib.util.find_spec("torch") is not None
    torch_about = torch_side("about", args.quick) if use_torch else None
    if torch_about is not None:
        torch_about = torch_about.get("about", torch_about)
        use_torch = "error" not in torch_about
    torch_label = "torch" if use_torch else "torch (n/a)"
    print("chainrule benchmarks" + (" (--quick)" if args.quick else ""))
    env = environment(torch_about)
    for line in env:
        print("  " + line)
    sys.stdout.flush()

    sections, problems, compiled_verdicts = {}, [], []

    def theirs(section):
        if not use_torch:
            return None
        result = torch_side(section, args.quick)
        if "error" in result:
            problems.append(f"torch {section} section: {result['error']}")
            return None
        problems.extend(result.get("errors", []))
        return result

    if args.only in (None, "engine"):
        import _engine

        ours = _engine.measure("chainrule", args.quick)
        other = theirs("engine")
        problems.extend(_engine.errors(ours, "chainrule") + _engine.errors(other, "torch"))
        sections["engine"] = _engine.rows(ours, other, args.quick)
        print_table("Engine (issue 2)", sections["engine"], torch_label)
    if args.only in (None, "nn"):
        import _nn

        ours = _nn.measure("chainrule", args.quick)
        problems.extend(ours["errors"])
        other = theirs("nn")
        sections["nn"] = _nn.rows(ours, other)
        print_table("nn (issue 3)", sections["nn"], torch_label)

    if args.only in (None, "compiled"):
        import _compiled

        ours = _compiled.measure("chainrule", args.quick)
        other = theirs("compiled")
        problems.extend(ours.pop("errors") + (other or {}).pop("errors", []))
        sections["compiled"] = ours, other
        compiled_verdicts = _compiled.print_compiled(ours, other)

    for problem in problems:
        print(f"  ! not measured: {problem}")
    compiled = sections.pop("compiled", None)
    all_rows = [r for rows in sections.values() for r in rows]
    verdicts = [r.passed() for r in all_rows if r.passed() is not None]
    verdicts += [v for v in compiled_verdicts if v is not None]
    yes, no = marks()
    print(f"\n{sum(verdicts)} of {len(verdicts)} targets met {yes}, "
          f"{len(verdicts) - sum(verdicts)} missed {no}; "
          f"ran in {time.perf_counter() - started:.0f} s")
    others = watch.others_share()
    if others is not None:
        warn = "  (figures are unreliable: rerun on a quiet machine)" if others > 0.1 else ""
        print(f"other processes used {others:.0%} of the CPUs during the run{warn}")

    if args.json:
        with open(args.json, "w") as f:
            json.dump({
                "environment": env,
                "quick": args.quick,
                "others_cpu_share": others,
                "problems": problems,
                "sections": {name: [{"name": r.name, "unit": r.unit, "chainrule": r.ours,
                                     "torch": r.theirs, "target": r.target,
                                     "passed": r.passed()} for r in rows]
                             for name, rows in sections.items()},
                "compiled": compiled,
            }, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
