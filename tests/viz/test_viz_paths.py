"""`paths`: every x -> y path with its product of edge derivatives; the sum is the gradient,
from ag.grad and from backward, and the count of paths outgrows the edges reverse mode visits."""

import math

import numpy as np
import pytest
from viz_graphs import lesson_graph, scalar

import autograd as ag
from autograd import Tensor


def test_two_paths_from_b_sum_to_the_gradient_and_to_backward():
    a, b, _, _, e = lesson_graph()
    p = ag.viz.paths(e, b)
    assert [(path.nodes, path.factors, path.product) for path in p.paths] == [
        (["b", "c", "e"], [1.0, 2.0], 2.0),
        (["b", "d", "e"], [1.0, 3.0], 3.0),
    ]
    assert p.num_paths == 2 and p.total == 5.0 and p.gradient == 5.0
    assert p.num_edges == 5  # a→+, b→+, b→+, c→*, d→* (the constant 1 carries no gradient)
    e.backward()
    assert b.grad.item() == p.total


def test_one_path_from_a():
    a, b, _, _, e = lesson_graph()
    p = ag.viz.paths(e, a)
    assert [path.nodes for path in p.paths] == [["a", "c", "e"]]
    assert p.total == p.gradient == 2.0


def test_text_lists_paths_products_sum_and_gradient():
    _, b, _, _, e = lesson_graph()
    text = str(ag.viz.paths(e, b))
    assert "∂e/∂b" in text
    assert "b → c → e   1 × 2 = 2" in text and "b → d → e   1 × 3 = 3" in text
    assert "sum over 2 paths = 5" in text
    assert "visits each of 5 edges once) = 5" in text


@pytest.mark.parametrize("depth", [1, 4, 10])
def test_diamond_chain_doubles_paths_but_not_edges(depth):
    x = scalar(0.3, "x")
    h = x
    for _ in range(depth):
        h = h.sin() * h.cos()  # one diamond: two routes from h to the next h
    p = ag.viz.paths(h, x)
    assert p.num_paths == 2 ** depth
    assert p.num_edges == 4 * depth
    assert math.isclose(p.total, p.gradient, rel_tol=1e-12)
    (g,) = ag.grad(h, x)
    assert math.isclose(p.gradient, g.item(), rel_tol=1e-15)


def test_too_many_paths_is_refused_with_the_count():
    x = scalar(0.3, "x")
    h = x
    for _ in range(12):
        h = h.sin() * h.cos()
    with pytest.raises(ValueError, match="4096 paths"):
        ag.viz.paths(h, x, max_paths=1000)


def test_paths_need_scalars_and_a_connected_input():
    x = Tensor(np.ones(3), requires_grad=True, name="x")
    with pytest.raises(ValueError, match="scalars"):
        ag.viz.paths((x * x).sum(), x)
    a, b = scalar(1.0), scalar(2.0)
    with pytest.raises(ValueError, match="not part of the graph"):
        ag.viz.paths(a * a, b)
    three = Tensor(np.float64(3.0))
    with pytest.raises(ValueError, match="require grad"):
        ag.viz.paths(a * three, three)


def test_paths_after_a_plain_backward_is_a_clear_error():
    _, b, _, _, e = lesson_graph()
    e.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        ag.viz.paths(e, b)


def test_paths_refuse_an_input_modified_in_place():
    x = Tensor(np.float64(2.0), requires_grad=True, name="x")
    c = Tensor(np.float64(3.0))
    y = x * c
    c += 1.0
    with pytest.raises(RuntimeError, match="modified in place"):
        ag.viz.paths(y, x)


def test_a_long_chain_takes_time_linear_in_its_length():
    # Compared with itself, not with a clock: a chain four times longer must cost about four
    # times as much CPU (linear), far from the sixteen of the old prefix-copying walk. CPU time
    # of this process, so other load on the machine does not move the ratio much.
    import time

    def cost(n):
        x = scalar(0.3, "x")
        h = x
        for i in range(n):
            h = h.sin() if i % 2 else h.tanh()
        start = time.process_time()
        p = ag.viz.paths(h, x)
        elapsed = time.process_time() - start
        assert p.num_paths == 1 and len(p.paths[0].nodes) == n + 1
        assert p.paths[0].nodes[0] == "x" and len(p.paths[0].factors) == n
        assert math.isclose(p.total, p.gradient, rel_tol=1e-9)
        return elapsed

    short, long = cost(10_000), cost(40_000)
    assert long < 9 * short + 0.5, f"paths: 10,000 ops {short:.2f} s, 40,000 ops {long:.2f} s"
