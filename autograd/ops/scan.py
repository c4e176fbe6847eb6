"""Running sums and products along one dim (cumsum, cumprod)."""

import numpy as np

from ..op import Op
from ._dialect import UNSET, single
from ._util import as_tensor, const
from .arithmetic import astype, where
from .shape import concatenate


class Cumsum(Op):
    """out_i = Σ_{j≤i} a_j along axis (Σ_{j≥i} when reverse)
    vjp: g summed the other way      jvp: the same running sum of da"""

    __slots__ = ("axis", "reverse")

    def __init__(self, axis, reverse=False):
        self.axis, self.reverse = axis, reverse

    def forward(self, a):
        if self.reverse:
            return np.flip(np.cumsum(np.flip(a, self.axis), axis=self.axis), self.axis)
        return np.cumsum(a, axis=self.axis)

    def vjp(self, out, g):
        return (Cumsum(self.axis, not self.reverse)(g),)

    def jvp(self, out, da):
        return Cumsum(self.axis, self.reverse)(da)


class Cumprod(Op):
    """out_i = Π_{j≤i} a_j along axis
    vjp: g_k ↦ Σ_{i≥k} g_i·out_i/a_k      jvp: out_i·Σ_{k≤i} da_k/a_k

    The quotients need a ≠ 0; where a slice holds a zero, ∂out_i/∂a_k is taken directly as the
    running product of a with a_k replaced by 1 (one running product per k: slower, exact).
    """

    __slots__ = ("axis",)

    def __init__(self, axis):
        self.axis = axis

    def forward(self, a):
        return np.cumprod(a, axis=self.axis)

    def _partials(self):
        """∂out_i/∂a_k, for each k along the axis, as a tensor over i (0 for i < k)."""
        a = self.inputs[0]
        n = a.shape[self.axis]
        position = np.arange(n).reshape([n if i == self.axis else 1 for i in range(a.ndim)])
        for k in range(n):
            running = Cumprod(self.axis)(where(position == k, 1.0, a))
            yield running * const(position >= k, a.dtype)

    def vjp(self, out, g):
        a = self.inputs[0]
        if (a._data != 0).all():
            return (Cumsum(self.axis, reverse=True)(g * out) / a,)
        return (concatenate([(g * p).sum(self.axis, keepdims=True) for p in self._partials()],
                            self.axis),)

    def jvp(self, out, da):
        a = self.inputs[0]
        if (a._data != 0).all():
            return out * Cumsum(self.axis)(da / a)
        n = a.shape[self.axis]
        total = None
        for k, p in enumerate(self._partials()):
            index = (slice(None),) * self.axis + (slice(k, k + 1),)
            term = da[index] * p
            total = term if total is None else total + term
        return total if n else da


def cumsum(input, dim=None, *, dtype=None, axis=UNSET):
    """Running sums along `dim`; integers and bools sum in int64, as in PyTorch."""
    a = as_tensor(input) if dtype is None else astype(input, dtype)
    if a._data.dtype.kind in "bui" and a._data.dtype != np.int64:
        a = astype(a, np.int64)
    return _scan("cumsum", Cumsum, a, dim, axis)


def cumprod(input, dim=None, *, dtype=None, axis=UNSET):
    """Running products along `dim`."""
    a = as_tensor(input) if dtype is None else astype(input, dtype)
    if a._data.dtype.kind in "bui" and a._data.dtype != np.int64:
        a = astype(a, np.int64)
    return _scan("cumprod", Cumprod, a, dim, axis)


def _scan(call, Scan, a, dim, axis):
    if dim is None and axis is None:  # NumPy's axis=None: over the flattened tensor
        a, dim = a.reshape(-1), 0
    elif dim is None and axis is UNSET:
        raise TypeError(f"{call}: missing the dim to run along")
    d = single(call, a.ndim, dim, axis)
    return a * 1 if a.ndim == 0 else Scan(d)(a)
