"""Engine ops -> ONNX nodes: the fallback for code that is not one of the known layers.

Each entry takes a `Site` (the op in every trace, its input names and tensors, its outputs)
and returns the name of the ONNX value it computed. An op missing here is refused by name.
ONNX's binary ops broadcast as NumPy does, so an engine `BroadcastTo` (which the engine inserts
to make a broadcast differentiable) becomes an `Expand` only where it was asked for; inputs
whose dtype differs from the result's are cast first, as the engine's promotion did.
"""

import numpy as np

from ._builder import ExportError

INT_MAX, INT_MIN = np.iinfo(np.int64).max, np.iinfo(np.int64).min


class Site:
    def __init__(self, ops, outs, args, names, input_name):
        self.op, self.ops, self.outs, self.args = ops[0], ops, outs, args
        self.names, self.input_name = names, input_name

    @property
    def dtype(self):
        return self.outs[0]._data.dtype

    def same(self, attr):
        """The op's `attr`, which must not change with the batch size."""
        values = [getattr(op, attr) for op in self.ops]
        if any(_differ(v, values[0]) for v in values[1:]):
            raise ExportError(f"onnx.export: {self.op.name}'s {attr} changes with the batch "
                              f"size ({values[0]!r} vs {values[1]!r}); export with "
                              "dynamic_batch=False")
        return values[0]


