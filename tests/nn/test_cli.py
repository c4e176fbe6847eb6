"""chainrule-demo as a newcomer meets it: a --help that explains every flag and names the
outputs, --version, one line per epoch when the output is not a terminal, a plain word when the
plot extra is missing, and the layer table."""

import io
import sys

import pytest

import autograd as ag
import nn
from nn import train


def test_help_explains_every_flag_and_names_the_outputs(capsys):
    with pytest.raises(SystemExit) as exit_:
        train.run(["--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    for action in train.parser()._actions:
        assert action.help, f"{action.option_strings} has no help text"
    for flag in ("--model", "--epochs", "--optimizer", "--lr", "--batch-size", "--seed",
                 "--out", "--overwrite", "--quiet", "--version"):
        assert flag in text
    defaults = ", ".join(f"{n} for {m}" for m, n in train.EPOCHS.items())
    assert f"(default: {defaults})" in " ".join(text.split()) and "{'mlp'" not in text
    for output in ("<model>.npz", "<model>.safetensors", "graph_<model>.svg", "loss.png"):
        assert output in text
    assert "main job" not in text.lower()


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        train.run(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"chainrule-demo (chainrule) {ag.__version__}"


def test_not_a_terminal_gives_one_line_per_epoch_and_the_layer_table(tmp_path, capsys):
    assert not sys.stdout.isatty()
    train.run(["--model", "cnn", "--epochs", "2", "--out", str(tmp_path / "o")])
    out = capsys.readouterr().out
    assert "\r" not in out
    assert [line[:11] for line in out.splitlines() if line.startswith("epoch")] == [
        "epoch   1/2", "epoch   2/2"]
    assert "Layer (type)" in out and "  0 (Conv2d)     (1, 16, 8, 8)      160  yes" in out
    assert "Total params: 6,090" in out
    assert sorted(p.name for p in (tmp_path / "o").iterdir() if p.suffix != ".svg") == [
        "cnn.npz", "cnn.safetensors", "graph_cnn.dot", "loss.png"]
    assert "nn.load(" in out


def test_a_terminal_gets_the_progress_bar(tmp_path, monkeypatch):
    pytest.importorskip("tqdm")

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stdout", screen)
    train.run(["--model", "mlp", "--epochs", "2", "--out", str(tmp_path / "t")])
    text = screen.getvalue()
    assert "\r" in text and "mlp: 100%" in text
    assert not any(line.startswith("epoch") for line in text.splitlines())


def test_missing_plot_extra_is_said_plainly(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)   # import matplotlib -> ImportError
    train.run(["--model", "mlp", "--epochs", "1", "--out", str(tmp_path / "p"), "--quiet"])
    out = capsys.readouterr().out
    assert ("(loss curves skipped: matplotlib is not installed; pip install "
            "'chainrule[plot]' to get loss.png)") in out
    assert "Wrote the graph pictures and trained weights to" in out
    assert "loss curves, graph" not in out and not (tmp_path / "p" / "loss.png").exists()
    weights = nn.load(tmp_path / "p" / "mlp.safetensors")
    assert weights["0.weight"].shape == (128, 64)
