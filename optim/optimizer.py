"""`Optimizer`: the base class that every optimizer in `optim` extends.

It holds PyTorch's data model (a list of parameter groups, each a dict of hyperparameters plus
its `params`, and a state dict per parameter), checks the constructor's arguments, and saves and
restores that state. Subclasses write only the update rule, `_update`, on raw NumPy arrays: a
step changes `p._data` in place and never records an autograd graph.
"""

import numbers

import numpy as np

from autograd import Tensor


class Optimizer:
    """Base class: `param_groups`, `state`, `zero_grad`, `step`, `state_dict`, `add_param_group`.

    `params` is an iterable of Tensors, or of dicts that each hold a `params` entry plus any
    hyperparameters to override for that group; `defaults` fills in what a group leaves out.
    `state` maps a parameter to its own dict of buffers (NumPy arrays in the parameter's dtype)
    and numbers, created on its first step.
    """

    def __init__(self, params, defaults):
        self.defaults = dict(defaults)
        self.state = {}
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

    def add_param_group(self, param_group):
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

    # --- the training-loop interface -----------------------------------------------------
    def zero_grad(self, set_to_none=True):
        """Clear every gradient: drop it (the default), or fill its array with zeros."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    p.grad._data[...] = 0

    def step(self, closure=None):
        """Update every parameter that has a gradient; return `closure()`'s loss, if given.

        `closure` re-evaluates the model and calls `backward()`; it runs before the update.
        """
        loss = None if closure is None else closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                data = p._data
                grad = _grad_array(p.grad, data, type(self).__name__)
                state = self.state.get(p)
                if state is None:
                    state = self.state[p] = {}
                self._update(data, grad, state, group)
                p._version += 1  # an in-place update: graphs that saved p must not reuse it
        return loss

    def _update(self, data, grad, state, group):
        """Update one parameter's array `data` in place from its gradient `grad`."""
        raise NotImplementedError

    # --- save and restore ----------------------------------------------------------------
    def state_dict(self):
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
                 for p, s in self.state.items() if id(p) in index}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
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


def _grad_array(grad, data, name):
    """The gradient as an ndarray of the parameter's dtype and shape."""
    g = grad if isinstance(grad, np.ndarray) else grad._data
    if g.shape != data.shape:
        raise ValueError(f"{name}: gradient of shape {g.shape} does not match its parameter "
                         f"of shape {data.shape}")
    return g if g.dtype == data.dtype else g.astype(data.dtype)


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
    return np.array(value, dtype=dtype, copy=True)
