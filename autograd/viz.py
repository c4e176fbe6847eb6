"""Graph export (to be written): DOT text and graphviz pictures of the computational graph."""
