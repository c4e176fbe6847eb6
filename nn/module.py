"""`Module` and `Parameter`: how layers hold their weights, find each other and save state.

A Module finds its parameters and sub-modules by looking at its attributes, in the order they
were assigned: a `Parameter`, a `Module`, or a list, tuple or dict holding them (so a plain
list of layers behaves like PyTorch's ModuleList). Names join with "." as in PyTorch, so
`state_dict()` keys read `0.weight`, `layers.1.bias`, `bn.running_mean`.
"""

from collections import OrderedDict, namedtuple
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import numpy as np

from autograd import Tensor, get_default_dtype, no_grad
from autograd.viz.calls import record as record_call

from . import hooks as _hooks
from .casting import Casting

M = TypeVar("M", bound="Module")  # methods that return the module itself keep its type


class Parameter(Tensor):
    """A Tensor that a Module owns and an optimizer updates: it requires grad by default.

    `data` is an ndarray, a Tensor or Python numbers; float data takes the default dtype
    (`autograd.get_default_dtype()`), so parameters follow `ag.set_default_dtype`.
    """

    __slots__ = ()

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        if data is None:
            data = np.empty(0, dtype=get_default_dtype())
        if isinstance(data, Tensor):
            data = data._data
        array = np.asarray(data)
        python_numbers = not isinstance(data, np.ndarray) and array.dtype.kind in "iu"
        if array.dtype.kind == "f" or python_numbers:  # integer ndarrays keep their dtype
            array = array.astype(get_default_dtype(), copy=False)
        super().__init__(array, requires_grad=requires_grad)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()


class StateDictError(RuntimeError, ValueError):
    """`load_state_dict` found missing, unexpected or mis-shaped keys (a RuntimeError, as in
    PyTorch, and a ValueError)."""


IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])


