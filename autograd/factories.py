"""Factories with PyTorch's signatures: `zeros(2, 3)`, `zeros((2, 3), dtype=ag.long)`,
`randn(4, requires_grad=True, generator=g)`, `arange(0, 1, 0.25)`, `zeros_like(x)`.

Sizes come as varargs or one tuple. `dtype=` defaults as PyTorch's does (the default float
dtype, or int64 for integer ranges and `randint`); `device=` accepts only the CPU; `out=` is
refused. Random factories draw from `autograd.random`'s shared generator unless given one.
`empty` returns zeros: PyTorch leaves the memory uninitialised, and zeros are one valid choice.
"""

import math
import numbers

import numpy as np

from .creation import finish, parse_size, refuse_out, resolve_dtype
from .dtypes import get_default_dtype
from .random import numpy_rng
from .tensor import Tensor


def _float_dtype(where, dtype):
    dtype = resolve_dtype(dtype) or get_default_dtype()
    if dtype.kind != "f":
        raise TypeError(f"{where}: needs a floating dtype, got {dtype}")
    return dtype


def _filled(where, size, value, dtype, out, requires_grad, device):
    refuse_out(where, out)
    dtype = resolve_dtype(dtype) or get_default_dtype()
    return finish(where, np.full(parse_size(where, size), value, dtype=dtype),
                  requires_grad, device)


