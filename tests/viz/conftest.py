"""Makes `viz_graphs` (the graphs the viz tests share) importable as a plain module."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
