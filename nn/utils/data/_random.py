"""The one place that decides where data loading's random draws come from."""

import numpy as np

from ... import init


def _rng(generator):
    """The NumPy generator to draw from: `generator`, or the shared one (read at each draw, so
    a later `nn.manual_seed` takes effect)."""
    if generator is None:
        return init.default_generator()
    if isinstance(generator, np.random.Generator):
        return generator
    raise TypeError(f"generator must be a numpy.random.Generator (or None for the shared one "
                    f"that nn.manual_seed seeds), got {type(generator).__name__}")
