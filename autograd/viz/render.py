"""Rendering pictures: the graphviz.Digraph subclass `draw` returns, and pictures side by side.

Rendering needs Graphviz's `dot` program; without it the error says how to install it, while the
DOT text (`g.source`) needs nothing. graphviz itself is imported only when a picture is made.
"""

import functools

INSTALL = ("rendering needs Graphviz's `dot` program, which is not on the PATH. Install it "
           "(Debian/Ubuntu: `sudo apt-get install graphviz`; macOS: `brew install graphviz`; "
           "conda: `conda install -c conda-forge graphviz`), or use the DOT text, which needs no "
           "program: `g.source` or `ag.viz.to_dot(y)`.")


class DotNotFound(RuntimeError):
    """Rendering needs Graphviz's `dot` program and it is not installed. (The error raised is
    also a `graphviz.ExecutableNotFound`, so code written for graphviz catches it too.)"""


@functools.cache
def picture_class():
    """`Picture`: a graphviz.Digraph whose rendering says how to install `dot` if it is missing."""
    import graphviz

    class _DotNotFound(DotNotFound, graphviz.ExecutableNotFound):
        def __init__(self):
            RuntimeError.__init__(self, INSTALL)

    class Picture(graphviz.Digraph):
        """A graphviz.Digraph of a computational graph (see `ag.viz.draw`)."""

        def pipe(self, *args, **kwargs):  # Jupyter's display goes through here
            try:
                return super().pipe(*args, **kwargs)
            except graphviz.ExecutableNotFound as e:
                raise _DotNotFound() from e

        def render(self, *args, **kwargs):
            try:
                return super().render(*args, **kwargs)
            except graphviz.ExecutableNotFound as e:
                raise _DotNotFound() from e

    return Picture


class SideBySide:
    """Pictures in a row, for Jupyter: `ag.viz.side_by_side(g1, g2, titles=["forward", ...])`."""

    def __init__(self, pictures, titles):
        self.pictures, self.titles = pictures, titles

    def _repr_html_(self):
        cells = []
        for picture, heading in zip(self.pictures, self.titles):
            svg = picture.pipe(format="svg", encoding="utf-8")
            svg = svg[svg.find("<svg"):]  # drop the XML prologue, which HTML does not want
            cells.append(f"<div><div style='font-weight:bold;margin-bottom:4px'>{heading}</div>"
                         f"{svg}</div>")
        return ("<div style='display:flex;gap:2em;align-items:flex-start;flex-wrap:wrap'>"
                + "".join(cells) + "</div>")


def side_by_side(*pictures, titles=None):
    """Show several pictures next to each other in a notebook (renders each to SVG)."""
    titles = list(titles) if titles is not None else [""] * len(pictures)
    if len(titles) != len(pictures):
        raise ValueError(f"side_by_side: {len(pictures)} pictures but {len(titles)} titles")
    return SideBySide(pictures, titles)
