"""`Optimizer`: the base class that every optimizer in `optim` extends.

It holds PyTorch's data model (a list of parameter groups, each a dict of hyperparameters plus
its `params`, and a state dict per parameter), checks the constructor's arguments, and saves and
restores that state. Subclasses write the update rule in two parts:

- `_prepare(data, state, h)`: once per parameter and step, create the state buffers on the
  first step, advance counters, and return the scalars of this step as a dict: `h`, the
  group's options as plain numbers (made once per group and step by `_hyper`), or a copy of
  it with the parameter's own scalars added (step sizes, bias corrections);
- `_kernel(p, g, s, t, u, h)`: the element-wise update, written with NumPy `out=` and in-place
  ufuncs, of the parameter's array `p` from its gradient `g` (read only), its state buffers
  `s[key]` and two scratch arrays `t`, `u` of p's shape; `h` is `_prepare`'s dict.

Writing the kernel with `out=` (the `foreach` idea done with NumPy) means a step allocates
nothing: its only temporaries are the two scratch arrays, views into one buffer per optimizer
and dtype that is made once and grows to the largest parameter, up to BLOCK elements; a larger
parameter is updated in flat blocks of BLOCK elements (the kernel then sees blocks of p, g and
the state). A step writes into `p._data` and the state arrays in place and never records an
autograd graph.
"""

import numbers
from collections.abc import Callable, Iterable
from typing import Any, TypeAlias

import numpy as np

from autograd import Tensor, enable_grad

# What an optimizer takes: Tensors (one group), or dicts that each hold `params` and options.
Params: TypeAlias = Iterable[Tensor] | Iterable[dict[str, Any]]
StateDict: TypeAlias = dict[str, Any]

BLOCK = 1 << 20  # elements per block: bounds the scratch (4 MiB of float32 per row)


