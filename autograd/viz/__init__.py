"""Graph export: pictures of the computational graph with the chain rule written on it.

    g = ag.viz.draw(y)                    # graphviz.Digraph; edges carry ∂op/∂input
    ag.viz.to_dot(y)                      # the DOT text, no Graphviz program needed
    ag.viz.draw(y, show="reverse")        # the order backward visits nodes, and their adjoints
    ag.viz.draw(y, show="forward", wrt=x) # the tangents forward mode carries from x
    ag.viz.draw(loss, model=model)        # parameters named, one box per module call
    print(ag.viz.paths(y, x))             # ∂y/∂x as a sum over paths, and reverse mode's total
    ag.viz.explore(y, "page.html")        # one HTML page stepping through both sweeps

Every derivative shown is computed by the engine's own rules (each op's jvp, and ag.grad).
"""

from .explore import Explored, explore
from .paths import Path, Paths, paths
from .picture import draw, to_dot
from .render import DotNotFound, side_by_side

__all__ = ["DotNotFound", "Explored", "Path", "Paths", "draw", "explore", "paths", "side_by_side",
           "to_dot"]
