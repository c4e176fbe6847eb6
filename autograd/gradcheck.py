"""Finite-difference gradient checking.

The reverse rule is checked against central differences, (f(x + εeᵢ) - f(x - εeᵢ)) / 2ε,
for every entry i of every input, in float64. A random cotangent u turns a many-output f
into the scalar uᵀf, so one reverse pass checks uᵀJ against every numeric column at once.
A scalar f is checked as it is (u = 1), so a failure reports the gradient itself.
"""

import warnings

import numpy as np

from .reverse import grad
from .tensor import Tensor


class GradcheckError(AssertionError):
    """An analytic gradient disagrees with finite differences; the message says where."""


# PyTorch's extra checks: accepted so its calls run; this gradcheck does the reverse-mode check.
_TORCH_OPTIONS = {"nondet_tol", "check_undefined_grad", "check_grad_dtypes",
                  "check_batched_grad", "check_batched_forward_grad", "check_forward_ad",
                  "check_backward_ad", "fast_mode", "masked"}


def gradcheck(f, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, seed=0, raise_exception=True,
              **torch_options):
    """True if every analytic gradient of `f` at `inputs` matches finite differences.

    PyTorch's convention works too: `f` may return a tuple of outputs (each is checked), and
    with `raise_exception=False` a mismatch returns False instead of raising."""
    unknown = set(torch_options) - _TORCH_OPTIONS
    if unknown:
        raise TypeError(f"gradcheck: unexpected arguments {sorted(unknown)}")
    if not raise_exception:
        try:
            return gradcheck(f, inputs, eps, atol, rtol, seed)
        except GradcheckError:
            return False
    f = _one_output(f)
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
    # A scalar output needs no weighting: u = 1 keeps the reported numbers the real gradient.
    weights = (np.ones(()) if out.ndim == 0
               else np.random.default_rng(seed).standard_normal(out.shape))
    u = Tensor._make(weights.astype(out.dtype))

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
                weighted = "" if out.ndim == 0 else "; both are of <u, f(x)> for a random u"
                raise GradcheckError(
                    f"gradcheck: input {i} (shape {x.shape}), entry {tuple(map(int, entry))}: "
                    f"analytic gradient {got:.8g} but numeric {numeric:.8g} "
                    f"(difference {abs(got - numeric):.3g}, allowed "
                    f"{atol + rtol * abs(numeric):.3g}{weighted})")
    return True


def _one_output(f):
    """`f`, with a tuple of outputs joined into one flat vector (its float outputs only)."""
    from .ops import concatenate, reshape

    def joined(*args):
        out = f(*args)
        if isinstance(out, Tensor):
            return out
        outs = [reshape(o, (-1,)) for o in out if isinstance(o, Tensor) and o.dtype.kind == "f"]
        if not outs:
            raise ValueError("gradcheck: f returned no floating-point Tensor to check")
        return concatenate(outs)

    return joined
