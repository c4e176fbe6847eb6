"""One random generator for the whole library, and `Generator` objects like PyTorch's.

Every draw — the factories (`rand`, `randn`, ...), `nn.init`, dropout masks, shuffling in
data loaders — comes from `default_generator` unless a `generator=` is passed, so
`manual_seed(s)` makes a whole run repeat. The draws come from NumPy's PCG64, so the same seed
gives the same numbers as before but not PyTorch's numbers: to compare with PyTorch, copy the
weights and data across rather than the seed.
"""

import operator

import numpy as np

from .devices import check_device
from .tensor import Tensor

DEFAULT_SEED = 0
_MASK64 = (1 << 64) - 1
_STATE_BYTES = 16 + 16 + 1 + 4 + 8  # PCG64 state, increment, has_uint32, uinteger, seed


class Generator:
    """A seedable source of random numbers: `Generator().manual_seed(42)`.

    `rng` is the NumPy generator it draws with; seeding re-seeds that same object, so code
    holding it sees the new seed.
    """

    def __init__(self, device="cpu"):
        self.device = check_device("Generator", device)
        self.rng = np.random.Generator(np.random.PCG64(DEFAULT_SEED))
        self._seed = DEFAULT_SEED

    def manual_seed(self, seed):
        """Restart the stream at `seed` (an int; negative seeds wrap modulo 2⁶⁴ as in PyTorch)."""
        try:
            seed = operator.index(seed)
        except TypeError:
            raise TypeError(f"manual_seed: expected an int seed, got {seed!r}") from None
        if not -(1 << 63) <= seed <= _MASK64:
            raise RuntimeError(f"manual_seed: seed must be within [-2**63, 2**64 - 1], "
                               f"got {seed}")
        self._seed = seed & _MASK64
        self.rng.bit_generator.state = np.random.PCG64(self._seed).state
        return self

    def seed(self):
        """Seed from the operating system's entropy; returns the seed chosen."""
        seed = int(np.random.SeedSequence().entropy) & _MASK64
        self.manual_seed(seed)
        return seed

    def initial_seed(self):
        return self._seed

    def get_state(self):
        """The full state as a uint8 Tensor (PyTorch's ByteTensor), for `set_state`."""
        state = self.rng.bit_generator.state
        raw = (state["state"]["state"].to_bytes(16, "little")
               + state["state"]["inc"].to_bytes(16, "little")
               + bytes([state["has_uint32"]]) + state["uinteger"].to_bytes(4, "little")
               + self._seed.to_bytes(8, "little"))
        return Tensor._make(np.frombuffer(raw, dtype=np.uint8).copy())

    def set_state(self, new_state):
        raw = np.asarray(new_state.numpy() if isinstance(new_state, Tensor) else new_state)
        if raw.dtype != np.uint8 or raw.shape != (_STATE_BYTES,):
            raise RuntimeError(f"set_state: expected a uint8 tensor of shape ({_STATE_BYTES},) "
                               f"from get_state(), got dtype {raw.dtype} shape {raw.shape}")
        raw = raw.tobytes()
        self.rng.bit_generator.state = {
            "bit_generator": "PCG64",
            "state": {"state": int.from_bytes(raw[:16], "little"),
                      "inc": int.from_bytes(raw[16:32], "little")},
            "has_uint32": raw[32], "uinteger": int.from_bytes(raw[33:37], "little")}
        self._seed = int.from_bytes(raw[37:], "little")
        return self

    def __repr__(self):
        return f"<autograd.Generator seed={self._seed}>"


default_generator = Generator()


def manual_seed(seed):
    """Seed every random draw of the library; returns the default generator."""
    return default_generator.manual_seed(seed)


def seed():
    return default_generator.seed()


def initial_seed():
    return default_generator.initial_seed()


def get_rng_state():
    return default_generator.get_state()


def set_rng_state(new_state):
    default_generator.set_state(new_state)


def numpy_rng(generator=None, where="generator"):
    """The NumPy generator to draw from: the shared one, a `Generator`'s, or a NumPy
    `np.random.Generator` passed as is."""
    if generator is None:
        return default_generator.rng
    if isinstance(generator, Generator):
        return generator.rng
    if isinstance(generator, np.random.Generator):
        return generator
    raise TypeError(f"{where}: generator must be an autograd.Generator or np.random.Generator, "
                    f"got {type(generator).__name__}")