class Optimizer:
    """Base class: `param_groups`, `state`, `zero_grad`, `step`, `state_dict`, `add_param_group`.

    `params` is an iterable of Tensors, or of dicts that each hold a `params` entry plus any
    hyperparameters to override for that group; `defaults` fills in what a group leaves out.
    `state` maps a parameter to its own dict of buffers (NumPy arrays in the parameter's dtype)
    and numbers, created on its first step.
    """

    def __init__(self, params: Params, defaults: dict[str, Any]) -> None:
        self.defaults = dict(defaults)
        self.state = {}
        # dtype -> a (2, n) array, the kernels' scratch; (shape, dtype) -> views into it
        self._scratch = {}
        self.param_groups = []
        self._check_group(self.defaults)
        for group in self._as_groups(params):
            self.add_param_group(group)

    # --- construction and validation -----------------------------------------------------
    def _as_groups(self, params):
        """The constructor's `params` as a list of group dicts."""
        name = type(self).__name__
        if isinstance(params, Tensor):
            raise TypeError(f"{name}: params must be an iterable of Tensors or of dicts, got a "
                            f"single Tensor of shape {params.shape}; pass [tensor] instead")
        if isinstance(params, dict):
            raise TypeError(f"{name}: params must be an iterable of Tensors or of dicts, got a "
                            "dict; pass a list of dicts to make parameter groups")
        params = self._as_list(params, "params")
        if not params:
            raise ValueError(f"{name}: got an empty parameter list")
        if isinstance(params[0], dict):
            return params
        return [{"params": params}]

    def _as_list(self, params, what):
        name = type(self).__name__
        if isinstance(params, (set, frozenset)):
            raise TypeError(f"{name}: {what} must be an ordered iterable (a list or a "
                            "generator), not a set: the order of parameters must be fixed so "
                            "that state_dict() indices mean the same thing on every run")
        try:
            return list(params)
        except TypeError:
            raise TypeError(f"{name}: {what} must be an iterable of Tensors, got "
                            f"{type(params).__name__}") from None

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Append a group: a dict with `params` and any hyperparameters (defaults fill the rest)."""
        name = type(self).__name__
        if not isinstance(param_group, dict):
            raise TypeError(f"{name}: a parameter group must be a dict, got "
                            f"{type(param_group).__name__}")
        if "params" not in param_group:
            raise ValueError(f"{name}: a parameter group needs a 'params' entry, got keys "
                             f"{sorted(param_group)}")
        group = dict(param_group)  # a copy: the caller's dict is not ours to fill in
        params = group["params"]
        params = [params] if isinstance(params, Tensor) else self._as_list(params, "'params'")
        for i, p in enumerate(params):
            if not isinstance(p, Tensor):
                raise TypeError(f"{name}: can only optimize Tensors, but params[{i}] is a "
                                f"{type(p).__name__}")
            if not p.is_leaf:
                raise ValueError(f"{name}: can't optimize a non-leaf Tensor (params[{i}] was "
                                 "made by an op); optimize the leaf it came from")
        group["params"] = params
        for key, value in self.defaults.items():
            group.setdefault(key, value)
        self._check_group(group)

        new_ids = [id(p) for p in params]
        old_ids = {id(p) for g in self.param_groups for p in g["params"]}
        if len(set(new_ids)) != len(new_ids) or old_ids.intersection(new_ids):
            raise ValueError(f"{name}: some parameters appear more than once (within a group, "
                             "or in more than one group); each parameter must appear once")
        self.param_groups.append(group)

    def _check_group(self, group):
        """Raise ValueError/TypeError for a bad hyperparameter; subclasses say which ones."""

    def _check_real(self, key, value):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{type(self).__name__}: {key} must be a real number, got "
                            f"{value!r} ({type(value).__name__})")

    def _check_nonnegative(self, group, *keys):
        for key in keys:
            value = group[key]
            self._check_real(key, value)
            if not value >= 0:  # written so that NaN fails too
                raise ValueError(f"{type(self).__name__}: invalid {key}={value}, "
                                 "expected a value >= 0")

    def _check_fraction(self, key, value, one_allowed=False):
        """`value` must lie in [0, 1) (or [0, 1] when `one_allowed`): a decay rate."""
        self._check_real(key, value)
        if not (0.0 <= value <= 1.0 if one_allowed else 0.0 <= value < 1.0):
            raise ValueError(f"{type(self).__name__}: invalid {key}={value}, expected a value "
                             f"in [0, 1{']' if one_allowed else ')'}")

    @staticmethod
    def _start_buffers(state, data, *keys):
        """Zero buffers in the parameter's shape and dtype for the `keys` that `state` lacks."""
        for key in keys:
            if key not in state:
                state[key] = np.zeros(data.shape, dtype=data.dtype)

    # --- the training-loop interface -----------------------------------------------------
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every gradient: drop it (the default), or fill its array with zeros."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    p.grad._data[...] = 0
                    _bump_version(p.grad)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient; return `closure()`'s loss, if given.

        `closure` re-evaluates the model and calls `backward()`; it runs first, with gradient
        recording on (as in PyTorch, even when `step` itself is called inside `no_grad()`).
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        name = type(self).__name__
        for group in self.param_groups:
            hyper = None
            for p in group["params"]:
                if p.grad is None:
                    continue
                if hyper is None:
                    hyper = self._hyper(group)
                data = p._data
                grad = _grad_array(p.grad, data, name)
                state = self.state.get(p)
                if state is None:
                    state = self.state[p] = {}
                self._run_kernel(data, grad, state, self._prepare(data, state, hyper))
                _bump_version(p)
        return loss

    def _hyper(self, group):
        """The group's options with every number as a Python float (once per group and step)."""
        # (int, float) rather than numbers.Real: an abstract-class check would cost more than
        # the rest of a small parameter's step. NumPy's float64 is a float; other NumPy
        # scalars pass through, and NumPy handles them.
        return {k: float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
                for k, v in group.items() if k != "params"}

    def _prepare(self, data, state, h):
        """Create `state`'s buffers on the first step, advance its counters, and return the
        scalars `_kernel` needs for this step (`h`, or a copy with more)."""
        raise NotImplementedError

    def _kernel(self, p, g, s, t, u, h):
        """Update one block in place: parameter `p`, gradient `g` (read only), state blocks
        `s[key]`, scratch blocks `t` and `u`, and the step's scalars `h`."""
        raise NotImplementedError

    def _run_kernel(self, data, grad, state, hyper):
        """Run `_kernel` on `data` whole if it fits in a block, else block by block."""
        if data.size <= BLOCK:
            t, u = self._scratch.get((data.shape, data.dtype)) or \
                self._scratch_for(data.shape, data.dtype)
            self._kernel(data, grad, state, t, u, hyper)
            return
        keys = [k for k, v in state.items() if isinstance(v, np.ndarray) and v.shape == data.shape]
        if not grad.flags.c_contiguous:
            grad = np.ascontiguousarray(grad)  # rare (a strided gradient): one copy to read
        arrays = [data, grad] + [state[k] for k in keys]
        if not all(a.flags.c_contiguous for a in arrays):
            # A strided parameter cannot be cut into flat blocks without copying it: update
            # it whole, with parameter-sized temporaries (the one case that makes them).
            self._kernel(data, grad, state, np.empty_like(data), np.empty_like(data), hyper)
            return
        t, u = self._scratch_for((BLOCK,), data.dtype)
        flats = [a.reshape(-1) for a in arrays]
        for start in range(0, data.size, BLOCK):
            p, g, *bufs = [f[start:start + BLOCK] for f in flats]
            n = p.size
            self._kernel(p, g, dict(zip(keys, bufs)), t[:n], u[:n], hyper)

    def _scratch_for(self, shape, dtype):
        """Two scratch arrays of `shape`: views into this optimizer's one scratch buffer of
        `dtype`, which grows to the largest parameter seen, up to BLOCK elements per row."""
        views = self._scratch.get((shape, dtype))
        if views is None:
            size = int(np.prod(shape))
            buffer = self._scratch.get(dtype)
            if buffer is None or buffer.shape[1] < size:
                self._scratch = {k: v for k, v in self._scratch.items()
                                 if k != dtype and not (isinstance(k, tuple) and k[1] == dtype)}
                buffer = self._scratch[dtype] = np.empty((2, size), dtype=dtype)
            views = self._scratch[shape, dtype] = (buffer[0, :size].reshape(shape),
                                                   buffer[1, :size].reshape(shape))
        return views

    # --- save and restore ----------------------------------------------------------------
    def state_dict(self) -> StateDict:
        """A snapshot {'state': {index: {...}}, 'param_groups': [{..., 'params': [index]}]}.

        Parameters are named by their position across all groups, in order, as PyTorch does.
        Arrays are copied, so later steps do not change a snapshot already taken.
        """
        index = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            packed["params"] = [index.setdefault(id(p), len(index)) for p in group["params"]]
            groups.append(packed)
        state = {index[id(p)]: {k: _copy(v) for k, v in s.items()}
                 for p, s in self.state.items() if id(p) in index and s}
        state = dict(sorted(state.items()))
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: StateDict) -> None:
        """Restore hyperparameters and buffers saved by `state_dict()` (arrays are copied)."""
        name = type(self).__name__
        if not isinstance(state_dict, dict) or not {"state", "param_groups"} <= state_dict.keys():
            raise ValueError(f"{name}: load_state_dict expects a dict with 'state' and "
                             "'param_groups', as made by state_dict()")
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(f"{name}: loaded state dict has {len(saved_groups)} parameter "
                             f"groups, this optimizer has {len(self.param_groups)}")
        params_by_index = {}
        for i, (saved, group) in enumerate(zip(saved_groups, self.param_groups)):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(f"{name}: loaded parameter group {i} has "
                                 f"{len(saved['params'])} parameters, this optimizer's has "
                                 f"{len(group['params'])}")
            params_by_index.update(zip(saved["params"], group["params"]))

        new_state = {}
        for index, saved in state_dict["state"].items():
            p = params_by_index.get(int(index))
            if p is None:
                raise ValueError(f"{name}: loaded state names parameter index {index}, which "
                                 "no parameter group lists")
            new_state[p] = {k: _restore(v, p._data, f"{name}: state[{index}][{k!r}]")
                            for k, v in saved.items()}

        new_groups = []
        for saved, group in zip(saved_groups, self.param_groups):
            restored = {**self.defaults, **{k: v for k, v in saved.items() if k != "params"}}
            restored["params"] = group["params"]
            self._check_group(restored)
            new_groups.append(restored)
        self.param_groups = new_groups
        self.state = new_state

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines.append(f"    params: {len(group['params'])} tensors")
            lines += [f"    {key}: {group[key]}" for key in sorted(group) if key != "params"]
        lines.append(")")
        return "\n".join(lines)


