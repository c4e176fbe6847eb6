"""Freed graphs, rendering with Graphviz's `dot`, and the message when `dot` is missing."""

import shutil

import graphviz
import numpy as np
import pytest

import autograd as ag
from autograd import Tensor


def lesson_graph():
    a = Tensor(np.float64(2.0), requires_grad=True, name="a")
    b = Tensor(np.float64(1.0), requires_grad=True, name="b")
    return (a + b) * (b + 1)


def test_drawing_a_freed_graph_says_draw_first_or_retain_it():
    e = lesson_graph()
    e.backward()
    with pytest.raises(RuntimeError, match="before backward.*retain_graph=True"):
        ag.viz.draw(e)
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        ag.viz.to_dot(e, show="reverse")


def test_a_partly_freed_graph_is_refused_too():
    a = Tensor(np.float64(2.0), requires_grad=True)
    h = a.exp()
    h.sin().backward()  # frees exp and sin
    with pytest.raises(RuntimeError, match="freed"):
        ag.viz.draw(h * 2.0)  # the new op is fine, what it stands on is not


def test_retain_graph_keeps_it_drawable():
    e = lesson_graph()
    e.backward(retain_graph=True)
    assert "grad 5" in ag.viz.to_dot(e)


def test_an_input_modified_in_place_after_use_is_flagged_not_differentiated():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True, name="x")
    c = Tensor(np.array([3.0, 4.0]), name="c")
    y = (x * c).sum()
    c += 1.0  # untracked, so it changes c's values under the recorded op
    dot = ag.viz.to_dot(y)
    assert 't2 -> op3 [label="modified in place\\nafter this use"' in dot
    assert "\tt1 -> op3\n" in dot  # its derivative would read the new c: no label


def test_draw_returns_a_digraph_whose_source_is_to_dot():
    e = lesson_graph()
    g = ag.viz.draw(e)
    assert isinstance(g, graphviz.Digraph)
    assert g.source == ag.viz.to_dot(e)


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot program is not installed")
def test_renders_to_svg_with_dot(tmp_path):
    g = ag.viz.draw(lesson_graph())
    svg = g.pipe(format="svg", encoding="utf-8")
    assert "<svg" in svg and "e = 6" not in svg  # unnamed output: t6
    assert ">a = 2<" in svg and ">t6 = 6<" in svg
    path = g.render(tmp_path / "lesson", format="svg")
    assert path.endswith(".svg")
    assert "image/svg+xml" in g._repr_mimebundle_()
    html = ag.viz.side_by_side(g, ag.viz.draw(lesson_graph(), show="reverse"),
                               titles=["values", "reverse"])._repr_html_()
    assert html.count("<svg") == 2 and "<?xml" not in html and "reverse" in html


def test_without_dot_rendering_says_how_to_install_it(monkeypatch, tmp_path):
    g = ag.viz.draw(lesson_graph())
    source = g.source
    monkeypatch.setenv("PATH", "")
    with pytest.raises(ag.viz.DotNotFound, match="apt-get install graphviz") as err:
        g.pipe(format="svg")
    assert "brew install graphviz" in str(err.value)
    assert isinstance(err.value, graphviz.ExecutableNotFound)  # what graphviz users catch
    with pytest.raises(graphviz.ExecutableNotFound):
        g.render(tmp_path / "never", format="png")
    assert ag.viz.to_dot(lesson_graph()) == source  # DOT text needs no program


def test_side_by_side_checks_titles():
    g = ag.viz.draw(lesson_graph())
    with pytest.raises(ValueError, match="titles"):
        ag.viz.side_by_side(g, g, titles=["one"])
