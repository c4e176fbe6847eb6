"""Every teaching notebook runs top to bottom in a real Jupyter kernel, and is committed clean.

The kernel is the `python3` kernel of the interpreter running the tests (ipykernel), started in
notebooks/ with this checkout first on PYTHONPATH, so the notebooks exercise the code under
test whatever else is installed; a first cell, added before the lesson's own, asserts that the
kernel imported autograd, nn and optim from this checkout. Skipped only when the Jupyter tools
are not installed.
"""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT = 120  # seconds per cell; the whole set runs in well under a minute


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 7, [p.name for p in NOTEBOOKS]


def test_readme_lists_every_notebook():
    readme = (ROOT / "notebooks" / "README.md").read_text(encoding="utf-8")
    missing = [p.name for p in NOTEBOOKS if f"`{p.name}`" not in readme]
    assert not missing, f"notebooks/README.md does not list {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path):
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{path.name}: cell {i} has outputs; strip them before committing")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    nb = nbformat.read(path, as_version=4)
    # First, prove the kernel imports this checkout's packages, not an installed copy.
    nb.cells.insert(0, nbformat.v4.new_code_cell(
        "import pathlib, autograd, nn, optim\n"
        f"root = pathlib.Path({str(ROOT)!r}).resolve()\n"
        "for package in (autograd, nn, optim):\n"
        "    where = pathlib.Path(package.__file__).resolve()\n"
        "    assert root in where.parents, f'kernel imported {where}, not the checkout {root}'\n"
        "del pathlib, autograd, nn, optim, root, package, where"))
    client = nbclient.NotebookClient(
        nb, timeout=CELL_TIMEOUT, kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as err:
        pytest.fail(f"{path.name} failed:\n{err}", pytrace=False)
