"""The DOT text of known graphs: nodes, one edge per use, edge labels equal to local derivatives
worked by hand, node labels, the forward and reverse sweeps, and determinism."""

import re

import numpy as np
import pytest
from viz_graphs import lesson_graph, scalar

import autograd as ag
from autograd import Tensor

NODE = re.compile(r'^\t(\w+) \[label=("(?:[^"\\]|\\.)*"|\S+)')
EDGE = re.compile(r'^\t(\w+) -> (\w+)(?: \[(.*)\])?$')
LABEL = re.compile(r'label=("(?:[^"\\]|\\.)*"|[^ \]]+)')


def unquote(text):
    return text[1:-1] if text.startswith('"') else text


def parse(dot):
    """{node id: label} and [(src, dst, label or None)] from DOT text."""
    nodes, edges = {}, []
    for line in dot.splitlines():
        if m := EDGE.match(line):
            label = LABEL.search(m.group(3) or "")
            edges.append((m.group(1), m.group(2), unquote(label.group(1)) if label else None))
        elif m := NODE.match(line):
            nodes[m.group(1)] = unquote(m.group(2))
    return nodes, edges


def test_lesson_graph_has_a_node_per_tensor_and_op_and_an_edge_per_use():
    *_, e = lesson_graph()
    nodes, edges = parse(ag.viz.to_dot(e))
    # tensors a, b, c, the constant 1, d, e; ops +, +, *
    assert sorted(nodes) == ["op3", "op5", "op5c1", "op6", "t1", "t2", "t3", "t5", "t6"]
    assert len(edges) == 9
    assert nodes["t1"] == "a = 2" and nodes["t6"] == "e = 6" and nodes["op5c1"] == "1"
    assert [nodes[k] for k in ("op3", "op5", "op6")] == ["+", "+", "*"]


def test_edge_labels_are_the_local_derivatives_worked_by_hand():
    *_, e = lesson_graph()
    nodes, edges = parse(ag.viz.to_dot(e))
    labels = {(src, dst): label for src, dst, label in edges}
    assert labels[("t3", "op6")] == "2"  # ∂e/∂c = d = b + 1 = 2
    assert labels[("t5", "op6")] == "3"  # ∂e/∂d = c = a + b = 3
    assert labels[("t1", "op3")] == "1"  # ∂c/∂a
    assert labels[("t2", "op3")] == "1"  # ∂c/∂b
    assert labels[("t2", "op5")] == "1"  # ∂d/∂b
    assert labels[("op5c1", "op5")] is None  # the constant 1 gets no gradient, so no label
    assert labels[("op6", "t6")] is None


def test_a_value_used_twice_has_two_edges():
    a = scalar(3.0, "a")
    nodes, edges = parse(ag.viz.to_dot(a * a))
    assert len(nodes) == 3
    assert [(s, d, lab) for s, d, lab in edges if d == "op2"] == [("t1", "op2", "3")] * 2


def test_diamond_has_both_branches_and_their_derivatives():
    x = scalar(0.5, "x")
    y = x.sin() * x.cos()
    nodes, edges = parse(ag.viz.to_dot(y))
    assert len(nodes) == 1 + 2 * 3  # x; sin, cos, * with their outputs
    into = {(s, d): lab for s, d, lab in edges}
    assert into[("t1", "op2")] == f"{np.cos(0.5):.4g}"   # ∂sin x/∂x
    assert into[("t1", "op3")] == f"{-np.sin(0.5):.4g}"  # ∂cos x/∂x
    assert into[("t2", "op4")] == f"{np.cos(0.5):.4g}"   # ∂(uv)/∂u = v
    assert into[("t3", "op4")] == f"{np.sin(0.5):.4g}"   # ∂(uv)/∂v = u
    assert sum(1 for s, _, _ in edges if s == "t1") == 2


def test_tensor_edges_summarise_the_jacobian():
    x = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True, name="x")
    nodes, edges = parse(ag.viz.to_dot((x * x).sum()))
    labels = [lab for _, _, lab in edges if lab]
    # each use of x in x*x has the diagonal factor "the other operand"; sum has a row of ones
    assert labels == ["diag (3,): [1, 2, 3]", "diag (3,): [1, 2, 3]", "J ()←(3,): [1, 1, 1]"]
    assert nodes["t1"] == "x = [1, 2, 3]" and nodes["op3"] == "sum(axis=(0,))"


