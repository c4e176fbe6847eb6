"""The one place that decides where data loading's random draws come from."""

from autograd import random as _random


def _rng(generator):
    """The NumPy generator to draw from: `generator` (an autograd.Generator or a
    np.random.Generator), or the library's shared one (read at each draw, so a later
    `manual_seed` takes effect)."""
    return _random.numpy_rng(generator, "generator")
