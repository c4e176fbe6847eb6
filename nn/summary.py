"""`nn.summary(model, input_size)`: one forward pass, and a table of what each layer made.

`print(model)` lists the layers; it cannot say what shape comes out of each, which is what one
needs when a convolution's output does not fit the next Linear. The summary runs the model once
on zeros of `input_size` (batch axis included, as torchinfo takes it), in eval mode and without
recording a graph, and notes each module's output shape on the way. Every module called shows
as a row in call order, indented by depth, with the parameters it holds itself; the totals
count each shared parameter once.
"""

from collections.abc import Sequence
from typing import Any, TextIO

import numpy as np
from numpy.typing import DTypeLike

import autograd as ag
from autograd import Tensor

from .module import Module

HEADER = ("Layer (type)", "Output shape", "Param #", "Trainable")


class Summary:
    """The table `summary` prints; `rows` holds (name, type, output shape, params, trainable)."""

    def __init__(self, rows: list[list[Any]], total: int, trainable: int, inputs: str) -> None:
        self.rows = rows
        self.total_params = total
        self.trainable_params = trainable
        self.inputs = inputs

    def __str__(self) -> str:
        lines = [HEADER] + [(f"{'  ' * depth}{name} ({kind})" if name else kind,
                             shape, f"{params:,}" if params else "--", trainable)
                            for depth, name, kind, shape, params, trainable in self.rows]
        widths = [max(len(line[i]) for line in lines) for i in range(4)]
        def fmt(line):
            return (f"{line[0]:<{widths[0]}}  {line[1]:<{widths[1]}}  "
                    f"{line[2]:>{widths[2]}}  {line[3]}").rstrip()
        rule = "=" * len(fmt(lines[0]) + " " * (widths[3] - len(HEADER[3])))
        body = [fmt(line) for line in lines[1:]]
        frozen = self.total_params - self.trainable_params
        return "\n".join([rule, fmt(lines[0]), rule, *body, rule,
                          f"Total params: {self.total_params:,}",
                          f"Trainable params: {self.trainable_params:,}",
                          f"Non-trainable params: {frozen:,}",
                          f"Input: {self.inputs}", rule])

    __repr__ = __str__


def _shape(value):
    if isinstance(value, Tensor):
        return str(tuple(value.shape))
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_shape(v) for v in value) + "]"
    return type(value).__name__


def _trainable(params):
    if not params:
        return "--"
    flags = {p.requires_grad for p in params}
    return "partly" if len(flags) == 2 else ("yes" if flags == {True} else "no")


def _inputs(input_size, input_data, dtype):
    if input_data is not None:
        data = input_data if isinstance(input_data, (tuple, list)) else (input_data,)
        return [x if isinstance(x, Tensor) else Tensor(x) for x in data]
    if input_size is None:
        raise TypeError("summary: give input_size (the input's shape, batch axis included, "
                        "e.g. (1, 64)) or input_data")
    sizes = input_size if input_size and isinstance(input_size[0], (tuple, list)) else [
        input_size]
    dtype = np.dtype(dtype or ag.get_default_dtype())
    for size in sizes:
        if not all(isinstance(n, (int, np.integer)) and n >= 0 for n in size):
            raise ValueError(f"summary: input_size {tuple(size)} must be a shape of "
                             "non-negative ints, batch axis included, e.g. (1, 64)")
    return [Tensor(np.zeros(tuple(size), dtype)) for size in sizes]


def summary(model: Module, input_size: Sequence[int] | Sequence[Sequence[int]] | None = None, *,
            input_data: Any = None, dtype: DTypeLike | None = None, file: TextIO | None = None,
            verbose: bool = True) -> "Summary":
    """Run `model` once and print a per-layer table: output shape, parameters, trainable.

    `input_size` is the input's shape with its batch axis, e.g. ``(1, 64)`` or
    ``(1, 1, 8, 8)`` (a list of shapes for several inputs); or pass `input_data` (a Tensor,
    an array, or a tuple of them), e.g. int indices for an Embedding. Returns the `Summary`,
    whose `str` is the table; `verbose=False` only returns it.
    """
    if not isinstance(model, Module):
        raise TypeError(f"summary: expected an nn.Module, got {type(model).__name__}")
    inputs = _inputs(input_size, input_data, dtype)
    names = {id(m): name for name, m in model.named_modules()}
    modes = [(m, m.training) for m in model.modules()]
    rows, patched = [], []
    depth = [0]

    def watch(module):
        forward = module.forward

        def recorded(*args, **kwargs):
            row = [depth[0], names.get(id(module), "?"), type(module).__name__, "", 0, "--"]
            rows.append(row)
            depth[0] += 1
            try:
                out = forward(*args, **kwargs)
            finally:
                depth[0] -= 1
            own = [p for _, p in module.named_parameters(recurse=False)]
            row[3:] = [_shape(out), sum(p.numel() for p in own), _trainable(own)]
            return out

        object.__setattr__(module, "forward", recorded)
        patched.append(module)

    try:
        for module in model.modules():
            watch(module)
        model.eval()
        with ag.no_grad():
            model(*inputs)
    finally:
        for module in patched:
            object.__delattr__(module, "forward")
        for module, mode in modes:
            module.training = mode
    unique = list(model.parameters())
    described = ", ".join(f"{tuple(x.shape)} {x.dtype}" for x in inputs)
    result = Summary(rows, sum(p.numel() for p in unique),
                     sum(p.numel() for p in unique if p.requires_grad), described)
    if verbose:
        print(result, file=file)
    return result