def test_large_tensor_edges_give_shape_factor_and_norm():
    rng = np.random.default_rng(0)
    x = Tensor(rng.standard_normal((20, 30)), requires_grad=True, name="x")
    w = Tensor(rng.standard_normal((30, 5)), requires_grad=True, name="w")
    h = (x @ w).relu() * 2.0
    _, edges = parse(ag.viz.to_dot(h.sum()))
    labels = {(s, d): lab for s, d, lab in edges}
    assert labels[("t1", "op3")].startswith("J (20, 5)←(20, 30)\\n‖J‖≈")  # 600 inputs: estimated
    expected = np.sqrt(5) * np.linalg.norm(x.numpy())                         # ‖x ⊗ I₅‖
    assert labels[("t2", "op3")] == f"J (20, 5)←(30, 5)\\n‖J‖={expected:.4g}"  # exact
    relu = labels[("t3", "op4")]
    on = np.mean((x.numpy() @ w.numpy()) > 0) * 100
    assert relu == f"diag (20, 5)\\n0/1 mask, {round(on)}% ones"
    assert labels[("t4", "op6")] == "diag (20, 5): 2"


def test_exponent_edge_uses_the_power_rule_in_both_inputs():
    x, y = scalar(2.0, "x"), scalar(3.0, "y")
    _, edges = parse(ag.viz.to_dot(x ** y))
    labels = [lab for _, _, lab in edges if lab]
    assert labels == ["12", f"{8 * np.log(2):.4g}"]  # y x^(y-1), x^y log x


def test_labels_agree_with_the_engine_jacobian():
    rng = np.random.default_rng(1)
    x = Tensor(rng.standard_normal((2, 3)), requires_grad=True, name="x")
    out = x.tanh()
    jac = ag.jacobian(lambda t: t.tanh(), x).numpy().reshape(6, 6)
    _, edges = parse(ag.viz.to_dot(out))
    low, high = np.diag(jac).min(), np.diag(jac).max()
    assert edges[0][2] == f"diag (2, 3)\\n∈ [{low:.4g}, {high:.4g}]"


def test_op_arguments_and_broadcasts_are_shown():
    x = Tensor(np.ones((2, 3)), requires_grad=True, name="x")
    b = Tensor(np.ones(3), requires_grad=True, name="b")
    nodes, _ = parse(ag.viz.to_dot((x + b).sum(axis=0).clip(0.0, 1.0)))
    ops = [label for key, label in nodes.items() if key.startswith("op")]
    assert ops == ["broadcast_to(shape=(2, 3))", "+", "sum(axis=(0,))", "clip(lo=0, hi=1)"]


def test_names_from_the_constructor_and_the_attribute_and_numbers_otherwise():
    a = Tensor(np.float64(1.0), requires_grad=True, name="alpha")
    b = Tensor(np.float64(2.0), requires_grad=True)
    b.name = "beta"
    c = a * b
    nodes, _ = parse(ag.viz.to_dot(c + a))
    assert nodes["t1"] == "alpha = 1" and nodes["t2"] == "beta = 2"
    assert nodes["t3"] == "t3 = 2" and nodes["t4"] == "t4 = 3"


def test_grads_appear_once_known():
    a, b, c, d, e = lesson_graph()
    e.backward(retain_graph=True)
    nodes, _ = parse(ag.viz.to_dot(e))
    assert nodes["t1"] == "a = 2\\ngrad 2" and nodes["t2"] == "b = 1\\ngrad 5"


def test_reverse_order_and_adjoints():
    *_, e = lesson_graph()
    nodes, _ = parse(ag.viz.to_dot(e, show="reverse"))
    assert nodes["t6"] == "[1] e = 6\\nadjoint 1"
    assert nodes["t5"] == "[2] d = 2\\nadjoint 3"
    assert nodes["t3"] == "[3] c = 3\\nadjoint 2"
    assert nodes["t2"] == "[4] b = 1\\nadjoint 2 + 3 = 5"  # b's two messages, summed
    assert nodes["t1"] == "[5] a = 2\\nadjoint 2"
    assert e.grad_fn.inputs is not None  # drawing the reverse pass keeps the graph


def test_reverse_edges_carry_local_times_upstream_equals_message():
    *_, e = lesson_graph()
    _, edges = parse(ag.viz.to_dot(e, show="reverse"))
    labels = {(src, dst): label for src, dst, label in edges}
    assert labels[("t3", "op6")] == "2 × 1 = 2"  # ∂e/∂c = d = 2, ē = 1
    assert labels[("t5", "op6")] == "3 × 1 = 3"
    assert labels[("t2", "op3")] == "1 × 2 = 2"  # b's message through c
    assert labels[("t2", "op5")] == "1 × 3 = 3"  # ... and through d: 2 + 3 = 5
    assert labels[("t1", "op3")] == "1 × 2 = 2"


def test_forward_edges_carry_local_times_tangent_and_the_output_sums_them():
    a, b, c, d, e = lesson_graph()
    nodes, edges = parse(ag.viz.to_dot(e, show="forward", wrt=b))
    labels = {(src, dst): label for src, dst, label in edges}
    assert labels[("t3", "op6")] == "2 × 1 = 2" and labels[("t5", "op6")] == "3 × 1 = 3"
    assert labels[("t1", "op3")] == "1"  # a's tangent is zero: no message, the derivative only
    assert nodes["t6"] == "[5] e = 6\\ntangent 2 + 3 = 5"


