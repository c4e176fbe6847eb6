"""`draw` and `to_dot`: the computational graph as a graphviz picture or as DOT text.

Tensors are boxes (name, value, grad), ops are ellipses (name and arguments), and every use of an
input is its own edge, labelled with the local derivative ∂op/∂input (see derivatives.py).
`show="forward"` / `show="reverse"` number the tensors in the order that sweep visits them and
write the tangent or adjoint each one carries, so a lesson can put the two sweeps side by side.
"""

import collections
import functools
import re

import numpy as np

from ..tensor import Tensor
from . import derivatives, messages
from .labels import SMALL, op_label, shape, value
from .modules import find_groups
from .render import picture_class
from .walk import Graph, is_constant, stale_inputs, title

GRAPH = {"fontname": "Helvetica", "fontsize": "11", "nodesep": "0.25", "ranksep": "0.3"}
NODE = {"fontname": "Helvetica", "fontsize": "11", "shape": "box", "style": "rounded"}
EDGE = {"fontname": "Helvetica", "fontsize": "10", "fontcolor": "#1d4ed8", "arrowsize": "0.7"}
LEAF = {"style": "rounded,filled", "fillcolor": "#dbeafe"}
CONST = {"style": "rounded,dashed", "color": "#9ca3af", "fontcolor": "#6b7280"}
ROOT = {"style": "rounded,filled", "fillcolor": "#fde68a", "penwidth": "2"}
OP = {"shape": "ellipse", "style": "filled", "fillcolor": "#e5e7eb", "fontsize": "10",
      "margin": "0.04,0.02", "width": "0.4", "height": "0.3"}
BOX = {"shape": "box3d", "style": "filled", "fillcolor": "#ede9fe"}
NOTE = {"shape": "note", "style": "filled", "fillcolor": "#fef3c7"}
CLUSTER = {"style": "rounded,dashed", "color": "#7c3aed", "fontcolor": "#5b21b6"}
QUIET = {"style": "dashed", "color": "#9ca3af"}  # edges that carry no gradient
STALE = {"color": "#dc2626", "fontcolor": "#dc2626", "penwidth": "2"}
STALE_LABEL = "modified in place\\nafter this use"
WIDE = 20  # more nodes than this are laid out top to bottom
FORMULAS = {"CrossEntropyLoss": "softmax − onehot"}  # ∂loss/∂logits, named on the loss's edge


def draw(y, edge_labels=True, show=None, wrt=None, gradient=None, model=None, expand=False,
         max_nodes=100, rankdir=None):
    """The graph that computed `y` (a Tensor or a list of them), as a `graphviz.Digraph`.

    edge_labels  label each edge with the local derivative ∂(op)/∂(input), from the op's jvp
    show         None: values, and grads already computed; "reverse": number tensors in the
                 order backward visits them and write each one's adjoint (seeded by `gradient`
                 for a non-scalar y); "forward": number them in topological order and write the
                 tangent each carries for the direction `wrt` (a tensor, or {tensor: tangent})
    model        an nn.Module: parameters take its names and each module call is drawn as one
                 box (`expand=True`: as a dashed cluster of its ops instead)
    max_nodes    fold the nodes nearest the inputs into one note beyond this many (None: never)
    rankdir      "LR" (left to right) or "TB" (top to bottom); None: LR for small graphs,
                 TB for models and for graphs of more than 20 nodes (too wide side by side)

    `g.source` is the DOT text; rendering (`g.render`, Jupyter display) needs Graphviz's `dot`.
    A graph freed by a plain `backward()` is refused: draw first, or pass retain_graph=True.
    """
    if show not in (None, "forward", "reverse"):
        raise ValueError(f"draw: show must be None, 'forward' or 'reverse', got {show!r}")
    if max_nodes is not None and max_nodes < 2:
        raise ValueError(f"draw: max_nodes must be at least 2 (or None), got {max_nodes}")
    sketch = make_sketch(Graph(y, "draw"), show, wrt, gradient, model, expand, max_nodes,
                         edge_labels)
    if rankdir is None:
        rankdir = default_rankdir(sketch)
    return sketch.picture(rankdir)


