"""Moving a module between dtypes (and, nominally, devices): `to`, `half`, `float`, `double`,
`cpu`, `cuda`, as PyTorch's Module has them. Everything computes on the CPU, so asking for
another device is a clear error rather than a silent CPU run."""

import numpy as np

from autograd import Tensor


def check_device(name, device):
    """Accept the CPU (or no device); anything else is a clear error, never a silent CPU run."""
    if device is not None and str(device) != "cpu":
        raise RuntimeError(f"{name}: device {str(device)!r} is not available: this library "
                           f"computes on the CPU only (use 'cpu' or leave the device out)")


class Casting:
    """The dtype and device methods of Module (which finds parameters and buffers)."""

    def to(self, *args, **kwargs):
        """Cast floating-point parameters and buffers to a dtype, in place (the same Parameter
        objects, so an optimizer keeps them): `to(ag.float64)`, `to("cpu")`, `to(tensor)`,
        `to(device=..., dtype=...)`. Devices other than the CPU are an error. Returns self."""
        device, dtype = kwargs.pop("device", None), kwargs.pop("dtype", None)
        kwargs.pop("non_blocking", None)
        if kwargs:
            raise TypeError(f"to: unexpected keyword arguments {sorted(kwargs)}")
        for arg in args:
            if isinstance(arg, Tensor):
                dtype = arg.dtype
            elif isinstance(arg, str) or type(arg).__name__ == "device":
                device = arg
            else:
                dtype = arg
        check_device("to", device)
        if dtype is not None:
            dtype = np.dtype(dtype)
            if dtype.kind != "f":
                raise TypeError(f"to: nn.Module.to only accepts floating point dtypes, got "
                                f"{dtype}")
            self._cast(dtype)
        return self

    def _cast(self, dtype):
        for t in list(self.parameters()) + list(self.buffers()):
            if t._data.dtype.kind == "f" and t._data.dtype != dtype:
                t._data = t._data.astype(dtype)
                if t._grad is not None:
                    t._grad = Tensor(t._grad._data.astype(dtype))

    def half(self):
        return self.to(np.float16)

    def float(self):
        return self.to(np.float32)

    def double(self):
        return self.to(np.float64)

    def cpu(self):
        return self

    def cuda(self, device=None):
        check_device("cuda", "cuda")
