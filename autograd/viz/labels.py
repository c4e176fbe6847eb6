"""How pictures write numbers, arrays, shapes and op arguments: short, and the same every run."""

import re

import numpy as np

# Operators read best as their symbol; three ops whose class names split badly keep NumPy's name.
_SYMBOLS = {"Add": "+", "Subtract": "-", "Multiply": "*", "Divide": "/", "Power": "**",
            "MatMul": "@", "Negative": "neg"}
_NAMES = {"LogSumExp": "logsumexp", "GetItem": "getitem", "AsType": "astype"}
SMALL = 4  # arrays with at most this many entries are written out in full


def num(x):
    """A number in at most 4 significant digits: 2, 0.5, 1.333, 1e+06."""
    x = float(x)
    if np.isnan(x):
        return "nan"
    if np.isinf(x):
        return "inf" if x > 0 else "-inf"
    text = f"{x:.4g}"
    return "0" if text == "-0" else text


def shape(s):
    """A shape as Python writes a tuple: (), (3,), (2, 3)."""
    return "(" + ", ".join(str(n) for n in s) + ("," if len(s) == 1 else "") + ")"


def entries(a):
    """[1, 2, 3]: the entries of a small array, flattened."""
    return "[" + ", ".join(num(v) for v in np.ravel(a)) + "]"


def value(title, a):
    """A tensor's value after its title: `a = 2`, `x = [1, 2]`, or shape and range on a new line."""
    a = np.asarray(a)
    if a.dtype.kind not in "iufb":
        return f"{title}\\n{shape(a.shape)} {a.dtype}"
    if a.size == 1 and a.ndim == 0:
        return f"{title} = {num(a.item())}"
    if a.size <= SMALL:
        return f"{title} = {entries(a)}" + (f"\\n{shape(a.shape)}" if a.ndim > 1 else "")
    if a.size == 0:
        return f"{title}\\n{shape(a.shape)} empty"
    finite = a[np.isfinite(a)] if a.dtype.kind == "f" else a
    low, high = (finite.min(), finite.max()) if finite.size else (None, None)
    span = ("all non-finite" if low is None else f"all {num(low)}" if low == high
            else f"∈ [{num(low)}, {num(high)}]")
    if finite.size != a.size:
        span += ", has nan/inf"
    return f"{title}\\n{shape(a.shape)} {span}"


def brief(a):
    """A gradient, adjoint or tangent in one short phrase: the number, the entries, or the norm."""
    a = np.asarray(a)
    if a.size == 1:
        return num(a.item())
    if a.size <= SMALL:
        return entries(a)
    return f"‖·‖={num(np.linalg.norm(a.astype(np.float64)))}"


def op_name(op):
    """`+` for Add, `broadcast_to` for BroadcastTo, `exp` for Exp."""
    cls = type(op).__name__
    return _SYMBOLS.get(cls) or _NAMES.get(cls) or re.sub(
        r"(?<=[a-z0-9])(?=[A-Z])", "_", cls).lower()


def op_label(op):
    """The op's name and its non-tensor arguments, e.g. `sum(axis=(0,))`. Arguments that are
    None or False (`keepdims=False`, an unset clip bound) are left out as noise."""
    args = []
    for key in op.params():
        v = getattr(op, key, None)
        if v is None or v is False:
            continue
        args.append(f"{key}={_arg(v)}")
    name = op_name(op)
    return f"{name}({', '.join(args)})" if args else name


def _arg(v):
    if isinstance(v, np.ndarray):
        return entries(v) if v.size <= SMALL and v.dtype.kind != "b" else \
            f"{v.dtype.name}{shape(v.shape)}"
    if isinstance(v, np.dtype):
        return v.name
    if isinstance(v, slice):
        parts = ["" if p is None else str(p) for p in (v.start, v.stop, v.step)]
        return ":".join(parts[:2] if v.step is None else parts)
    if v is Ellipsis:
        return "..."
    if isinstance(v, tuple):
        return "(" + ", ".join(_arg(p) for p in v) + ("," if len(v) == 1 else "") + ")"
    if isinstance(v, (float, np.floating)):
        return num(v)
    text = repr(v)
    return text if len(text) <= 24 else text[:21] + "..."
