"""The ONNX graph under construction: names, nodes, initializers, and shapes that follow the
batch size.

A shape the engine recorded (a Reshape's target, a BroadcastTo's shape) holds the example's
batch size as a number. To export a graph that takes any batch, the model is traced twice, at
batch sizes B₁ and B₂; an entry that is the same in both is a constant, an entry that is k·B₁
in one and k·B₂ in the other is k times the input's batch (computed in the graph from
`Shape(input)`), and anything else is refused rather than guessed.
"""

import numpy as np


class ExportError(ValueError):
    """The model uses something the ONNX exporter cannot express faithfully."""


class Builder:
    def __init__(self, onnx, opset, batches):
        self.onnx, self.api, self.opset = onnx, onnx.helper, opset
        self.batches = batches          # (B₁, B₂), or (B₁,) without a dynamic batch
        self.nodes, self.initializers = [], []
        self._used, self._consts, self._batch = set(), {}, None
        self.leaf_names, self._keep = {}, []

    def fresh(self, hint):
        hint = "".join(c if c.isalnum() or c in "._" else "_" for c in hint) or "v"
        name, k = hint, 1
        while name in self._used:
            k += 1
            name = f"{hint}_{k}"
        self._used.add(name)
        return name

    def node(self, op_type, inputs, hint=None, **attrs):
        out = self.fresh(hint or op_type.lower())
        attrs = {k: v for k, v in attrs.items() if v is not None}
        self.nodes.append(self.api.make_node(op_type, list(inputs), [out],
                                                name=f"{op_type}_{len(self.nodes)}", **attrs))
        return out

    def const(self, array, hint="const", key=None):
        """An initializer holding `array` (named `hint`); equal constants are shared by key."""
        array = np.asarray(array)
        if key is not None and key in self._consts:
            return self._consts[key]
        name = self.fresh(hint)
        self.initializers.append(self.onnx.numpy_helper.from_array(
            np.require(array, requirements="C"), name))  # 0-d stays 0-d
        if key is not None:
            self._consts[key] = name
        return name

    def ints(self, values, hint="ints"):
        values = tuple(int(v) for v in values)
        return self.const(np.array(values, np.int64), hint, key=("ints", values))

    def batch(self, input_name):
        """A 1-element int64 tensor holding the input's batch size, made once."""
        if self._batch is None:
            self._batch = self.node("Shape", [input_name], "batch_size", start=0, end=1)
        return self._batch

    def shape(self, shapes, where, input_name):
        """A shape tensor for the engine's shapes at each traced batch size (see the module
        docstring); an ExportError when an entry depends on the batch in another way."""
        first = tuple(int(n) for n in shapes[0])
        if len(shapes) == 1 or all(tuple(s) == first for s in shapes[1:]):
            return self.ints(first, "shape")
        if len({len(s) for s in shapes}) != 1:
            raise ExportError(f"onnx.export: {where} changes rank with the batch size; export "
                              "with dynamic_batch=False")
        pieces = []
        for i, entries in enumerate(zip(*shapes)):
            if len(set(entries)) == 1:
                pieces.append(self.ints((entries[0],), "dim"))
                continue
            ratios = {n / b for n, b in zip(entries, self.batches)}
            k = entries[0] // self.batches[0]
            if len(ratios) != 1 or k * self.batches[0] != entries[0]:
                raise ExportError(
                    f"onnx.export: {where}: entry {i} of its shape is {entries} at batch sizes "
                    f"{self.batches}, not a multiple of the batch; export with "
                    "dynamic_batch=False")
            size = self.batch(input_name)
            pieces.append(size if k == 1 else self.node("Mul", [size, self.ints((k,), "k")],
                                                         "dim"))
        return self.node("Concat", pieces, "shape", axis=0)

    def cast(self, name, from_dtype, to_dtype):
        if np.dtype(from_dtype) == np.dtype(to_dtype):
            return name
        return self.node("Cast", [name], "cast", to=self.dtype(to_dtype))

    def dtype(self, dtype):
        return self.api.np_dtype_to_tensor_dtype(np.dtype(dtype))

    def leaf(self, tensor, hint="const"):
        """The initializer for a leaf tensor (a parameter, a buffer or a constant), made once
        and named after the parameter where the model names it."""
        key = ("leaf", id(tensor))
        if key not in self._consts:
            self._keep.append(tensor)  # ids stay unique while the export runs
            hint = self.leaf_names.get(id(tensor), hint)
            self._consts[key] = self.const(tensor._data, hint)
        return self._consts[key]
