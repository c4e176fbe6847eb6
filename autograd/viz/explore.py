"""`explore(y)`: one self-contained HTML page that steps through the forward and reverse sweeps.

The page is the picture `draw` makes (Graphviz's SVG, inlined) plus every number the sweeps
produce, computed here by the engine (values, ag.grad's adjoints, the ops' jvp/vjp messages) and
embedded as JSON; the page's script only shows them, step by step. No network: no CDN, no
MathJax, and a Content-Security-Policy that forbids loading anything.

Testable like a web component: the controls have ids (`prev`, `next`, `reset`, `step`,
`mode-forward`, `mode-reverse`); each tensor's SVG group carries `data-name`, `data-value` and,
once the sweep reached it, `data-adjoint` / `data-tangent` (and `-full`: every entry, as JSON);
each edge carries `data-message` once it has fired.
"""

import html
import json
import pathlib
import re

import numpy as np

from .explore_page import PAGE
from .labels import brief
from .messages import edge_text, sum_text
from .picture import default_rankdir, make_sketch
from .walk import Graph, is_constant, title

FULL = 64  # tensors up to this many entries carry every entry in data-*-full


class Explored(str):
    """The page's HTML text; Jupyter shows it (in an isolated iframe) instead of printing it."""

    def _repr_html_(self):
        return (f'<iframe srcdoc="{html.escape(self, quote=True)}" style="width:100%;'
                'height:560px;border:1px solid #ddd" sandbox="allow-scripts"></iframe>')


def explore(y, path=None, wrt=None, gradient=None, model=None, expand=False, max_nodes=2000):
    """An interactive page for the graph that computed `y`: step through the forward sweep
    (values and the tangents seeded at `wrt`, default: the first leaf that requires grad) and
    the reverse sweep (each edge's message lighting up, the adjoints accumulating).

    Returns the HTML text (displayed inline by Jupyter) and writes it to `path` if given.
    `model`, `expand` and `max_nodes` (folding beyond that many nodes) are as for `draw`.
    """
    graph = Graph(y, "explore")
    if wrt is None:
        leaves = [t for t in graph.tensors if t.grad_fn is None and t.requires_grad]
        wrt = leaves[0] if leaves else None
    options = dict(model=model, expand=expand, max_nodes=max_nodes)
    plain = make_sketch(graph, None, **options)
    plain.values = {}  # the picture starts blank: the sweeps fill it in
    sweeps = {"reverse": make_sketch(graph, "reverse", gradient=gradient, **options)}
    if wrt is not None:
        sweeps["forward"] = make_sketch(graph, "forward", wrt=wrt, **options)
    data = _data(graph, plain, sweeps, wrt)
    _layout_labels(plain, data)
    picture = plain.picture(default_rankdir(plain), ids=True)
    svg = picture.pipe(format="svg", encoding="utf-8")
    svg = svg[svg.find("<svg"):]
    text = PAGE.replace("%TITLE%", html.escape(data["title"])).replace("%SVG%", svg).replace(
        "%DATA%", json.dumps(data, sort_keys=True, ensure_ascii=False).replace("</", "<\\/"))
    if path is not None:
        pathlib.Path(path).write_text(text, encoding="utf-8")
    return Explored(text)


def _lines(text):
    return [] if not text else text.replace("\\l", "\\n").rstrip("\\n").split("\\n")


def _full(a):
    a = np.asarray(a, dtype=np.float64)
    return [float(v) for v in np.ravel(a)] if a.size <= FULL else None


def _data(graph, plain, sweeps, wrt):
    """Everything the page shows, by node id and edge index."""
    shown = {n[0] for n in plain.nodes}
    nodes = {}
    for k, t in enumerate(graph.tensors, 1):
        node = f"t{k}"
        if node not in shown or is_constant(t):
            continue
        name = title(t, k, plain.names)
        nodes[node] = {"name": name, "value": brief(t._data), "shape": list(t.shape),
                       "full": _full(t._data)}
    edges = []
    for source, target, label, *_ in plain.edges:
        local = label() if callable(label) else label
        edges.append({"source": source, "target": target, "local": _lines(local),
                      "text": local or ""})
    data = {"title": nodes[f"t{graph.number[id(graph.roots[0])]}"]["name"]
            if f"t{graph.number[id(graph.roots[0])]}" in nodes else "graph",
            "nodes": nodes, "edges": edges, "modes": list(sweeps)}
    for mode, sketch in sweeps.items():
        data[mode] = _sweep(mode, graph, sketch, nodes, edges, wrt)
    _boxes(plain, sweeps, data)
    return data


def _boxes(plain, sweeps, data):
    """A module box lists its parameters; once the sweep has passed its output, their adjoints
    (reverse) or tangents (forward) too, as `draw(show=...)` writes them."""
    for node_id, label, *_ in plain.nodes:
        if not re.fullmatch(r"m\d+", node_id):
            continue
        blank = _lines(label)
        box = {"name": blank[0], "value": "", "shape": [], "full": None, "lines": [],
               "blank": blank, "events": {}, "step": {}}
        for mode, sketch in sweeps.items():
            after = next(_lines(n[1]) for n in sketch.nodes if n[0] == node_id)
            out = [f["step"] for e, f in zip(data["edges"], data[mode]["edges"])
                   if f and e["source"] == node_id]
            if out:
                box["events"][mode] = [{"step": min(out), "lines": after, "shown": None,
                                        "full": None}]
        data["nodes"][node_id] = box


