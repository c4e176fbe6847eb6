"""`ag.viz.explore` without a browser: the page is self-contained and offline, its numbers are
the engine's, it is the same bytes every run, and big graphs are quick and folded."""

import json
import os
import re
import shutil

import numpy as np
import pytest
from viz_graphs import lesson_graph, scalar

import autograd as ag

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz's dot")


def cpu_seconds():
    """CPU time of this process and of the programs it ran and waited for (`dot`)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def page_data(text):
    found = re.search(r'<script type="application/json" id="data">(.*?)</script>', text, re.S)
    return json.loads(found.group(1).replace("<\\/", "</"))


def test_page_is_one_offline_file_written_to_path(tmp_path):
    *_, e = lesson_graph()
    text = ag.viz.explore(e, tmp_path / "page.html")
    assert (tmp_path / "page.html").read_text(encoding="utf-8") == text
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    urls = set(re.findall(r"https?://[^\s\"'<>]+", text))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert "<script src" not in text and "<link" not in text and "@import" not in text
    for control in ("next", "prev", "reset", "step", "mode-forward", "mode-reverse"):
        assert f'id="{control}"' in text
    assert "<iframe srcdoc=" in text._repr_html_()


def test_numbers_are_the_engines():
    a, b, c, d, e = lesson_graph()
    data = page_data(ag.viz.explore(e, wrt=b))
    names = {v["name"]: k for k, v in data["nodes"].items()}
    final = {name: data["nodes"][k]["events"]["reverse"][-1] for name, k in names.items()}
    e.backward(retain_graph=True)
    assert final["a"]["full"] == [a.grad.item()] and final["b"]["full"] == [b.grad.item()]
    # b's adjoint builds up as its messages arrive: 3 from d first, then 2 from c
    assert [ev["lines"] for ev in data["nodes"][names["b"]]["events"]["reverse"]] == [
        ["adjoint 3"], ["adjoint 3 + 2 = 5"], ["adjoint 3 + 2 = 5"]]
    fired = [f for f in data["reverse"]["edges"] if f and "message" in f]
    assert sorted(f["text"] for f in fired) == ["1 × 2 = 2", "1 × 2 = 2", "1 × 3 = 3",
                                                "2 × 1 = 2", "3 × 1 = 3"]
    assert len(data["reverse"]["steps"]) == len(data["forward"]["steps"]) == 5
    _, tangent = ag.jvp(lambda a, b: (a + b) * (b + 1), (a, b), (0.0, 1.0))
    assert data["nodes"][names["e"]]["events"]["forward"][-1]["full"] == [tangent.item()]


def test_same_bytes_every_run():
    *_, e = lesson_graph()
    assert ag.viz.explore(e) == ag.viz.explore(e)


def test_two_thousand_nodes_in_under_five_seconds_and_larger_graphs_fold():
    x = scalar(0.3, "x")
    h = x
    for i in range(999):  # 1,000 tensors and 999 ops: 1,999 nodes
        h = h.sin() if i % 2 else h.tanh()
    start = cpu_seconds()
    data = page_data(ag.viz.explore(h))
    assert cpu_seconds() - start < 5.0  # about 1.3 s; CPU time, so a busy machine can't fail it
    assert len(data["reverse"]["steps"]) == 1000
    y = h
    for _ in range(500):
        y = y.sin()
    data = page_data(ag.viz.explore(y))
    assert len(data["reverse"]["steps"]) < 1400  # 1,500 tensors, folded to max_nodes=2000
    (g,) = ag.grad(y, [x])
    assert data["nodes"]["t1"]["name"] == "x"  # the input end is kept
    assert np.isclose(data["nodes"]["t1"]["events"]["reverse"][-1]["full"][0], g.item())


def test_a_module_box_shows_its_parameters_adjoints_once_the_sweep_passes_it():
    nn = pytest.importorskip("nn")
    rng = np.random.default_rng(0)
    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
    x = ag.Tensor(rng.standard_normal((4, 2)).astype(np.float32), name="x")
    loss = (model(x) ** 2).mean()
    data = page_data(ag.viz.explore(loss, model=model))
    boxes = {v["name"]: v for k, v in data["nodes"].items() if k.startswith("m")}
    assert list(boxes) == ["0: Linear", "1: Tanh", "2: Linear"]
    loss.backward(retain_graph=True)
    (event,) = boxes["2: Linear"]["events"]["reverse"]
    bias = ag.viz.labels.brief(model[2].bias.grad.numpy())
    assert boxes["2: Linear"]["blank"] == ["2: Linear", "weight (1, 3)", "bias (1,)"]
    assert event["lines"][2] == f"bias (1,), adjoint {bias}" and event["step"] == 4
