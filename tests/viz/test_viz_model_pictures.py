"""Pictures that show the model: every module call a box (activations, pooling, Flatten, the
loss), the conv's input the image, no implementation details, a node per use of a Python
constant, and graphs small enough that `dot` lays them out at once (checked by counts)."""

import collections
import re
import shutil

import numpy as np
import pytest

import autograd as ag
import nn
from autograd import Tensor
from nn import train

NODE = re.compile(r'^\t(\w+) \[label=("(?:[^"\\]|\\.)*"|\S+)', re.M)
EDGE = re.compile(r"^\t(\w+) -> (\w+)", re.M)


def counts(dot):
    nodes = dict(NODE.findall(dot))
    edges = EDGE.findall(dot)
    return nodes, edges


def boxes(dot):
    nodes, _ = counts(dot)
    return [label.strip('"').split("\\n")[0] for key, label in nodes.items()
            if re.fullmatch(r"m\d+", key)]


def cnn_loss(rng):
    model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(64, 10))
    x = Tensor(rng.standard_normal((2, 1, 8, 8)).astype(np.float32))
    return model, nn.CrossEntropyLoss()(model(x), Tensor(rng.integers(0, 10, 2)))


def test_cnn_picture_boxes_every_call_and_shows_the_image():
    model, loss = cnn_loss(np.random.default_rng(0))
    dot = ag.viz.to_dot(loss, model=model, show="reverse")
    assert boxes(dot) == ["0: Conv2d", "1: ReLU", "2: MaxPool2d", "3: Flatten", "4: Linear",
                          "CrossEntropyLoss"]
    assert 'label="input\\n(2, 1, 8, 8)' in dot  # the image, not im2col's (2, 9, 64) windows
    for detail in ("im2col", "sliding", "pad_value", "e+308", "getitem", "(2, 9, 64)"):
        assert detail not in dot
    loss.backward(retain_graph=True)
    grad = model[4].bias.grad.numpy()
    assert f"bias (10,), adjoint {ag.viz.labels.brief(grad)}" in dot


def test_the_loss_is_one_box_whose_edge_is_softmax_minus_onehot():
    rng = np.random.default_rng(1)
    logits = Tensor(rng.standard_normal((4, 3)), requires_grad=True, name="logits")
    target = np.array([0, 2, 1, 2])
    criterion = nn.CrossEntropyLoss()
    loss = criterion(logits, Tensor(target))
    dot = ag.viz.to_dot(loss, model=criterion, show="reverse")
    assert boxes(dot) == ["model: CrossEntropyLoss"]
    label = re.search(r't1 -> m\d+ \[label="([^"]*)"', dot).group(1)
    p = np.exp(logits.numpy()) / np.exp(logits.numpy()).sum(1, keepdims=True)
    expected = (p - np.eye(3)[target]) / 4
    assert label.startswith("(softmax − onehot) / N\\nJ ()←(4, 3)")
    assert label.endswith(f"= ‖·‖={np.linalg.norm(expected):.4g}")  # the message ḡ·J
    assert "* [1" not in ag.viz.to_dot(loss)  # no all-ones mask multiply, even unboxed


def test_each_use_of_a_python_constant_is_its_own_node():
    x = Tensor(np.float64(0.5), requires_grad=True, name="x")
    h = x
    for i in range(100):
        h = (h * 0.9).tanh() if i % 2 else h.sin()
    nodes, edges = counts(ag.viz.to_dot(h, max_nodes=None))
    assert sum(1 for label in nodes.values() if label == "0.9") == 50
    out_degree = collections.Counter(source for source, _ in edges)
    assert max(out_degree.values()) == 1  # a chain: no node wired across the picture
    folded, _ = counts(ag.viz.to_dot(h, max_nodes=30))
    assert len(folded) == 30 and folded["t1"] == '"x = 0.5"'  # x survives the fold


@pytest.mark.parametrize("name", ["mlp", "cnn"])
def test_the_demo_graphs_are_small(name, tmp_path):
    X, y = np.random.default_rng(0).standard_normal((4, 64)).astype(np.float32), np.arange(4)
    model = train.build(name)
    loss = nn.CrossEntropyLoss()(model(Tensor(train.inputs_for(name, X))), Tensor(y))
    nodes, edges = counts(ag.viz.to_dot(loss, model=model))
    assert len(nodes) <= 25 and len(edges) <= 25  # a layer is a box: laid out at once
    assert boxes(ag.viz.to_dot(loss, model=model))[-1] == "CrossEntropyLoss"
    if shutil.which("dot"):
        path = train.write_graph(model, name, X, y, str(tmp_path))
        assert path.endswith(".svg")
