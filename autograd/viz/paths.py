"""`paths(y, x)`: the chain rule as a sum over paths, and why reverse mode factors it.

∂y/∂x is the sum, over every path from x to y, of the product of the local derivatives on the
path's edges. Paths multiply (a chain of n diamonds has 2ⁿ), but the sum factors: reverse mode
visits each edge once. Scalar graphs only, where every local derivative is a number.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from ..reverse import grad
from ..tensor import Tensor
from .derivatives import push
from .labels import num
from .walk import Graph, stale_inputs, title


class Path(NamedTuple):
    nodes: list     # the labels of the tensors along the path, x first, y last
    factors: list   # the local derivative on each edge (one fewer than nodes)
    product: float


@dataclass
class Paths:
    """Every path from x to y with its product; `total` (their sum) equals `gradient`."""

    x: str
    y: str
    paths: list = field(repr=False)
    total: float
    gradient: float      # ∂y/∂x by one reverse pass (ag.grad)
    num_paths: int
    num_edges: int       # edges one reverse pass visits (every edge that carries a gradient)

    def __str__(self):
        lines = [f"∂{self.y}/∂{self.x} as a sum over paths (each term: the product of the "
                 "local derivatives along one path)"]
        routes = [" → ".join(p.nodes) for p in self.paths]
        width = max((len(r) for r in routes), default=0)
        for route, p in zip(routes, self.paths):
            factors = " × ".join(num(f) for f in p.factors)
            lines.append(f"  {route.ljust(width)}   {factors} = {num(p.product)}")
        lines.append(f"  sum over {self.num_paths} path{'s' * (self.num_paths != 1)}"
                     f" = {num(self.total)}")
        lines.append(f"  one reverse pass (visits each of {self.num_edges} edges once)"
                     f" = {num(self.gradient)}")
        return "\n".join(lines)


def paths(y, x, max_paths=10_000):
    """Every path from `x` to `y` (scalar tensors in a graph of scalars), with its product of
    edge derivatives, their sum, and ∂y/∂x from reverse mode to compare it with."""
    for name, t in (("y", y), ("x", x)):
        if not isinstance(t, Tensor):
            raise TypeError(f"paths: {name} must be a Tensor, got {type(t).__name__}")
    graph = Graph(y, "paths")
    if id(x) not in graph.number:
        raise ValueError("paths: x is not part of the graph that computed y")
    if not x.requires_grad:
        raise ValueError("paths: x does not require grad, so no gradient flows from it")
    # The tensors on some x -> y path: those that depend on x (everything here feeds y).
    on_path = {id(x)}
    count = {id(x): 1}  # the number of x -> t paths, by dynamic programming
    for t in graph.tensors:
        if t.grad_fn is not None and id(t) not in on_path:
            feeding = [count[id(i)] for i in t.grad_fn.inputs if id(i) in on_path]
            if feeding:
                on_path.add(id(t))
                count[id(t)] = sum(feeding)
    if id(y) not in on_path:
        raise ValueError("paths: y does not depend on x")
    for t in graph.tensors:
        if id(t) in on_path and t.grad_fn is not None and any(stale_inputs(t.grad_fn)):
            raise RuntimeError(f"paths: an input of {t.grad_fn.name} was modified in place after "
                               "the op used it, so its derivatives can no longer be computed")
        if id(t) in on_path and t._data.size != 1:
            raise ValueError(f"paths: works on graphs of scalars, but "
                             f"{title(t, graph.number[id(t)])} on a path has shape {t.shape}; "
                             "for tensors use draw(...) or ag.jacobian")
    if count[id(y)] > max_paths:
        raise ValueError(f"paths: {count[id(y)]} paths from x to y are too many to list "
                         f"(max_paths={max_paths}); reverse mode adds them all up by visiting "
                         "each edge once")

    derivative = {}  # (id(t), slot) -> ∂t/∂(input slot), from the op's own jvp
    uses = graph.consumers()
    found = []
    # A step is (tensor, factor on the edge into it, the step before): each step shares its
    # prefix with its siblings, so walking costs one step per edge visit, and only the paths
    # found are spelled out (a long chain would be quadratic if each step copied its prefix).
    stack = [(x, None, None)]
    while stack:  # depth first, consumers in topological order: paths come out sorted
        step = stack.pop()
        t = step[0]
        if t is y:
            found.append(_spell(step, graph))
            continue
        for c, slot in reversed(uses.get(id(t), [])):
            if id(c) not in on_path:
                continue
            key = (id(c), slot)
            if key not in derivative:
                onehot = [None] * len(c.grad_fn.inputs)
                onehot[slot] = 1.0
                derivative[key] = float(push(c.grad_fn, c, onehot).item())
            stack.append((c, derivative[key], step))
    edges = sum(1 for t in graph.tensors if t.grad_fn is not None
                for i in t.grad_fn.inputs if i.requires_grad)
    (g,) = grad(y, [x], retain_graph=True)
    return Paths(found[0].nodes[0], found[0].nodes[-1], found, sum(p.product for p in found),
                 float(g._data.item()), len(found), edges)


def _spell(step, graph):
    """The path that ends in `step`, read back through the steps before it."""
    nodes, factors = [], []
    while step is not None:
        t, factor, step = step
        nodes.append(title(t, graph.number[id(t)]))
        if factor is not None:
            factors.append(factor)
    nodes.reverse()
    factors.reverse()
    product = 1.0
    for f in factors:
        product *= f
    return Path(nodes, factors, product)
