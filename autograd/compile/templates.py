"""Source templates: the NumPy call that replays each common op, and the words that describe
it in the generated program's comments. An op without a template replays through its own
`forward` (`v7 = _op7.forward(v5, v6)`), so every op, including new ones, can be compiled.

A template is `fn(op, args, out) -> list of statements` computing `{name}`; `out` is the name
of a reused buffer to write into (`out=`), or None for a fresh array.
"""

import numpy as np

UFUNCS = {"Add": "add", "Subtract": "subtract", "Multiply": "multiply", "Divide": "divide",
          "Power": "power", "Maximum": "maximum", "Minimum": "minimum", "Negative": "negative",
          "Exp": "exp", "Log": "log", "Sqrt": "sqrt", "Tanh": "tanh", "Abs": "absolute",
          "Sin": "sin", "Cos": "cos"}
SYMBOLS = {"Add": "+", "Subtract": "-", "Multiply": "*", "Divide": "/", "Power": "**"}
WRITES_OUT = set(UFUNCS) | {"Relu", "MatMul", "Linear"}  # templates that take out=


def _out(out):
    return f", out={out}" if out else ""


def _ufunc(op, args, out):
    return [f"{{name}} = np.{UFUNCS[op.name]}({', '.join(args)}{_out(out)})"]


def _relu(op, args, out):
    return [f"{{name}} = np.maximum({args[0]}, 0{_out(out)})"]


def _matmul(op, args, out):
    return [f"{{name}} = np.matmul({args[0]}, {args[1]}{_out(out)})"]


def _linear(op, args, out, add_in_place=True):
    x, w, b = args
    first = f"{{name}} = np.matmul({x}, {w}.T{_out(out)})"
    return [first, f"{{name}} += {b}"] if add_in_place else [first, f"{{name}} = {{name}} + {b}"]


def _sum(op, args, out):
    return [f"{{name}} = np.sum({args[0]}, axis={op.axis!r}, keepdims={op.keepdims!r})"]


def _reshape(op, args, out):
    return [f"{{name}} = {args[0]}.reshape({op.shape!r})"]


def _transpose(op, args, out):
    return [f"{{name}} = {args[0]}.transpose({op.axes!r})"]


def _broadcast(op, args, out):
    return [f"{{name}} = np.broadcast_to({args[0]}, {op.shape!r})"]


def _astype(op, args, out):
    return [f"{{name}} = {args[0]}.astype(np.{np.dtype(op.dtype).name})"]


def _simple_index(index):
    parts = index if isinstance(index, tuple) else (index,)
    return all(p is None or p is Ellipsis or isinstance(p, (int, slice)) for p in parts)


def _getitem(op, args, out):
    index = op.index
    if _simple_index(index):
        parts = index if isinstance(index, tuple) else (index,)
        text = ", ".join(_show_part(p) for p in parts) or "()"
        return [f"{{name}} = {args[0]}[{text}]"]
    return None


def _show_part(p):
    if p is Ellipsis:
        return "..."
    if isinstance(p, slice):
        text = ("" if p.start is None else str(p.start)) + ":" + (
            "" if p.stop is None else str(p.stop))
        return text + ("" if p.step is None else f":{p.step}")
    return repr(p)


TEMPLATES = {name: _ufunc for name in UFUNCS}
TEMPLATES.update(Relu=_relu, MatMul=_matmul, Linear=_linear, Sum=_sum, Reshape=_reshape,
                 Transpose=_transpose, BroadcastTo=_broadcast, AsType=_astype, GetItem=_getitem)


def describe(op, shapes, out_shape):
    """The comment words for one op: what it computes on which shapes."""
    name = op.name
    s = [str(tuple(x)) for x in shapes]
    if name == "Linear":
        return f"{s[0]} @ {s[1]}ᵀ + {s[2]}"
    if name == "MatMul":
        return f"{s[0]} @ {s[1]}"
    if name in SYMBOLS and len(s) == 2:
        return f"{s[0]} {SYMBOLS[name]} {s[1]}"
    if name in ("Sum", "Max", "Min"):
        return f"{s[0]} over axes {op.axis} -> {tuple(out_shape)}"
    if name in ("Reshape", "BroadcastTo", "Transpose", "GetItem", "IndexAdd", "AsType"):
        return f"{s[0]} -> {tuple(out_shape)}"
    return f"{', '.join(s)} -> {tuple(out_shape)}"