def _differ(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.shape(a) != np.shape(b) or not np.array_equal(a, b)
    return a != b


def _operands(b, s):
    return [b.cast(name, t._data.dtype, s.dtype) for name, t in zip(s.names, s.args)]


def _binary(onnx_op):
    def emit(b, s):
        return b.node(onnx_op, _operands(b, s))
    return emit


def _unary(onnx_op):
    def emit(b, s):
        return b.node(onnx_op, s.names[:1])
    return emit


def _power(b, s):
    base = b.cast(s.names[0], s.args[0]._data.dtype, s.dtype)
    return b.node("Pow", [base, s.names[1]])


def _linear(b, s):
    x, w, bias = s.names
    if s.args[0].ndim == 2:
        return b.node("Gemm", [x, w, bias], transB=1)
    return b.node("Add", [b.node("MatMul", [x, b.node("Transpose", [w], perm=[1, 0])]), bias])


def _axes(s):
    axis = s.same("axis")
    return tuple(range(s.args[0].ndim)) if axis is None else tuple(axis)


def _reduce(onnx_op):
    def emit(b, s):
        return b.node(onnx_op, [s.names[0], b.ints(_axes(s), "axes")],
                      keepdims=int(bool(s.same("keepdims"))))
    return emit


def _log_softmax(b, s):
    axes = _axes(s)
    if len(axes) != 1:
        raise ExportError(f"onnx.export: log_softmax over several axes {axes} has no ONNX op")
    return b.node("LogSoftmax", s.names[:1], axis=axes[0])


def _reshape(b, s):
    shape = b.shape([op.shape for op in s.ops], "a reshape", s.input_name)
    return b.node("Reshape", [s.names[0], shape])


def _broadcast(b, s):
    shape = b.shape([op.shape for op in s.ops], "a broadcast", s.input_name)
    return b.node("Expand", [s.names[0], shape])


def _transpose(b, s):
    axes = s.same("axes")
    axes = tuple(reversed(range(s.args[0].ndim))) if axes is None else axes
    return b.node("Transpose", s.names[:1], perm=[int(a) for a in axes])


def _concatenate(b, s):
    return b.node("Concat", _operands(b, s), axis=int(s.same("axis")))


def _astype(b, s):
    return b.node("Cast", s.names[:1], to=b.dtype(s.same("dtype")))


def _where(b, s):
    cond = b.const(np.asarray(s.same("cond"), bool), "condition")
    return b.node("Where", [cond] + _operands(b, s))


def _leaky_relu(b, s):
    return b.node("LeakyRelu", s.names[:1], alpha=float(s.same("slope")))


def _elu(b, s):
    return b.node("Elu", s.names[:1], alpha=float(s.same("alpha")))


def _softplus(b, s):
    """PyTorch's softplus: log(1 + exp(βx)) / β, and x itself where βx > threshold."""
    beta, threshold = float(s.same("beta")), float(s.same("threshold"))
    scale = b.const(np.asarray(beta, s.dtype), "beta")
    scaled = b.node("Mul", [s.names[0], scale])
    soft = b.node("Div", [b.node("Softplus", [scaled]), scale])
    linear = b.node("Greater", [scaled, b.const(np.asarray(threshold, s.dtype), "threshold")])
    return b.node("Where", [linear, s.names[0], soft])


def _clip(b, s):
    lo, hi = s.same("lo"), s.same("hi")
    bound = [("" if v is None else b.const(np.asarray(v, s.dtype), "bound")) for v in (lo, hi)]
    return b.node("Clip", s.names[:1] + bound)


def _is_int(item):
    return isinstance(item, (int, np.integer)) and not isinstance(item, bool)


def _getitem(b, s):
    """Basic indexing: `...` becomes full slices, the slices one Slice, each integer a Gather
    (which drops its axis) and each None an Unsqueeze; a single integer-array index becomes a
    Gather along its axis."""
    index = s.same("index")
    index = _expand_ellipsis(index if isinstance(index, tuple) else (index,), s.args[0].ndim)
    if all(_is_int(item) or isinstance(item, slice) or item is None for item in index):
        name = _basic_index(b, s.names[0], tuple(i for i in index if i is not None))
        kept = [i for i in index if not _is_int(i)]  # the output's axes, None ones included
        new = [axis for axis, item in enumerate(kept) if item is None]
        return b.node("Unsqueeze", [name, b.ints(new, "axes")]) if new else name
    arrays = [i for i, item in enumerate(index) if not isinstance(item, slice)]
    item = index[arrays[0]]
    if (len(arrays) == 1 and isinstance(item, np.ndarray) and item.dtype.kind in "iu"
            and all(i == slice(None) for i in index if isinstance(i, slice))):
        positions = b.const(item.astype(np.int64), "indices")
        return b.node("Gather", [s.names[0], positions], axis=arrays[0])
    raise ExportError(f"onnx.export: the index {index!r:.80} (None, ..., boolean masks or "
                      "several integer arrays) has no ONNX mapping here")


def _expand_ellipsis(index, ndim):
    if not any(item is Ellipsis for item in index):
        return index
    at = next(i for i, item in enumerate(index) if item is Ellipsis)
    used = sum(1 for item in index if item is not None and item is not Ellipsis)
    return index[:at] + (slice(None),) * (ndim - used) + index[at + 1:]


def _basic_index(b, name, index):
    starts, ends, axes, steps = [], [], [], []
    for axis, item in enumerate(index):
        if isinstance(item, slice):
            step = 1 if item.step is None else int(item.step)
            start = item.start if item.start is not None else (0 if step > 0 else INT_MAX)
            stop = item.stop if item.stop is not None else (INT_MAX if step > 0 else INT_MIN)
            if (start, stop, step) != (0, INT_MAX, 1):
                starts.append(start)
                ends.append(stop)
                axes.append(axis)
                steps.append(step)
    if starts:
        name = b.node("Slice", [name, b.ints(starts, "starts"), b.ints(ends, "ends"),
                                b.ints(axes, "axes"), b.ints(steps, "steps")])
    dropped = 0
    for axis, item in enumerate(index):
        if _is_int(item):
            position = b.const(np.array(int(item), np.int64), "index")
            name = b.node("Gather", [name, position], axis=axis - dropped)
            dropped += 1
    return name


OPS = {
    "Add": _binary("Add"), "Subtract": _binary("Sub"), "Multiply": _binary("Mul"),
    "Divide": _binary("Div"), "Maximum": _binary("Max"), "Minimum": _binary("Min"),
    "Power": _power, "MatMul": _binary("MatMul"), "Linear": _linear,
    "Negative": _unary("Neg"), "Exp": _unary("Exp"), "Log": _unary("Log"),
    "Sqrt": _unary("Sqrt"), "Tanh": _unary("Tanh"), "Sigmoid": _unary("Sigmoid"),
    "Relu": _unary("Relu"), "Abs": _unary("Abs"), "Sin": _unary("Sin"), "Cos": _unary("Cos"),
    "LeakyRelu": _leaky_relu, "Clip": _clip, "Elu": _elu, "Softplus": _softplus,
    "Erf": _unary("Erf"),
    "Sum": _reduce("ReduceSum"), "Max": _reduce("ReduceMax"), "Min": _reduce("ReduceMin"),
    "LogSumExp": _reduce("ReduceLogSumExp"), "LogSoftmax": _log_softmax,
    "Reshape": _reshape, "BroadcastTo": _broadcast, "Transpose": _transpose,
    "Concatenate": _concatenate, "AsType": _astype, "Where": _where, "GetItem": _getitem,
}


def emit_op(b, site):
    rule = OPS.get(site.op.name)
    if rule is None:
        raise ExportError(
            f"onnx.export: the engine op {site.op.name} has no ONNX mapping (known: "
            f"{', '.join(sorted(OPS))}); use the nn layer that computes it (nn.Conv2d, "
            "nn.MaxPool2d, ...), which exports as one ONNX node")
    return rule(b, site)
