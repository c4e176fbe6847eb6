"""Pictures of models: parameters named by the model, each module call one box (or a dashed
cluster with expand=True), derivatives on the box's edges from its ops' own rules."""

import re

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor


class Linear:
    """Just enough of a module for the grouping: named parameters and a call."""

    def __init__(self, n_in, n_out, rng):
        self.weight = Tensor(rng.standard_normal((n_out, n_in)), requires_grad=True)
        self.bias = Tensor(rng.standard_normal(n_out), requires_grad=True)

    def __call__(self, x):
        return x @ self.weight.T + self.bias

    def named_parameters(self):
        return [("weight", self.weight), ("bias", self.bias)]


class TwoLayers:
    def __init__(self, rng):
        self.fc1, self.fc2 = Linear(4, 3, rng), Linear(3, 2, rng)

    def __call__(self, x):
        return self.fc2(self.fc1(x).tanh())

    def named_parameters(self):
        return [(f"{m}.{n}", p) for m in ("fc1", "fc2")
                for n, p in getattr(self, m).named_parameters()]

    def named_children(self):
        return [("fc1", self.fc1), ("fc2", self.fc2)]


def setup():
    rng = np.random.default_rng(0)
    model = TwoLayers(rng)
    x = Tensor(rng.standard_normal((5, 4)))
    return model, x, (model(x) ** 2.0).mean()


def boxes(dot):
    return [(box, label.strip('"'))
            for box, label in re.findall(r'\t(m\d+) \[label=("[^"]*"|\S+)', dot)]


def test_each_module_call_is_one_box_with_its_parameters():
    model, x, loss = setup()
    dot = ag.viz.to_dot(loss, model=model)
    assert [label for _, label in boxes(dot)] == [
        "fc1: Linear\\nweight (3, 4)\\nbias (3,)", "fc2: Linear\\nweight (2, 3)\\nbias (2,)"]
    assert "label=tanh" in dot and "transpose" not in dot and "broadcast_to(shape=(5, 3))" \
        not in dot


def test_the_box_edge_is_the_derivative_of_the_whole_call():
    model, x, loss = setup()
    dot = ag.viz.to_dot(loss, model=model)
    (box, _), (box2, _) = boxes(dot)
    edge = re.search(rf'\t(t\d+) -> {box2} \[label="([^"]*)"\]', dot)
    # fc2(h) = h @ W.T + b: ∂/∂h is I_5 ⊗ W, norm √5 ‖W‖
    expected = np.sqrt(5) * np.linalg.norm(model.fc2.weight.numpy())
    assert edge.group(2) == f"J (5, 2)←(5, 3)\\n‖J‖={expected:.4g}"
    assert re.search(rf'\tt\d+ -> {box} \[color="#9ca3af" style=dashed\]', dot)  # x: data


def test_expand_draws_clusters_with_named_parameters():
    model, x, loss = setup()
    loss.backward(retain_graph=True)
    dot = ag.viz.to_dot(loss, model=model, expand=True)
    assert boxes(dot) == []
    assert "subgraph cluster_0" in dot and 'label="fc1: Linear"' in dot
    assert 'label="fc2: Linear"' in dot
    norm = np.linalg.norm(model.fc1.weight.grad.numpy())
    assert 'label="fc1.weight\\n(3, 4) ∈ [' in dot
    assert f"grad ‖·‖={norm:.4g}" in dot


def test_grads_are_listed_inside_the_box():
    model, x, loss = setup()
    loss.backward(retain_graph=True)
    (_, label), _ = boxes(ag.viz.to_dot(loss, model=model))
    norm = np.linalg.norm(model.fc1.weight.grad.numpy())
    assert label.startswith(f"fc1: Linear\\nweight (3, 4), grad ‖·‖={norm:.4g}")


def test_a_module_called_twice_gives_two_boxes():
    rng = np.random.default_rng(0)
    layer = Linear(3, 3, rng)
    x = Tensor(rng.standard_normal((2, 3)))
    y = layer(layer(x).tanh()).sum()
    labels = [label for _, label in boxes(ag.viz.to_dot(y, model=layer))]
    assert len(labels) == 2 and all(label.startswith("model: ") for label in labels)


def test_real_nn_model():
    nn = pytest.importorskip("nn")
    if not all(hasattr(nn, name) for name in ("Sequential", "Linear", "ReLU", "CrossEntropyLoss")):
        pytest.skip("nn is not complete yet")
    rng = np.random.default_rng(0)
    model = nn.Sequential(nn.Linear(6, 4), nn.ReLU(), nn.Linear(4, 3))
    x = Tensor(rng.standard_normal((8, 6)).astype(np.float32))
    target = Tensor(rng.integers(0, 3, 8))
    loss = nn.CrossEntropyLoss()(model(x), target)
    dot = ag.viz.to_dot(loss, model=model)
    labels = [label.split("\\n")[0] for _, label in boxes(dot)]
    # every call a box: the activation and the loss too
    assert labels == ["0: Linear", "1: ReLU", "2: Linear", "CrossEntropyLoss"]
    nodes = re.findall(r'\t(\w+) \[label=', dot)
    # x and target, 4 boxes, their 4 outputs and the legend: nothing from inside a call
    assert len(nodes) == 11
    assert "getitem" not in dot and "log_softmax" not in dot and "* " not in dot
    assert re.search(r'label="\(softmax − onehot\) / N\\nJ \(\)←\(8, 3\)', dot)
    assert 'label="target\\n(8,)' in dot
    assert 'label="input\\n(8, 6)' in dot  # the data batch, named by its place in the call
    dot = ag.viz.to_dot(loss, model=model, expand=True)
    assert "0.weight" in dot and "2.bias" in dot