def zeros(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    return _filled("zeros", size, 0, dtype, out, requires_grad, device)


def ones(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    return _filled("ones", size, 1, dtype, out, requires_grad, device)


def empty(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False, memory_format=None):
    return _filled("empty", size, 0, dtype, out, requires_grad, device)


def _scalar_dtype(where, value):
    """The dtype PyTorch gives a Python scalar: bool -> bool, int -> int64, float -> default."""
    if isinstance(value, Tensor):
        return value.dtype
    if isinstance(value, (bool, np.bool_)):
        return np.dtype(np.bool_)
    if isinstance(value, numbers.Integral):
        return np.dtype(np.int64)
    if isinstance(value, numbers.Real):
        return get_default_dtype()
    raise TypeError(f"{where}: fill value must be a real number, got {value!r}")


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None,
         requires_grad=False):
    refuse_out("full", out)
    dtype = resolve_dtype(dtype) or _scalar_dtype("full", fill_value)
    value = fill_value.item() if isinstance(fill_value, Tensor) else fill_value
    return finish("full", np.full(parse_size("full", (size,)), value, dtype=dtype),
                  requires_grad, device)


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    refuse_out("eye", out)
    n, m = parse_size("eye", (n, n if m is None else m))
    dtype = resolve_dtype(dtype) or get_default_dtype()
    return finish("eye", np.eye(n, m, dtype=dtype), requires_grad, device)


def arange(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
           requires_grad=False):
    """`arange(end)`, `arange(start, end, step=1)`: int64 when every bound is an int, else
    the default float dtype; ceil((end - start) / step) entries start + i·step."""
    refuse_out("arange", out)
    if end is None:
        start, end = 0, start
    bounds = [b.item() if isinstance(b, Tensor) else b for b in (start, end, step)]
    if step == 0:
        raise RuntimeError("arange: step must be nonzero")
    count = math.ceil((bounds[1] - bounds[0]) / bounds[2])
    if count < 0:
        raise RuntimeError(f"arange: upper bound and larger bound inconsistent with step sign "
                           f"(start={start}, end={end}, step={step})")
    integral = all(isinstance(b, numbers.Integral) for b in bounds)
    dtype = resolve_dtype(dtype) or (np.dtype(np.int64) if integral else get_default_dtype())
    if integral:
        array = np.arange(*bounds, dtype=np.int64).astype(dtype, copy=False)
    else:
        array = (bounds[0] + np.arange(count, dtype=np.float64) * bounds[2]).astype(dtype)
    return finish("arange", array, requires_grad, device)


def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    """`steps` evenly spaced values from start to end inclusive. Like PyTorch, the first half
    counts up from start and the second half down from end, so both ends are exact."""
    refuse_out("linspace", out)
    (steps,) = parse_size("linspace", (steps,))
    dtype = resolve_dtype(dtype) or get_default_dtype()
    start, end = (float(v.item() if isinstance(v, Tensor) else v) for v in (start, end))
    i = np.arange(steps, dtype=np.float64)
    step = (end - start) / (steps - 1) if steps > 1 else 0.0
    values = np.where(i < steps // 2, start + i * step, end - (steps - 1 - i) * step)
    values[:1] = start  # (steps == 1 gives [start])
    return finish("linspace", values.astype(dtype), requires_grad, device)


# --- random ------------------------------------------------------------------------------
def _draw(where, size, dtype, draw, generator, out, requires_grad, device):
    refuse_out(where, out)
    dtype = _float_dtype(where, dtype)
    values = draw(numpy_rng(generator, where), parse_size(where, size))
    return finish(where, np.asarray(values, dtype=np.float64).astype(dtype, copy=False),
                  requires_grad, device)


def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    """Uniform on [0, 1)."""
    return _draw("rand", size, dtype, lambda rng, shape: rng.random(shape), generator, out,
                 requires_grad, device)


def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None,
          requires_grad=False, pin_memory=False):
    """Standard normal."""
    return _draw("randn", size, dtype, lambda rng, shape: rng.standard_normal(shape),
                 generator, out, requires_grad, device)


def randint(*args, size=None, generator=None, out=None, dtype=None, layout=None, device=None,
            requires_grad=False):
    """`randint(high, size)` or `randint(low, high, size)`: uniform integers in [low, high)."""
    refuse_out("randint", out)
    if size is None and args and isinstance(args[-1], (tuple, list)):
        *args, size = args
    if size is None or len(args) not in (1, 2):
        raise TypeError("randint: expected randint(high, size) or randint(low, high, size), "
                        "with size a tuple")
    low, high = (0, args[0]) if len(args) == 1 else args
    low, high = int(low), int(high)
    if low >= high:
        raise RuntimeError(f"randint: expected low < high, got low={low}, high={high}")
    dtype = resolve_dtype(dtype) or np.dtype(np.int64)
    values = numpy_rng(generator, "randint").integers(low, high, parse_size("randint", (size,)))
    return finish("randint", values.astype(dtype), requires_grad, device)


def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None,
             requires_grad=False, pin_memory=False):
    """A random permutation of 0 .. n-1."""
    refuse_out("randperm", out)
    (n,) = parse_size("randperm", (n,))
    dtype = resolve_dtype(dtype) or np.dtype(np.int64)
    values = numpy_rng(generator, "randperm").permutation(n).astype(dtype)
    return finish("randperm", values, requires_grad, device)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, out=None, dtype=None,
           layout=None, device=None, requires_grad=False):
    """Normal draws with the given mean and std: tensors broadcast against each other (the
    result has their shape and dtype), or two numbers and a `size`."""
    refuse_out("normal", out)
    tensors = [v for v in (mean, std) if isinstance(v, Tensor)]
    if tensors:
        if size is not None:
            raise TypeError("normal: size= is only for a float mean and std")
        dtype = resolve_dtype(dtype) or np.result_type(*(t.dtype for t in tensors))
        m, s = (np.asarray(v._data if isinstance(v, Tensor) else v) for v in (mean, std))
        shape = np.broadcast_shapes(m.shape, s.shape)
    else:
        if size is None:
            raise TypeError("normal: with a float mean and std, pass size=")
        dtype = resolve_dtype(dtype) or get_default_dtype()
        m, s, shape = mean, std, parse_size("normal", (size,))
    if np.any(np.asarray(s) < 0):
        raise RuntimeError(f"normal: expected all std >= 0.0, got {s}")
    values = m + s * numpy_rng(generator, "normal").standard_normal(shape)
    return finish("normal", np.asarray(values).astype(_float_dtype("normal", dtype)),
                  requires_grad, device)


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """Draw `num_samples` category indices per row of non-negative weights (1-D or 2-D),
    with or without replacement; int64."""
    refuse_out("multinomial", out)
    weights = np.asarray(input._data if isinstance(input, Tensor) else input, dtype=np.float64)
    if weights.ndim not in (1, 2):
        raise RuntimeError(f"multinomial: prob_dist must be 1 or 2 dim, got shape "
                           f"{weights.shape}")
    rows = weights.reshape(-1, weights.shape[-1])
    if not np.isfinite(rows).all() or (rows < 0).any():
        raise RuntimeError("multinomial: probability tensor contains either inf, nan or "
                           "element < 0")
    rng = numpy_rng(generator, "multinomial")
    result = np.empty((rows.shape[0], num_samples), dtype=np.int64)
    for r, row in enumerate(rows):
        total = row.sum()
        if total <= 0:
            raise RuntimeError("multinomial: invalid multinomial distribution (sum of "
                               "probabilities <= 0)")
        if not replacement and num_samples > np.count_nonzero(row):
            raise RuntimeError(f"multinomial: cannot sample n_sample={num_samples} > "
                               f"prob_dist.size(-1) non-zero categories without replacement")
        result[r] = rng.choice(row.size, size=num_samples, replace=replacement, p=row / total)
    return Tensor._make(result.reshape(weights.shape[:-1] + (num_samples,)))


# --- *_like ------------------------------------------------------------------------------
def _like(where, input, dtype, make, requires_grad, device):
    if not isinstance(input, Tensor):
        raise TypeError(f"{where}: expected a Tensor, got {type(input).__name__}")
    dtype = resolve_dtype(dtype) or input.dtype
    return make(input.shape, dtype=dtype, requires_grad=requires_grad, device=device)


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    return _like("zeros_like", input, dtype, zeros, requires_grad, device)


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    return _like("ones_like", input, dtype, ones, requires_grad, device)


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    return _like("empty_like", input, dtype, empty, requires_grad, device)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    return _like("full_like", input, dtype,
                 lambda shape, **kw: full(shape, fill_value, **kw), requires_grad, device)


def rand_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None, generator=None):
    return _like("rand_like", input, dtype,
                 lambda shape, **kw: rand(shape, generator=generator, **kw),
                 requires_grad, device)


def randn_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None, generator=None):
    return _like("randn_like", input, dtype,
                 lambda shape, **kw: randn(shape, generator=generator, **kw),
                 requires_grad, device)
