"""Export a model or a function to ONNX, the file format that onnxruntime runs and Netron draws.

    import autograd as ag
    ag.onnx.export(model, X[:2], "mlp.onnx")     # then: netron mlp.onnx, or onnxruntime

The model runs once on `example_input` (twice with `dynamic_batch`, at two batch sizes) with
the graph recorded. The known nn layers (Linear, Conv2d, MaxPool2d, BatchNorm, activations,
softmax, Flatten, Dropout, ...) become one ONNX node each; anything else, a plain function
or the body of your own Module's forward, is exported op by op from the recorded graph (add,
mul, matmul, tanh, reshape, sum, ...). Parameters become initializers named as in
`named_parameters()`. The export runs in eval mode, like a deployment, and restores the
model's modes afterwards. Needs the `onnx` package: `pip install 'chainrule[onnx]'`.
"""

import os
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .. import mode
from ..tensor import Tensor
from ._builder import Builder, ExportError
from ._modules import known
from ._ops import Site, emit_op

__all__ = ["ExportError", "export"]

OPSET = 18
IR_VERSION = 10  # what onnxruntime releases from 1.20 on read


def _onnx():
    try:
        import onnx
    except ImportError:
        raise ImportError("ag.onnx.export needs the onnx package, an optional extra: "
                          "pip install 'chainrule[onnx]' (or pip install onnx)") from None
    return onnx


def _trace(model, array):
    """Run `model(array)` recording everything; known layers' calls are noted by output."""
    calls, patched = {}, []
    modules = model.modules() if hasattr(model, "modules") else []
    for module in modules:
        rule = known(module)
        if rule is None:
            continue
        forward = module.forward

        def noted(*args, _forward=forward, _module=module, _rule=rule, **kwargs):
            out = _forward(*args, **kwargs)
            if isinstance(out, Tensor) and all(out is not a for a in args):
                calls[id(out)] = (_module, _rule, [a if isinstance(a, Tensor) else Tensor(a)
                                                   for a in args], out)
            return out

        object.__setattr__(module, "forward", noted)
        patched.append(module)
    floating = np.issubdtype(array.dtype, np.floating)
    x = Tensor(array, requires_grad=floating)
    try:
        with mode.enable_grad():
            out = model(x)
    finally:
        for module in patched:
            object.__delattr__(module, "forward")
    outs = out if isinstance(out, (tuple, list)) else (out,)
    if not all(isinstance(o, Tensor) for o in outs):
        raise ExportError(f"onnx.export: the model returned {type(out).__name__}; it must "
                          "return a Tensor or a tuple of Tensors")
    return x, list(outs), calls


def _order(x, outs, calls):
    """Every tensor the outputs depend on, inputs first: a known layer's output depends on its
    call's arguments (its inside is not walked), anything else on its op's inputs."""
    def children(t):
        if id(t) in calls:
            return calls[id(t)][2]
        return t.grad_fn.inputs if t.grad_fn is not None and t is not x else ()

    order, seen = [], set()
    for root in outs:
        if id(root) in seen:
            continue
        seen.add(id(root))
        stack = [(root, iter(children(root)))]
        while stack:
            t, pending = stack[-1]
            for child in pending:
                if id(child) not in seen:
                    seen.add(id(child))
                    stack.append((child, iter(children(child))))
                    break
            else:
                stack.pop()
                order.append(t)
    return order


def _kind(t, x, calls):
    if t is x:
        return "input"
    if id(t) in calls:
        return calls[id(t)][0]
    return t.grad_fn.name if t.grad_fn is not None else "leaf"


def _value_info(api, name, t, dtype, dynamic):
    dims = list(t.shape)
    if dynamic and dims:
        dims[0] = "batch"
    return api.make_tensor_value_info(name, dtype, dims)


def _constant(b, t, same, input_name):
    """A leaf: an initializer, or, for a constant as big as the batch that holds one value
    throughout (an RNN's zero initial state), that value expanded to the batch's shape."""
    if len({u.shape for u in same}) == 1:
        return b.leaf(t)
    values = [np.unique(u._data) for u in same]
    if not all(v.size == 1 and v[0] == values[0][0] for v in values):
        raise ExportError("onnx.export: a constant's shape changes with the batch size "
                          f"({[u.shape for u in same]}) and so do its values; export with "
                          "dynamic_batch=False")
    shape = b.shape([u.shape for u in same], "a constant", input_name)
    return b.node("Expand", [b.const(values[0].reshape(()), "fill"), shape], "filled")