def _bump_version(t):
    """Record an in-place write to t's array: graphs that saved t (or a view sharing its
    counter) must not reuse the old values."""
    (t if t._base is None else t._base)._version += 1


def _grad_array(grad, data, name):
    """The gradient as an ndarray of the parameter's dtype and shape."""
    g = grad if isinstance(grad, np.ndarray) else grad._data
    if g.shape != data.shape:
        raise ValueError(f"{name}: gradient of shape {g.shape} does not match its parameter "
                         f"of shape {data.shape}")
    return g if g.dtype == data.dtype else g.astype(data.dtype)


def effective_grad(g, p, weight_decay, maximize, out):
    """The gradient a rule works with, −g if maximizing, plus λ·θ with weight decay.

    Written into `out` when it differs from `g` (whose array is `p.grad`'s own and must not
    change); returns `g` itself otherwise, so the common case costs no pass over memory.
    """
    if weight_decay != 0:
        np.multiply(p, weight_decay, out=out)
        return np.subtract(out, g, out=out) if maximize else np.add(out, g, out=out)
    if maximize:
        return np.negative(g, out=out)
    return g


def _copy(value):
    return value.copy() if isinstance(value, np.ndarray) else value


def _restore(value, data, where):
    """A saved state value made ready for `data`'s parameter: a fresh array in its dtype."""
    if isinstance(value, Tensor):
        value = value._data
    if not isinstance(value, np.ndarray):
        return value
    floating = np.issubdtype(value.dtype, np.floating)
    if value.ndim == 0 and (data.ndim != 0 or not floating):
        return value.item()  # a count such as 'step' that went through np.savez
    if value.shape != data.shape:
        raise ValueError(f"{where} has shape {value.shape}, its parameter has {data.shape}")
    dtype = data.dtype if floating else value.dtype
    return np.array(value, dtype=dtype, copy=True, order="C")