def _flatten(name, value):
    """(name, member) pairs for a Parameter/Module, or for one inside a list/tuple/dict."""
    if isinstance(value, (Parameter, Module)):
        yield name, value
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _flatten(f"{name}.{i}", item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(f"{name}.{key}", item)


class Module(Casting):
    """Base class for layers and models: subclass it, assign layers and Parameters as
    attributes in `__init__`, and write `forward`. Calling the module calls `forward`."""

    training = True

    def __init__(self) -> None:
        self.training = True
        self._buffers = {}  # buffer name -> persistent (saved in state_dict)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__}: forward() is not implemented")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        hooks = self.__dict__.get("_hooks")
        if hooks is None:
            out = self.forward(*args, **kwargs)
        else:
            out = _hooks.call(self, hooks, args, kwargs)
        record_call(self, args, kwargs, out)  # lets ag.viz.draw(..., model=) box this call
        return out

    # --- hooks -------------------------------------------------------------------------
    def _hook_table(self):
        if "_hooks" not in self.__dict__:
            object.__setattr__(self, "_hooks", _hooks.Hooks())
        return self._hooks

    def register_forward_pre_hook(self, hook, *, prepend=False, with_kwargs=False):
        """Call hook(module, args) before each forward (hook(module, args, kwargs) with
        with_kwargs); a non-None result replaces the arguments. Returns a handle with
        remove()."""
        return self._hook_table().add("pre", hook, prepend, with_kwargs)

    def register_forward_hook(self, hook, *, prepend=False, with_kwargs=False,
                              always_call=False):
        """Call hook(module, args, output) after each forward (hook(module, args, kwargs,
        output) with with_kwargs); a non-None result replaces the output."""
        return self._hook_table().add("forward", hook, prepend, with_kwargs)

    def register_full_backward_hook(self, hook, prepend=False):
        """Call hook(module, grad_input, grad_output) once the gradients with respect to the
        module's tensor inputs are known (tuples, one entry per tensor input/output; None for
        an input that does not require grad); a non-None result replaces grad_input. For
        modules with at most one input that requires grad."""
        return self._hook_table().add("backward", hook, prepend)

    # --- attributes and registration ---------------------------------------------------
    def __setattr__(self, name, value):
        current = self.__dict__.get(name)
        if isinstance(current, Parameter) and value is not None and not isinstance(value,
                                                                                   Parameter):
            raise TypeError(f"{type(self).__name__}: cannot assign a {type(value).__name__} "
                            f"as parameter {name!r} (nn.Parameter or None expected)")
        if name in self.__dict__.get("_buffers", ()) and value is not None:
            value = value if isinstance(value, Tensor) else Tensor(value)
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        self.__dict__.get("_buffers", {}).pop(name, None)
        object.__delattr__(self, name)

    def register_buffer(self, name: str, tensor: Any, persistent: bool = True) -> None:
        """Keep `tensor` (an array or Tensor, not a parameter) as state: it is saved in
        `state_dict()` when `persistent`, and is reachable as `self.<name>`."""
        if not isinstance(name, str) or not name or "." in name:
            raise KeyError(f"register_buffer: invalid buffer name {name!r}")
        if hasattr(type(self), name) or isinstance(self.__dict__.get(name), (Parameter, Module)):
            raise KeyError(f"register_buffer: attribute {name!r} already exists")
        if "_buffers" not in self.__dict__:
            object.__setattr__(self, "_buffers", {})
        self._buffers[name] = bool(persistent)
        setattr(self, name, tensor)

    def register_parameter(self, name: str, param: "Parameter | None") -> None:
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"register_parameter: {name!r} must be a Parameter or None, got "
                            f"{type(param).__name__}")
        setattr(self, name, param)

    def add_module(self, name: str, module: "Module | None") -> None:
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"add_module: {name!r} must be a Module, got {type(module).__name__}")
        if not isinstance(name, str) or not name or "." in name or hasattr(type(self), name):
            raise KeyError(f"add_module: invalid or clashing module name {name!r}")
        setattr(self, name, module)

    register_module = add_module

    def get_submodule(self, target: str) -> "Module":
        """The descendant at dotted path `target` ("" is this module)."""
        module = self
        for part in target.split(".") if target else []:
            child = dict(module._all_children()).get(part)
            if child is None:
                raise AttributeError(f"get_submodule: {type(module).__name__} has no "
                                     f"submodule {part!r} (looking for {target!r})")
            module = child
        return module

    def get_parameter(self, target: str) -> "Parameter":
        """The Parameter at dotted path `target`, e.g. "0.weight"."""
        return self._get_member(target, dict(self.named_parameters()), "parameter")

    def get_buffer(self, target: str) -> Tensor:
        return self._get_member(target, dict(self.named_buffers()), "buffer")

    def _get_member(self, target, members, kind):
        module_path, _, name = target.rpartition(".")
        self.get_submodule(module_path)  # names a missing submodule if that is the problem
        if target not in members:
            raise AttributeError(f"get_{kind}: no {kind} named {target!r}")
        return members[target]

    # --- discovery ---------------------------------------------------------------------
    def _members(self):
        for name, value in self.__dict__.items():
            yield from _flatten(name, value)

    def _own_parameters(self):
        return [(n, v) for n, v in self._members() if isinstance(v, Parameter)]

    def _own_buffers(self, persistent_only=False):
        found = []
        for name, persistent in self.__dict__.get("_buffers", {}).items():
            value = self.__dict__.get(name)
            if value is not None and (persistent or not persistent_only):
                found.append((name, value))
        return found

    def _all_children(self):
        """Every (name, child) pair, repeats included (state_dict saves a shared child twice)."""
        return [(n, v) for n, v in self._members() if isinstance(v, Module)]

    def named_children(self) -> Iterator[tuple[str, "Module"]]:
        seen = set()
        for name, child in self._all_children():
            if id(child) not in seen:
                seen.add(id(child))
                yield name, child

    def children(self) -> Iterator["Module"]:
        for _, child in self.named_children():
            yield child

    def named_modules(self, memo: set[Any] | None = None, prefix: str = "",
                      remove_duplicate: bool = True) -> Iterator[tuple[str, "Module"]]:
        """(name, module) for this module ("" or `prefix`) and every descendant, depth first."""
        memo = set() if memo is None else memo
        stack = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if remove_duplicate:
                if id(module) in memo:
                    continue
                memo.add(id(module))
            yield name, module
            children = module._all_children()
            for child_name, child in reversed(children):
                stack.append((f"{name}.{child_name}" if name else child_name, child))

    def modules(self) -> Iterator["Module"]:
        for _, module in self.named_modules():
            yield module

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True) -> Iterator[tuple[str, "Parameter"]]:
        """(dotted name, Parameter) pairs, each parameter once, in registration order."""
        modules = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        seen = set()
        for module_name, module in modules:
            for name, p in module._own_parameters():
                if remove_duplicate:
                    if id(p) in seen:
                        continue
                    seen.add(id(p))
                yield (f"{module_name}.{name}" if module_name else name), p

    def parameters(self, recurse: bool = True) -> Iterator["Parameter"]:
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:
        """(dotted name, buffer) pairs, non-persistent buffers included, each buffer once."""
        modules = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        seen = set()
        for module_name, module in modules:
            for name, b in module._own_buffers():
                if remove_duplicate:
                    if id(b) in seen:
                        continue
                    seen.add(id(b))
                yield (f"{module_name}.{name}" if module_name else name), b

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    # --- modes and gradients -------------------------------------------------------------
    def train(self: M, mode: bool = True) -> M:
        """Set training mode (dropout active, batch norm uses batch statistics) on this module
        and every descendant; `eval()` is `train(False)`. Returns self."""
        if not isinstance(mode, bool):
            raise TypeError(f"train: mode must be a bool, got {mode!r}")
        for module in self.modules():
            module.training = mode
        return self

    def eval(self: M) -> M:
        return self.train(False)

    def requires_grad_(self: M, requires_grad: bool = True) -> M:
        for p in self.parameters():
            p.requires_grad = requires_grad
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's gradient: drop it (default) or fill it with zeros in place
        (the same gradient tensor, its version bumped, as an optimizer's zero_grad does)."""
        for p in self.parameters():
            if p.grad is None:
                continue
            if set_to_none:
                p.grad = None
            else:
                with no_grad():
                    p.grad.zero_()

    def apply(self: M, fn: Callable[["Module"], Any]) -> M:
        """Call `fn` on every descendant, then on this module (as PyTorch does). Returns self."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    # --- state -------------------------------------------------------------------------
    def state_dict(self, destination: dict[str, Any] | None = None, prefix: str = "",
                   keep_vars: bool = False) -> dict[str, Any]:
        """An OrderedDict of dotted names -> ndarray copies: each module's own parameters,
        then its persistent buffers, then its children's entries (PyTorch's order and keys).
        `keep_vars=True` gives the Tensors themselves instead of copies."""
        dest = OrderedDict() if destination is None else destination
        for name, value in self._own_parameters() + self._own_buffers(persistent_only=True):
            dest[prefix + name] = value if keep_vars else value._data.copy()
        for name, child in self._all_children():
            child.state_dict(dest, f"{prefix}{name}.", keep_vars)
        return dest

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True) -> Any:
        """Copy arrays (ndarrays or Tensors) into the parameters and buffers of the same names.

        Nothing is copied unless everything fits. A shape mismatch is always an error; with
        `strict`, so are missing and unexpected keys. One StateDictError lists every problem.
        Returns (missing_keys, unexpected_keys).
        """
        if not hasattr(state_dict, "items"):
            raise TypeError(f"load_state_dict: expected a dict of arrays, got "
                            f"{type(state_dict).__name__}")
        targets = self.state_dict(keep_vars=True)
        missing = [k for k in targets if k not in state_dict]
        unexpected = [k for k in state_dict if k not in targets]
        problems, arrays = [], {}
        for key, target in targets.items():
            if key not in state_dict:
                continue
            value = state_dict[key]
            array = value._data if isinstance(value, Tensor) else np.asarray(value)
            if array.dtype.kind not in "biuf":
                problems.append(f"wrong type for {key}: got an array of dtype {array.dtype}, "
                                f"expected numbers")
            elif hasattr(target, "materialize"):  # a lazy module's placeholder takes the shape
                pass
            elif array.shape != target.shape:
                problems.append(f"size mismatch for {key}: copying a param with shape "
                                f"{array.shape} from checkpoint, the shape in current model "
                                f"is {target.shape}.")
            arrays[key] = array
        if strict and unexpected:
            problems.insert(0, "Unexpected key(s) in state_dict: "
                            + ", ".join(f'"{k}"' for k in unexpected) + ".")
        if strict and missing:
            problems.insert(0, "Missing key(s) in state_dict: "
                            + ", ".join(f'"{k}"' for k in missing) + ".")
        if problems:
            raise StateDictError(f"Error(s) in loading state_dict for {type(self).__name__}:\n\t"
                                 + "\n\t".join(problems))
        with no_grad():
            for key, array in arrays.items():
                if hasattr(targets[key], "materialize"):
                    targets[key].materialize(array.shape)
                targets[key][...] = array.astype(targets[key].dtype, copy=False)
        for module in self.modules():  # lazy modules whose every placeholder is now shaped
            if hasattr(module, "_become"):
                module._become()
        return IncompatibleKeys(missing, unexpected)

    # --- repr ----------------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The text inside the parentheses of this module's repr (its constructor arguments)."""
        return ""

    def __repr__(self):
        lines = self.extra_repr().split("\n") if self.extra_repr() else []
        extra_only = len(lines) == 1
        for name, value in self.__dict__.items():
            text = _repr_member(value)
            if text is not None:
                lines.append(f"({name}): {text}")
                extra_only = False
        body = ""
        if extra_only:
            body = lines[0]
        elif lines:
            body = "\n  " + "\n  ".join(line.replace("\n", "\n  ") for line in lines) + "\n"
        return f"{type(self).__name__}({body})"


def _repr_member(value):
    """A child module's repr; a list or dict of modules shown as ModuleList/ModuleDict."""
    if isinstance(value, Module):
        return repr(value)
    if isinstance(value, (list, tuple, dict)):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        lines = [(k, _repr_member(v)) for k, v in items]
        lines = [f"({k}): {text}" for k, text in lines if text is not None]
        if lines:
            kind = "ModuleDict" if isinstance(value, dict) else "ModuleList"
            return f"{kind}(\n  " + "\n  ".join(t.replace("\n", "\n  ") for t in lines) + "\n)"
    return None