def _second_example(array):
    """The example with one more row: the second batch size of the trace."""
    if array.ndim == 0:
        raise ExportError("onnx.export: dynamic_batch needs an example input with a batch "
                          "axis; give dynamic_batch=False for a 0-d input")
    return np.concatenate([array, array[:1]], axis=0)


def export(model: Callable[..., Any], example_input: Tensor | ArrayLike,
           path: str | os.PathLike[str] | None = None, *, dynamic_batch: bool = True,
           input_name: str = "input", output_names: Sequence[str] | None = None,
           opset: int = OPSET) -> Any:
    """Write `model` (an nn.Module or any function of one Tensor) as an ONNX file at `path`.

    `example_input` (a Tensor or array, batch axis first) fixes every shape but the batch:
    with `dynamic_batch` the file takes any batch size, else only the example's. Returns the
    `onnx.ModelProto`, checked by `onnx.checker` (`path=None` only returns it). An ExportError
    names any op or layer that has no faithful ONNX form.
    """
    onnx = _onnx()
    array = np.asarray(example_input.numpy() if isinstance(example_input, Tensor)
                       else example_input)
    examples = [array] + ([_second_example(array)] if dynamic_batch else [])
    modes = [(m, m.training) for m in model.modules()] if hasattr(model, "modules") else []
    try:
        if hasattr(model, "eval"):
            model.eval()
        traces = [_trace(model, a) for a in examples]
    finally:
        for module, training in modes:
            module.training = training
    orders = [_order(*trace) for trace in traces]
    kinds = [[_kind(t, trace[0], trace[2]) for t in order]
             for order, trace in zip(orders, traces)]
    if any(k != kinds[0] for k in kinds[1:]):
        raise ExportError("onnx.export: the model computes different graphs at batch sizes "
                          f"{[len(a) for a in examples]}; export with dynamic_batch=False")

    b = Builder(onnx, opset, tuple(len(a) for a in examples))
    for named in ("named_parameters", "named_buffers"):  # an nn.Module's names, if it is one
        b.leaf_names.update({id(t): n for n, t in getattr(model, named, lambda: ())()})
    b.fresh(input_name)
    x, outs, calls = traces[0]
    names = {}
    for i, t in enumerate(orders[0]):
        kind = kinds[0][i]
        same = [order[i] for order in orders]
        if kind == "input":
            names[id(t)] = input_name
        elif kind == "leaf":
            names[id(t)] = _constant(b, t, same, input_name)
        elif id(t) in calls:
            module, rule, args, _ = calls[id(t)]
            site = Site([None], same, args, [names[id(a)] for a in args], input_name)
            names[id(t)] = rule(b, module, site)
        else:
            args = t.grad_fn.inputs
            site = Site([u.grad_fn for u in same], same, args, [names[id(a)] for a in args],
                        input_name)
            names[id(t)] = emit_op(b, site)

    api = onnx.helper
    out_names = list(output_names or (["output"] if len(outs) == 1 else
                                      [f"output{i}" for i in range(len(outs))]))
    outputs = []
    for name, t, t2 in zip(out_names, outs, [trace[1] for trace in traces][-1]):
        b.nodes.append(api.make_node("Identity", [names[id(t)]], [name],
                                        name=f"Identity_{name}"))
        outputs.append(_value_info(api, name, t, b.dtype(t._data.dtype),
                                   dynamic_batch and t2.shape[:1] != t.shape[:1]))
    graph = api.make_graph(
        b.nodes, type(model).__name__ if hasattr(model, "modules") else
        getattr(model, "__name__", "function"),
        [_value_info(api, input_name, x, b.dtype(array.dtype), dynamic_batch)],
        outputs, initializer=b.initializers)
    from .._version import __version__

    proto = api.make_model(graph, opset_imports=[api.make_opsetid("", opset)],
                              producer_name="chainrule", producer_version=__version__)
    proto.ir_version = IR_VERSION
    onnx.checker.check_model(proto, full_check=True)
    if path is not None:
        onnx.save_model(proto, path)
    return proto