def make_sketch(graph, show, wrt=None, gradient=None, model=None, expand=False, max_nodes=100,
                edge_labels=True):
    """The Sketch of `graph` that `draw` pictures (also the explorer's three views of it)."""
    groups, names = find_groups(graph, model) if model is not None else ([], {})
    sketch = Sketch(graph, names, _sweep(graph, show, wrt, gradient), edge_labels)
    boxes = [g for g in groups if not expand and _collapsible(g)]
    sketch.arrange(boxes, [g for g in groups if g not in boxes])
    # Steps count the tensors drawn, not those a box hides: 1, 2, 3 down the picture.
    kept = sorted((step, key) for key, step in sketch.steps.items() if key not in sketch.hidden)
    sketch.steps = {key: i for i, (_, key) in enumerate(kept, 1)}
    sketch.trace()
    if max_nodes is not None and len(sketch.nodes) > max_nodes:
        sketch.fold(max_nodes)
    return sketch


def default_rankdir(sketch):
    """Left to right for small graphs; top to bottom for big ones, and for models, which then
    read layer after layer like their code."""
    return "LR" if len(sketch.nodes) <= WIDE and not sketch.box_of else "TB"


def to_dot(y, **options):
    """The DOT text of `draw(y, **options)`; needs no Graphviz program."""
    return draw(y, **options).source


