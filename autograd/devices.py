"""Device plumbing, as PyTorch behaves on a machine without accelerators.

Everything runs on the CPU in NumPy. `device("cpu")`, `.to("cpu")`, `.cpu()` work and change
nothing; `cuda.is_available()` is False, so the usual `"cuda" if cuda.is_available() else "cpu"`
picks the CPU. A device object for CUDA or MPS can be made (as in PyTorch), but placing a tensor
there raises a RuntimeError saying why, never a silent CPU fallback. `distributed` is the same:
its availability checks answer, anything else raises.
"""

import types

CPU_ONLY = ("chainrule computes on the CPU with NumPy; there is no {what} backend. Use "
            "device='cpu' (or pick it with `'cuda' if torch.cuda.is_available() else 'cpu'`)")


class device:
    """`device("cpu")`, `device("cuda:0")`, `device("cuda", 1)`, `device(other_device)`."""

    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        if isinstance(type, device):
            type, index = type.type, type.index
        elif not isinstance(type, str):
            raise TypeError(f"device: expected a string like 'cpu', got {type!r}")
        elif ":" in type:
            type, _, number = type.partition(":")
            if index is not None or not number.isdigit():
                raise RuntimeError(f"device: invalid device string {type + ':' + number!r}")
            index = int(number)
        if type not in ("cpu", "cuda", "mps", "meta", "xpu", "xla", "hip", "mtia", "privateuseone"):
            raise RuntimeError(f"device: expected one of cpu, cuda, mps, ... device type at "
                               f"start of device string: {type!r}")
        self.type, self.index = type, index

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self):
        index = "" if self.index is None else f", index={self.index}"
        return f"device(type={self.type!r}{index})"

    def __eq__(self, other):
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))

    def __enter__(self):
        """`with device("cpu"):` (the default device for factories) is the CPU already."""
        check_device("device", self)
        return self

    def __exit__(self, *exc):
        return False


CPU = device("cpu")


def check_device(where, dev):
    """Accept None and the CPU; a device that needs an accelerator is a clear RuntimeError."""
    if dev is None:
        return CPU
    if isinstance(dev, int) and not isinstance(dev, bool):  # PyTorch reads an int as cuda:N
        dev = device("cuda", dev)
    dev = device(dev)
    if dev.type != "cpu":
        raise RuntimeError(f"{where}: device {str(dev)!r} is not available: "
                           + CPU_ONLY.format(what=dev.type.upper()))
    return dev


def get_default_device():
    return CPU


def set_default_device(device):
    check_device("set_default_device", device)


def _unsupported(what):
    def call(*args, **kwargs):
        raise RuntimeError(CPU_ONLY.format(what=what))

    return call


def _namespace(name, doc, **members):
    module = types.ModuleType(f"autograd.{name}", doc)
    module.__dict__.update(members)
    return module


def _no_op(*args, **kwargs):
    """Seeding CUDA when there is none changes nothing, as in PyTorch without CUDA."""


class autocast:
    """Mixed precision. Disabled (`enabled=False`, as programs write when AMP is off) it is a
    no-op; enabled it raises, since running in float16 or bfloat16 is not supported here."""

    def __init__(self, device_type="cpu", dtype=None, enabled=True, cache_enabled=None):
        if enabled:
            raise RuntimeError("autocast: mixed precision is not supported (no bfloat16 in "
                               "NumPy, and float16 matmuls would be slow and inexact on the "
                               "CPU); run in float32, or pass enabled=False")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __call__(self, fn):
        return fn


class GradScaler:
    """Loss scaling for float16 training. Disabled (`enabled=False`) it passes everything
    through, as PyTorch's does; enabled it raises, as float16 training is not supported."""

    def __init__(self, device="cpu", init_scale=2.0**16, growth_factor=2.0,
                 backoff_factor=0.5, growth_interval=2000, enabled=True):
        if enabled:
            raise RuntimeError("GradScaler: float16 training is not supported; pass "
                               "enabled=False (then scale, step and update pass through)")

    def scale(self, outputs):
        return outputs

    def step(self, optimizer, *args, **kwargs):
        return optimizer.step(*args, **kwargs)

    def update(self, new_scale=None):
        pass

    def unscale_(self, optimizer):
        pass

    def is_enabled(self):
        return False

    def state_dict(self):
        return {}

    def load_state_dict(self, state_dict):
        pass


amp = _namespace("amp", "Mixed precision: only its disabled form runs.", autocast=autocast,
                 GradScaler=GradScaler)

class _Absent(types.ModuleType):
    """A backend's namespace: the names listed answer as on a machine without it; any other
    name is a function that raises, saying the backend does not exist here."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _unsupported(self.__name__.rsplit(".", 1)[-1].upper())


cuda = _Absent("autograd.cuda", "CUDA as seen from a machine without it: nothing available, "
               "seeding is a no-op, anything else raises.")
cuda.__dict__.update(
    is_available=lambda: False, device_count=lambda: 0, is_bf16_supported=lambda *a, **k: False,
    manual_seed=_no_op, manual_seed_all=_no_op, seed=_no_op, seed_all=_no_op, empty_cache=_no_op,
    is_initialized=lambda: False, synchronize=_unsupported("CUDA"),
    set_device=_unsupported("CUDA"), current_device=_unsupported("CUDA"),
    get_device_name=_unsupported("CUDA"), memory_allocated=_unsupported("CUDA"),
    max_memory_allocated=_unsupported("CUDA"), amp=amp)

mps = _namespace("backends.mps", "Apple's Metal backend: not available.",
                 is_available=lambda: False, is_built=lambda: False)


class _Flags(types.ModuleType):
    """Backend switches that programs set (`cudnn.deterministic = True`): accepted and stored,
    since no backend they steer exists here."""


cudnn = _Flags("autograd.backends.cudnn")
cudnn.__dict__.update(deterministic=False, benchmark=False, allow_tf32=True, enabled=True,
                      is_available=lambda: False)
cuda_backend = _Flags("autograd.backends.cuda")
cuda_backend.matmul = _Flags("autograd.backends.cuda.matmul")
cuda_backend.matmul.allow_tf32 = False
cuda_backend.is_built = lambda: False
backends = _namespace("backends", "Backend flags and availability checks.", mps=mps,
                      cudnn=cudnn, cuda=cuda_backend)

accelerator = _namespace(
    "accelerator", "No accelerator: `current_accelerator()` is None, as in PyTorch on a CPU.",
    is_available=lambda: False, current_accelerator=lambda *a, **k: None,
    device_count=lambda: 0, set_device_index=_unsupported("accelerator"),
    synchronize=_unsupported("accelerator"))


class _Distributed(types.ModuleType):
    """`torch.distributed`: `is_available()` and `is_initialized()` answer False; any other
    name raises, since chainrule runs one process."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise RuntimeError(f"distributed.{name}: torch.distributed is not supported; chainrule "
                           "trains in a single process on the CPU")


distributed = _Distributed("autograd.distributed")
distributed.is_available = lambda: False
distributed.is_initialized = lambda: False
