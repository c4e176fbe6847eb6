"""The main job: the digits demo trains to the accuracy the README promises and writes its
pictures and weights where it says, without overwriting a folder that already has files."""

import os

import numpy as np
import pytest

import nn
from nn import train


def test_mlp_reaches_97_percent_and_writes_its_outputs(tmp_path, capsys):
    out = tmp_path / "run"
    histories = train.run(["--model", "mlp", "--out", str(out), "--quiet"])
    assert histories["mlp"]["test_acc"][-1] >= 0.97
    assert histories["mlp"]["loss"][-1] < histories["mlp"]["loss"][0] / 10
    files = set(os.listdir(out))
    assert {"mlp.npz", "graph_mlp.dot", "loss.png"} <= files
    assert str(out) in capsys.readouterr().out  # it names the folder at the end
    weights = nn.load(out / "mlp.npz")
    assert weights["0.weight"].shape == (128, 64)
    model = train.build("mlp")
    model.load_state_dict(weights)
    X, y = nn.datasets.load_digits()
    _, X_test, _, y_test = nn.datasets.train_test_split(X, y, test_size=0.2, seed=0)
    assert train.accuracy(model, X_test, y_test) == pytest.approx(
        histories["mlp"]["test_acc"][-1])


def test_cnn_trains(tmp_path):
    histories = train.run(["--model", "cnn", "--epochs", "3", "--out", str(tmp_path / "c"),
                            "--quiet", "--optimizer", "momentum"])
    acc = histories["cnn"]["test_acc"]
    assert len(acc) == 3 and acc[-1] > 0.8
    assert np.all(np.isfinite(histories["cnn"]["loss"]))


def test_refuses_to_write_into_a_folder_with_files(tmp_path):
    keep = tmp_path / "mine.txt"
    keep.write_text("precious")
    with pytest.raises(SystemExit, match="--overwrite"):
        train.run(["--model", "mlp", "--epochs", "1", "--out", str(tmp_path), "--quiet"])
    assert keep.read_text() == "precious"


def test_console_entry_point_returns_nothing(tmp_path, capsys):
    """A console script exits with main()'s return value: anything but None would be printed
    and turned into a failing exit status."""
    assert train.main(["--model", "mlp", "--epochs", "1", "--out", str(tmp_path / "m"),
                       "--quiet"]) is None