class Sketch:
    """The picture's nodes and edges, in topological order, before graphviz sees them.

    nodes: (id, label, attributes, cluster index or None); edges: (source, target, label, attrs),
    where a label may be a function, called only for edges that survive folding.
    """

    def __init__(self, graph, names, sweep, edge_labels):
        self.graph, self.names, self.edge_labels = graph, names, edge_labels
        self.show, self.steps, self.values, self.reached = sweep
        # The messages each tensor sums: reverse, on its outgoing edges; forward, incoming.
        self.parts = {}
        self.number = graph.number
        self.nodes, self.edges = [], []
        self.box_of, self.hidden, self.cluster_of, self.clusters = {}, set(), {}, []
        self.arg_names = {}  # id(constant) -> "input" / "target", for data passed to a call

    def arrange(self, boxes, clusters):
        """Module calls drawn as one box each hide their inner tensors (and the parameters only
        they read); the others become dashed clusters around their ops."""
        uses = self.graph.consumers()
        roots = {id(r) for r in self.graph.roots}

        def only_used_in(t, members):
            return all(id(c) in members for c, _ in uses.get(id(t), ()))

        for g in boxes:
            members = {id(t) for t in g.members}
            args = {id(a) for a in g.args}
            for i, a in enumerate(g.args):  # data passed to a call: the input, a loss's target
                self.arg_names.setdefault(
                    id(a), "target" if i == 1 and g.kind.endswith("Loss") else "input")
            for t in g.members:
                self.box_of[id(t)] = g
                if id(t) not in roots and only_used_in(t, members):
                    self.hidden.add(id(t))
                # The call's own constants (masks, im2col windows, index arrays) stay inside.
                if g.module is not None:
                    self.hidden.update(id(x) for x in t.grad_fn.inputs if is_constant(x)
                                       and id(x) not in args and only_used_in(x, members))
            self.hidden.update(id(p) for p in g.params if only_used_in(p, members))
        self.clusters = clusters
        for i, g in enumerate(clusters):
            members = {id(t) for t in g.members}
            for t in g.members:
                self.cluster_of[id(t)] = i
            for p in g.params:
                if id(p) not in self.cluster_of and only_used_in(p, members):
                    self.cluster_of[id(p)] = i

    def trace(self):
        for t in self.graph.tensors:
            if id(t) in self.box_of:
                group = self.box_of[id(t)]
                if t is group.members[-1]:
                    self.box(group)
            elif t.grad_fn is None:
                if id(t) not in self.hidden and not _per_use(t):
                    self.tensor(t)
            else:
                self.op(t)

    def tensor(self, t):
        k = self.number[id(t)]
        if is_constant(t):
            small = not t.name and t._data.size <= SMALL and t._data.dtype.kind in "iufb"
            word = t.name or self.arg_names.get(id(t), "const")
            label = value("", t._data)[3:] if small else value(word, t._data)
            self.nodes.append((f"t{k}", label, CONST, self.cluster_of.get(id(t))))
            return
        head = title(t, k, self.names)
        if id(t) in self.steps:
            head = f"[{self.steps[id(t)]}] {head}"
        label = functools.partial(self._tensor_label, t, head)
        style = (ROOT if any(t is r for r in self.graph.roots) else
                 LEAF if t.grad_fn is None else {})
        self.nodes.append((f"t{k}", label, style, self.cluster_of.get(id(t))))

    def op(self, t):
        """The op that made t, an edge from each of its inputs (one per use), and t."""
        k, op = self.number[id(t)], t.grad_fn
        self.nodes.append((f"op{k}", op_label(op), OP, self.cluster_of.get(id(t))))
        # An input modified in place after the op read it: the rule would see the new values,
        # so no edge of this op gets a derivative, and the culprit is flagged.
        stale = stale_inputs(op)
        for slot, x in enumerate(op.inputs):
            label = None if any(stale) else functools.partial(
                derivatives.op_derivative, op, t, slot)
            meta = {"out": t, "local": label}
            if label is not None and not is_constant(x):
                label = self.carry(meta, x, t, functools.partial(
                    messages.reverse_op if self.show == "reverse" else messages.forward_op,
                    op, t, slot))
            self.edge(x, f"op{k}", label, stale[slot], meta)
        self.tensor(t)
        self.edges.append((f"op{k}", f"t{k}", None, {}, {"out": t}))

    def box(self, group):
        """One module call as one node, its parameters listed inside, its outputs after it; the
        edge from an input carries the whole call's derivative, through its ops' jvp rules."""
        k = self.number[id(group.members[-1])]
        lines = [group.label]
        for p in group.params:
            if id(p) in self.hidden:
                name = self.names[id(p)]
                short = name.removeprefix(group.path + ".") if group.path else name
                extra = f", {self.note(p)}" if id(p) in self.values else ""
                lines.append(f"{short} {shape(p.shape)}{extra}")
        for i, a in enumerate(group.args):  # an argument no op reads: the image under im2col
            if id(a) not in self.number:
                word = self.arg_names.get(id(a), "input")
                self.nodes.append((f"m{k}a{i}", value(a.name or word, a._data), CONST, None))
                self.edges.append((f"m{k}a{i}", f"m{k}", None, QUIET, {}))
        self.nodes.append((f"m{k}", "\\n".join(lines), BOX, None))
        members = {id(t) for t in group.members}
        outputs = [t for t in group.members if id(t) not in self.hidden]
        stale = any(any(stale_inputs(t.grad_fn)) for t in group.members)
        inputs = {}
        for t in group.members:
            for x in t.grad_fn.inputs:
                if id(x) not in members and id(x) not in self.hidden:
                    inputs.setdefault(id(x), x)
        for x in inputs.values():
            label, meta = None, {"out": outputs[-1]}
            if len(outputs) == 1 and not stale:
                out = outputs[0]
                label = functools.partial(derivatives.chain_derivative, group.members, x, out)
                if group.kind in FORMULAS and x is group.args[0]:
                    label = functools.partial(_with_formula, group, label)
                meta["local"] = label
                if not is_constant(x):
                    label = self.carry(meta, x, out, functools.partial(
                        messages.reverse_chain, out, x) if self.show == "reverse" else
                        functools.partial(messages.forward_chain, group.members, x, out))
            self.edge(x, f"m{k}", label, meta=meta)
        for t in outputs:
            self.tensor(t)
            self.edges.append((f"m{k}", f"t{self.number[id(t)]}", None, {}, {"out": t}))

    def carry(self, meta, x, out, rule):
        """The label of the edge x -> (op making out) in a sweep: the local derivative, and
        the message the edge carries, computed now so that the node sums can use it."""
        local = meta["local"]
        if self.show == "reverse":
            upstream, into = self.values.get(id(out)), x
            live = upstream is not None and x.requires_grad
        elif self.show == "forward":
            upstream, into = self.reached.get(id(x)), out
            live = upstream is not None
        else:
            return local
        if not live:
            return local
        message = rule(upstream)
        if message is None:
            return local
        self.parts.setdefault(id(into), []).append(message)
        meta.update(upstream=upstream, message=message, into=into)
        return lambda: messages.edge_text(local(), upstream, message)

    def note(self, t):
        """`adjoint 2 + 3 = 5`: the sweep's value at t, as the sum of the messages making it."""
        word = {"reverse": "adjoint", "forward": "tangent"}.get(self.show, "grad")
        return messages.sum_text(word, self.parts.get(id(t), []), self.values[id(t)])

    def _tensor_label(self, t, head):
        return value(head, t._data) + (f"\\n{self.note(t)}" if id(t) in self.values else "")

    def edge(self, x, target, label, stale=False, meta=None):
        source = f"t{self.number[id(x)]}"
        if _per_use(x):  # a Python constant: a small node for each use, next to its op
            source = f"{target}c{sum(1 for e in self.edges if e[1] == target)}"
            small = value("", x._data)[3:]
            self.nodes.append((source, small, CONST, self.cluster_of.get(id(x))))
        if stale:
            self.edges.append((source, target, STALE_LABEL, STALE, {}))
        elif is_constant(x):
            self.edges.append((source, target, None, QUIET, {}))
        else:
            self.edges.append((source, target, label if self.edge_labels else None, {}, meta))

    def fold(self, max_nodes):
        """Keep both ends, a third of max_nodes from the inputs and the rest nearest the output;
        one note stands for the middle and says which ops it holds."""
        head = max(1, (max_nodes - 1) // 3)
        tail = max_nodes - 1 - head
        middle = self.nodes[head:len(self.nodes) - tail]
        folded = {n[0] for n in middle}
        ops = collections.Counter(n[1].split("\\n")[0] for n in middle
                                  if re.fullmatch(r"op\d+|m\d+", n[0]))
        kinds = ", ".join(f"{count} × {name}" for name, count in ops.most_common(3))
        more = ", …" if len(ops) > 3 else ""
        note = (f"⋯ {len(middle)} nodes folded ⋯\\n{kinds}{more}\\n"
                "draw(..., max_nodes=None) shows all")
        self.nodes = self.nodes[:head] + [("folded", note, NOTE, None)] + self.nodes[-tail:]
        edges, seen = [], set()
        for edge in self.edges:
            source, target = edge[:2]
            if source in folded and target in folded:
                continue
            if source in folded or target in folded:
                pair = ("folded" if source in folded else source,
                        "folded" if target in folded else target)
                if pair not in seen:
                    seen.add(pair)
                    edges.append((*pair, None, QUIET, {}))
                continue
            edges.append(edge)
        self.edges = edges

    def picture(self, rankdir, ids=False):
        picture = picture_class()(
            "autograd", graph_attr=dict(GRAPH, rankdir=rankdir), node_attr=NODE, edge_attr=EDGE)
        self.nodes = [(n, label() if callable(label) else label, attrs, cluster)
                      for n, label, attrs, cluster in self.nodes]
        edges = [(source, target, label() if callable(label) else label,
                  dict(attrs, id=f"e{i}") if ids else attrs)
                 for i, (source, target, label, attrs, _) in enumerate(self.edges)]
        if any(label and label.startswith(("J ", "diag ", "‖")) or "\\n‖" in (label or "")
               or "\\nJ" in (label or "") for *_, label, _ in edges):
            picture.node("legend", messages.LEGEND, **NOTE, fontsize="9")
        if ids:
            self.nodes = [(n, label, dict(attrs, id=f"n-{n}"), cluster)
                          for n, label, attrs, cluster in self.nodes]
        for node_id, label, attrs, cluster in self.nodes:
            if cluster is None:
                picture.node(node_id, label, **attrs)
        for i, group in enumerate(self.clusters):
            inside = [n for n in self.nodes if n[3] == i]
            if inside:
                with picture.subgraph(name=f"cluster_{i}") as sub:
                    sub.attr(label=group.label, **CLUSTER)
                    for node_id, label, attrs, _ in inside:
                        sub.node(node_id, label, **attrs)
        for source, target, text, attrs in edges:
            if text is None:
                picture.edge(source, target, **attrs)
            else:
                picture.edge(source, target, label=text, **attrs)
        return picture


def _per_use(t):
    """A Python constant (an unnamed 0-d constant, cached and shared by every op that uses the
    same number): drawn once per use, since one node wired to every use tangles the layout."""
    return is_constant(t) and not t.name and t._data.ndim == 0


def _with_formula(group, local):
    """A loss whose gradient has a name in every course: (softmax − onehot) / N."""
    formula = FORMULAS[group.kind]
    if getattr(group.module, "reduction", None) == "mean":
        formula = f"({formula}) / N"
    return f"{formula}\\n{local()}"


def _sweep(graph, show, wrt, gradient):
    """(show, step numbers, {id: the array each node writes}, {id: tangent} where forward mode
    reaches): adjoints by ag.grad, tangents by the ops' jvp rules, else the grads computed."""
    moving = [t for t in graph.tensors if not is_constant(t)]
    if show == "reverse":
        found = derivatives.adjoints(graph.roots, graph.tensors, gradient, "draw(show='reverse')")
        steps = {id(t): i for i, t in enumerate(reversed(moving), 1)}
        return show, steps, found, {}
    if show == "forward":
        reached = derivatives.sweep_tangents(graph.tensors, _seeds(graph, wrt))
        steps = {id(t): i for i, t in enumerate(moving, 1)}
        return show, steps, {id(t): reached.get(id(t), np.zeros(t.shape)) for t in moving}, reached
    return show, {}, {id(t): t.grad._data for t in moving if t.grad is not None}, {}


def _seeds(graph, wrt):
    """{id: tangent} from `wrt`: a tensor (tangent 1 everywhere) or {tensor: tangent}."""
    if wrt is None:
        leaves = [t for t in graph.tensors if t.grad_fn is None and t.requires_grad]
        if len(leaves) != 1:
            raise ValueError("draw(show='forward'): say where the tangent starts, e.g. wrt=x "
                             "or wrt={x: 1.0, y: 0.0}")
        wrt = leaves[0]
    pairs = [(wrt, 1.0)] if isinstance(wrt, Tensor) else list(wrt.items())
    seeds = {}
    for x, v in pairs:
        if id(x) not in graph.number:
            raise ValueError("draw(show='forward'): a tensor in wrt is not part of this graph")
        dtype = np.result_type(x._data.dtype, np.float32)
        v = v._data if isinstance(v, Tensor) else v
        seeds[id(x)] = np.broadcast_to(np.asarray(v, dtype=dtype), x.shape).copy()
    return seeds


def _collapsible(group):
    """A module call can be one box unless something it reads depends on its own output
    (the box would then feed itself: a cycle that is not in the computation)."""
    members = {id(t) for t in group.members}
    stack, seen = [], set()
    for t in group.members:
        stack.extend(x for x in t.grad_fn.inputs if id(x) not in members)
    while stack:
        t = stack.pop()
        if id(t) in seen or t.grad_fn is None:
            continue
        seen.add(id(t))
        for x in t.grad_fn.inputs:
            if id(x) in members:
                return False
            stack.append(x)
    return True
