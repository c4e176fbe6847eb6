"""Finite-difference gradient checking.

The reverse rule is checked against central differences, (f(x + εeᵢ) - f(x - εeᵢ)) / 2ε,
for every entry i of every input, in float64. A random cotangent u turns a many-output f
into the scalar uᵀf, so one reverse pass checks uᵀJ against every numeric column at once.
"""

import warnings
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from .reverse import grad
from .tensor import Tensor


class GradcheckError(AssertionError):
    """An analytic gradient disagrees with finite differences; the message says where."""


def gradcheck(f: Callable[..., Tensor], inputs: Tensor | Sequence[Tensor | ArrayLike],
              eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3, seed: int = 0) -> bool:
    """True if every analytic gradient of `f` at `inputs` matches finite differences."""
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    xs = []
    for i, x in enumerate(inputs):
        x = x if isinstance(x, Tensor) else Tensor(np.asarray(x))
        data = x._data
        if data.dtype.kind == "f" and data.dtype != np.float64:
            warnings.warn(f"gradcheck: input {i} is {data.dtype}; checking in float64 instead "
                          "(finite differences need the precision)", stacklevel=2)
            data = data.astype(np.float64)
        xs.append(Tensor._make(data.copy(), data.dtype.kind == "f" and x.requires_grad))
    if not any(x.requires_grad for x in xs):
        raise ValueError("gradcheck: no input requires grad, so there is nothing to check")

    out = f(*xs)
    u = Tensor._make(np.random.default_rng(seed).standard_normal(out.shape).astype(out.dtype))

    def scalar(*args):
        return float(np.sum(f(*args)._data * u._data))

    checked = [i for i, x in enumerate(xs) if x.requires_grad]
    analytic = grad(out, [xs[i] for i in checked], u) if out.requires_grad else [
        Tensor._make(np.zeros_like(xs[i]._data)) for i in checked]
    for i, a in zip(checked, analytic):
        x = xs[i]
        flat = x._data.reshape(-1)
        for j in range(flat.size):
            saved = flat[j]
            flat[j] = saved + eps
            plus = scalar(*xs)
            flat[j] = saved - eps
            minus = scalar(*xs)
            flat[j] = saved
            numeric = (plus - minus) / (2 * eps)
            got = a._data.reshape(-1)[j]
            if not abs(got - numeric) <= atol + rtol * abs(numeric):
                entry = np.unravel_index(j, x.shape) if x.ndim else ()
                raise GradcheckError(
                    f"gradcheck: input {i} (shape {x.shape}), entry {tuple(map(int, entry))}: "
                    f"analytic gradient {got:.8g} but numeric {numeric:.8g} "
                    f"(difference {abs(got - numeric):.3g}, allowed "
                    f"{atol + rtol * abs(numeric):.3g})")
    return True