def test_tensor_messages_sum_to_the_adjoint_and_a_legend_explains_them():
    x = Tensor(np.array([1.0, -2.0, 3.0]), requires_grad=True, name="x")
    W = Tensor(np.arange(6.0).reshape(2, 3) / 10, requires_grad=True, name="W")
    h = (W @ x).tanh()
    y = (h * h).sum() + (x * x).sum()
    nodes, edges = parse(ag.viz.to_dot(y, show="reverse"))
    x_node = next(v for v in nodes.values() if v.startswith("[") and " x = " in v)
    assert "adjoint = sum of 3 messages" in x_node  # W @ x and both uses in x * x
    y.backward()
    assert x_node.endswith(f"[{', '.join(f'{v:.4g}' for v in x.grad.numpy())}]")
    assert "legend" in nodes and "J out←in" in nodes["legend"] and "‖J‖" in nodes["legend"]
    assert any(label and label.startswith("J (2,)←(3,)") and "\\n× " in label
               for *_, label in edges)


def test_reverse_needs_a_seed_for_a_non_scalar_output():
    x = Tensor(np.ones(3), requires_grad=True, name="x")
    with pytest.raises(ValueError, match="gradient="):
        ag.viz.draw(x * 2.0, show="reverse")
    nodes, _ = parse(ag.viz.to_dot(x * 2.0, show="reverse", gradient=np.array([1.0, 0.0, 2.0])))
    assert nodes["t1"].endswith("adjoint [2, 0, 4]")


def test_forward_order_and_tangents_match_jvp():
    a, b, c, d, e = lesson_graph()
    nodes, _ = parse(ag.viz.to_dot(e, show="forward", wrt=b))
    assert nodes["t1"] == "[1] a = 2\\ntangent 0"
    assert nodes["t2"] == "[2] b = 1\\ntangent 1"
    assert nodes["t3"] == "[3] c = 3\\ntangent 1"
    assert nodes["t5"] == "[4] d = 2\\ntangent 1"
    _, tangent = ag.jvp(lambda a, b: (a + b) * (b + 1), (a, b), (0.0, 1.0))
    assert nodes["t6"] == f"[5] e = 6\\ntangent 2 + 3 = {tangent.item():.4g}"
    nodes, _ = parse(ag.viz.to_dot(e, show="forward", wrt={a: 1.0, b: 1.0}))
    assert nodes["t6"].endswith("= 7")
    with pytest.raises(ValueError, match="wrt"):
        ag.viz.draw(e, show="forward")  # two inputs: which direction?
    assert a.tangent is None and b.tangent is None  # the sweep leaves no tangent behind


def test_same_dot_twice_and_for_two_identical_graphs():
    *_, e1 = lesson_graph()
    *_, e2 = lesson_graph()
    first = ag.viz.to_dot(e1)
    assert ag.viz.to_dot(e1) == first
    assert ag.viz.to_dot(e2) == first
    assert "0x" not in first
    rng = np.random.default_rng(0)
    x = Tensor(rng.standard_normal((40, 40)), requires_grad=True)
    assert ag.viz.to_dot((x @ x).tanh().sum()) == ag.viz.to_dot((x @ x).tanh().sum())


def test_max_nodes_folds_the_middle_and_keeps_both_ends():
    x = scalar(0.1, "x")
    y = x
    for _ in range(30):
        y = y.sin()
    nodes, edges = parse(ag.viz.to_dot(y, max_nodes=10))
    assert len(nodes) == 10
    assert nodes["folded"].startswith("⋯ 52 nodes folded ⋯\\n26 × sin")  # 61 nodes, 9 kept
    assert "t31" in nodes and nodes["t1"] == "x = 0.1"  # the output and the input x are kept
    assert sum(1 for s, _, _ in edges if s == "folded") == 1
    assert sum(1 for _, t, _ in edges if t == "folded") == 1
    full, _ = parse(ag.viz.to_dot(y, max_nodes=None))
    assert len(full) == 61 and "folded" not in full
    with pytest.raises(ValueError, match="max_nodes"):
        ag.viz.draw(y, max_nodes=1)


def test_layout_direction():
    *_, e = lesson_graph()
    assert "rankdir=LR" in ag.viz.to_dot(e)
    assert "rankdir=TB" in ag.viz.to_dot(e, rankdir="TB")


def test_a_leaf_alone_and_edge_labels_off():
    x = scalar(2.0, "x")
    nodes, edges = parse(ag.viz.to_dot(x))
    assert nodes == {"t1": "x = 2"} and edges == []
    _, edges = parse(ag.viz.to_dot(x * x, edge_labels=False))
    assert [lab for _, _, lab in edges] == [None, None, None]
    with pytest.raises(TypeError):
        ag.viz.draw(2.0)
    with pytest.raises(ValueError, match="show"):
        ag.viz.draw(x * x, show="sideways")
