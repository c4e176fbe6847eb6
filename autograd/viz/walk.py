"""The graph a picture shows: every tensor the roots depend on, numbered in topological order.

Numbers, not id()s, name the nodes, so one computation gives the same DOT text on every run.
The walk is the engine's own `toposort`; leaves are numbered just before their first use.
"""

from ..graph import toposort
from ..tensor import Tensor

FREED = ("{where}: this graph was freed by a backward() pass ({op} no longer knows its "
         "inputs), so it can only be shown in part. Call {where} before backward(), or call "
         "backward(retain_graph=True) to keep the graph.")


class Graph:
    """`tensors`: every tensor the roots depend on, each after its inputs (leaves included);
    `number[id(t)]`: t's 1-based position in that order, which names its node (`t3`, `op3`)."""

    def __init__(self, roots, where):
        single = isinstance(roots, Tensor)
        self.roots = [roots] if single else list(roots)
        for r in self.roots:
            if not isinstance(r, Tensor):
                raise TypeError(f"{where}: expected a Tensor, got {type(r).__name__}")
        order = toposort(self.roots)
        for t in order:
            if t.grad_fn.inputs is None:
                raise RuntimeError(FREED.format(where=where, op=t.grad_fn.name))
        self.tensors, self.number = [], {}
        for t in order:
            for x in t.grad_fn.inputs:
                if x.grad_fn is None:
                    self._add(x)
            self._add(t)
        for r in self.roots:  # a root that is itself a leaf
            self._add(r)

    def _add(self, t):
        if id(t) not in self.number:
            self.tensors.append(t)
            self.number[id(t)] = len(self.tensors)

    def consumers(self):
        """{id(x): [(t, slot), ...]}: every use of x as an input, in topological order."""
        uses = {}
        for t in self.tensors:
            if t.grad_fn is not None:
                for slot, x in enumerate(t.grad_fn.inputs):
                    uses.setdefault(id(x), []).append((t, slot))
        return uses


def is_constant(t):
    """A leaf that no gradient reaches (the 1 in b + 1, a data batch)."""
    return t.grad_fn is None and not t.requires_grad


def title(t, number, names=None):
    """What a tensor is called in a picture: the model's name for a parameter, the user's
    `name`, else `t` and its number."""
    if names and id(t) in names:
        return names[id(t)]
    return t.name if t.name else f"t{number}"


def stale_inputs(op):
    """For each input of `op`: was it modified in place after the op read it? (Its rules would
    then see the new values, and any derivative computed from them would be wrong.)"""
    versions = getattr(op, "versions", None)
    if versions is None:
        return [False] * len(op.inputs)
    return [x.version != v for x, v in zip(op.inputs, versions)]
