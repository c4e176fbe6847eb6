"""nn.summary: each layer's output shape and parameter count from one forward pass, and a
model left exactly as it was."""

import numpy as np
import pytest

import nn
from nn.train import build


def test_cnn_table_has_every_layer_shape_and_count(capsys):
    model = build("cnn")
    result = nn.summary(model, (2, 1, 8, 8))
    printed = capsys.readouterr().out
    assert printed.strip() == str(result)
    shapes = [row[3] for row in result.rows]
    assert shapes == ["(2, 10)", "(2, 16, 8, 8)", "(2, 16, 8, 8)", "(2, 16, 4, 4)",
                      "(2, 32, 4, 4)", "(2, 32, 4, 4)", "(2, 32, 2, 2)", "(2, 128)", "(2, 10)"]
    params = [row[4] for row in result.rows]
    assert params == [0, 16 * 9 + 16, 0, 0, 32 * 16 * 9 + 32, 0, 0, 0, 128 * 10 + 10]
    assert result.total_params == result.trainable_params == 6090
    assert "  3 (Conv2d)     (2, 32, 4, 4)    4,640  yes" in printed
    assert "Total params: 6,090" in printed and "Non-trainable params: 0" in printed


def test_frozen_parameters_and_nested_names():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
            self.head = nn.Linear(4, 2)

        def forward(self, x):
            return self.head(self.body(x).relu())

    model = Net()
    model.body[0].weight.requires_grad_(False)
    result = nn.summary(model, (5, 3), verbose=False)
    table = {row[1]: row for row in result.rows}
    assert table["body.0"][0] == 2 and table["body.0"][5] == "partly"
    assert table["body.1"][4] == 8 and table["head"][3] == "(5, 2)"
    assert (result.total_params, result.trainable_params) == (34, 34 - 12)
    assert "Non-trainable params: 12" in str(result)


def test_model_is_left_as_it_was():
    model = build("mlp")
    model[2].eval()                       # a mixed mode must come back mixed
    before = {k: v.copy() for k, v in model.state_dict().items()}
    nn.summary(model, (1, 64), verbose=False)
    assert model.training and not model[2].training and model[0].training
    assert all("forward" not in m.__dict__ for m in model.modules())
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[key])
    assert all(p.grad is None for p in model.parameters())


def test_shared_layer_counts_once_and_shows_each_call():
    shared = nn.Linear(4, 4)
    model = nn.Sequential(shared, nn.Tanh(), shared)
    result = nn.summary(model, (1, 4), verbose=False)
    assert [row[2] for row in result.rows] == ["Sequential", "Linear", "Tanh", "Linear"]
    assert result.total_params == 20


def test_input_data_for_integer_inputs_and_errors():
    model = nn.Sequential(nn.Embedding(10, 3), nn.Flatten(), nn.Linear(6, 2))
    result = nn.summary(model, input_data=np.array([[1, 2]]), verbose=False)
    assert result.rows[-1][3] == "(1, 2)" and result.total_params == 30 + 14
    with pytest.raises(TypeError, match="give input_size"):
        nn.summary(model)
    with pytest.raises(ValueError, match=r"input_size \(1, -64\) must be a shape"):
        nn.summary(model, (1, -64))
    with pytest.raises(TypeError, match="expected an nn.Module, got function"):
        nn.summary(lambda x: x, (1, 2))
