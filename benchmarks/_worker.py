"""Measure one library's side of one section in this process and print it as one JSON line.

run.py measures chainrule in its own process and PyTorch through this worker, so the two
never share a process: on a 2-core machine, PyTorch's OpenMP threads and NumPy's OpenBLAS
threads spin-waiting side by side in one process slow each other's matrix products several-fold.

    python benchmarks/_worker.py --lib torch --section nn [--quick]
"""

import argparse
import json

import _common  # noqa: F401  (puts the repo root on sys.path first)
from _common import load_torch


def about(lib):
    if lib != "torch":
        return {}
    torch = load_torch()
    if torch is None:
        import torch  # noqa: F401  (fails again, so the error names the reason)
    return {"version": torch.__version__, "threads": torch.get_num_threads()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lib", choices=["chainrule", "torch"], required=True)
    parser.add_argument("--section", choices=["engine", "nn", "compiled", "about"], required=True)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    try:
        result = measure(args)
    except Exception as e:  # report it as data: run.py shows the reason and skips the column
        print(json.dumps({"error": f"{type(e).__name__}: {e}"}))
        raise SystemExit(1) from None
    print(json.dumps(result))


def measure(args):
    if args.section == "engine":
        import _engine

        result = _engine.measure(args.lib, args.quick)
    elif args.section == "nn":
        import _nn

        result = _nn.measure(args.lib, args.quick)
    elif args.section == "compiled":
        import _compiled

        result = _compiled.measure(args.lib, args.quick)
    else:
        result = {}
    result["about"] = about(args.lib)
    return result


if __name__ == "__main__":
    main()
