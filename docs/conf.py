"""Sphinx configuration of chainrule's documentation site.

Build it with `python -m sphinx -W -b html docs docs/_build/html` (the `docs` extra). The
lessons in ../notebooks are copied into lessons/ and executed at every build: a failing cell
fails the build, and the pictures in the pages are the ones the code draws today.
"""

import os
import pathlib
import shutil
import sys

DOCS = pathlib.Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path[:0] = [str(ROOT), str(DOCS)]
# The notebook kernels are separate processes: they import this checkout's packages too.
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
os.environ.setdefault("MPLBACKEND", "Agg")

from _docstrings import plain_text_docstrings  # noqa: E402  (beside this file)

from autograd import __version__  # noqa: E402

project = "chainrule"
author = "the chainrule authors"
copyright = "2026, the chainrule authors"
release = version = __version__

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "**.ipynb_checkpoints"]
html_theme = "furo"
html_title = f"chainrule {version}"

# --- the lessons: run at build time, errors fail the build ---------------------------------
nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_timeout = 300
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3

# --- the API reference ----------------------------------------------------------------------
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": False}
autodoc_typehints = "description"
napoleon_google_docstring = True
napoleon_numpy_docstring = False

# The README and the other Markdown files are written for GitHub, where they link to files in
# the repository; those links have no page on the site.
suppress_warnings = ["myst.xref_missing", "myst.header"]


default_role = "literal"  # `x` in a docstring is code, as on GitHub


def _copy_lessons(app):
    """notebooks/*.ipynb -> docs/lessons/, which Sphinx reads (it reads only below docs/)."""
    target = DOCS / "lessons"
    target.mkdir(exist_ok=True)
    for old in target.glob("*.ipynb"):
        old.unlink()
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        shutil.copy2(notebook, target / notebook.name)


def setup(app):
    app.connect("builder-inited", _copy_lessons)
    app.connect("autodoc-process-docstring", plain_text_docstrings, priority=600)