def _sweep(mode, graph, sketch, nodes, edges, wrt):
    """Steps of one sweep: which node completes at each step, the events that update a node's
    adjoint (reverse: one per arriving message) or tangent, and the step each edge fires."""
    word = "adjoint" if mode == "reverse" else "tangent"
    order = [t for t in graph.tensors if f"t{graph.number[id(t)]}" in nodes]
    if mode == "reverse":
        order.reverse()
    step_of = {id(t): s for s, t in enumerate(order, 1)}
    arrivals = {}  # reverse: id(x) -> [(step, message)] as messages reach x
    fired = [None] * len(edges)
    for i, (*_, meta) in enumerate(sketch.edges):
        out = meta.get("out") if meta else None
        if out is None or id(out) not in step_of:
            continue
        step = step_of[id(out)]
        entry = {"step": step}
        if "message" in meta:
            upstream, message = meta["upstream"], meta["message"]
            local = edges[i]["text"]
            text = edge_text(local, upstream, message)
            entry.update(lines=_lines(text), text=text.replace("\\n", " "),
                         message=brief(message), full=_full(message))
            if mode == "reverse":
                arrivals.setdefault(id(meta["into"]), []).append((step, message))
        fired[i] = entry
    steps = []
    for t in order:
        node = f"t{graph.number[id(t)]}"
        value = sketch.values.get(id(t))
        events = []
        if mode == "reverse":
            parts = []
            for step, message in sorted(arrivals.get(id(t), []), key=lambda p: p[0]):
                parts.append(message)
                events.append(_event(step, sum_text(word, parts, np.sum(parts, axis=0))))
        if value is not None:
            final = sketch.note(t) if mode == "forward" else sum_text(
                word, [m for _, m in sorted(arrivals.get(id(t), []), key=lambda p: p[0])],
                value)
            events.append(_event(step_of[id(t)], final, value))
        nodes[node].setdefault("events", {})[mode] = events
        nodes[node].setdefault("step", {})[mode] = step_of[id(t)]
        sent = [e for e, f in zip(edges, fired)
                if f and f["step"] == step_of[id(t)] and "text" in f]
        steps.append({"node": node, "text": _explain(mode, nodes[node]["name"], events, sent,
                                                     fired, edges, nodes)})
    seed = "" if wrt is None or mode == "reverse" else (
        f" Tangents start at {title(wrt, graph.number[id(wrt)], sketch.names)} (tangent 1).")
    intro = ("Reverse sweep: from the output back, each node's adjoint is complete once every "
             "edge out of it has sent its message (local derivative × upstream adjoint); "
             "a node where messages meet adds them." if mode == "reverse" else
             "Forward sweep: inputs first; each edge carries local derivative × tangent, and "
             "each node adds what arrives." + seed)
    return {"steps": steps, "edges": fired, "intro": intro}


def _event(step, text, total=None):
    lines = _lines(text)
    shown = text.split(" = ")[-1] if " = " in text and "\\n" not in text else lines[-1]
    shown = shown.removeprefix("adjoint ").removeprefix("tangent ")
    return {"step": step, "lines": lines, "shown": shown,
            "full": None if total is None else _full(total)}


def _explain(mode, name, events, sent, fired, edges, nodes):
    final = " ".join(events[-1]["lines"]) if events else ""
    verb = "complete" if mode == "reverse" else "computed"
    text = f"{name}: {final} ({verb})."
    parts = []
    for e, f in zip(edges, fired):
        if f and e in sent and f.get("text"):
            who = nodes.get(e["source"], {}).get("name", e["source"])
            parts.append(f"{who}: {f['text']}")
    if parts:
        head = " Messages sent back: " if mode == "reverse" else " Messages in: "
        text += head + "; ".join(parts) + "."
    return text


def _layout_labels(plain, data):
    """Give each label the room its longest state needs, so the laid-out picture never has to
    grow: a tensor reserves a line per note line, an edge its longest message."""
    nodes, edges = data["nodes"], data["edges"]
    rows = []
    for node_id, label, attrs, cluster in plain.nodes:
        if node_id in nodes:
            notes = [ev["lines"] for mode in data["modes"]
                     for ev in nodes[node_id].get("events", {}).get(mode, [])]
            blank = nodes[node_id].get("blank")  # a box: its whole label changes
            base = [] if blank else _lines(label() if callable(label) else label)
            if blank:
                notes.append(blank)
            nodes[node_id]["lines"] = base
            label = "\\n".join(base + _widest(notes))
        rows.append((node_id, label, attrs, cluster))
    plain.nodes = rows
    for i, edge in enumerate(plain.edges):
        states = [edges[i]["local"]] + [data[m]["edges"][i]["lines"] for m in data["modes"]
                                        if data[m]["edges"][i] and "lines" in data[m]["edges"][i]]
        if len(states) > 1:
            plain.edges[i] = (edge[0], edge[1], "\\n".join(_widest(states)), edge[3], edge[4])


def _widest(states):
    """Per line, the longest text any state puts there (a placeholder the layout sizes to)."""
    rows = max((len(s) for s in states), default=0)
    return [max((s[i] for s in states if i < len(s)), key=len) or "·" for i in range(rows)]


__all__ = ["Explored", "explore"]
