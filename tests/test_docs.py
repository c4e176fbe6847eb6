"""The docs build reads the plain-text docstrings as written: formulas are not taken for reST
markup and aligned columns stay aligned (the build itself runs in CI with -W)."""

import importlib.util
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("_docstrings", ROOT / "docs" / "_docstrings.py")
docstrings = importlib.util.module_from_spec(spec)
spec.loader.exec_module(docstrings)


def _read(text):
    lines = text.split("\n")
    docstrings.plain_text_docstrings(None, "function", "f", None, {}, lines)
    return lines


def test_formulas_are_escaped_outside_code():
    assert _read("x * W + b, |x - t| and `a * b`") == [
        r"x \* W + b, \|x - t\| and `a * b`"]


def test_trailing_underscores_are_not_references():
    assert _read("Init: xavier_uniform_ on the weights, `zeros_` on the bias") == [
        r"Init: xavier_uniform\_ on the weights, `zeros_` on the bias"]


def test_aligned_columns_become_a_literal_block():
    text = "Options:\n\nshow      what to show\nmodel     an nn.Module,\n          named"
    assert _read(text) == ["Options:", "", "::", "", "    show      what to show",
                           "    model     an nn.Module,", "              named"]


def test_rest_and_announced_literal_blocks_are_left_alone():
    text = "Algorithm::\n\n    m ← β·m  +  g\n\n:param lr: rate\n    (default 1)\n\n>>> 1  + 1"
    assert _read(text) == text.split("\n")
