"""PyTorch's dtype names, as the NumPy dtypes they stand for, and the legacy tensor types.

`ag.float32 == np.float32`, so `x.dtype == ag.float32` and `dtype=ag.long` mean what they say
in PyTorch. A dtype NumPy cannot hold (`bfloat16`, the float8 family) or that the engine does
not differentiate (complex) is a placeholder that raises a clear error the moment it is used
as a dtype, rather than silently standing for something else.
"""

import numpy as np

float32 = float = np.dtype(np.float32)
float64 = double = np.dtype(np.float64)
float16 = half = np.dtype(np.float16)
int64 = long = np.dtype(np.int64)
int32 = int = np.dtype(np.int32)
int16 = short = np.dtype(np.int16)
int8 = np.dtype(np.int8)
uint8 = np.dtype(np.uint8)
bool = np.dtype(np.bool_)

SUPPORTED = {
    "float32": float32, "float": float32, "float64": float64, "double": float64,
    "float16": float16, "half": float16, "int64": int64, "long": int64, "int32": int32,
    "int": int32, "int16": int16, "short": int16, "int8": int8, "uint8": uint8, "bool": bool,
}


class UnsupportedDtype:
    """A PyTorch dtype with no NumPy counterpart here. NumPy asks any object used as a dtype
    for its `.dtype`; this one answers with an error naming itself."""

    def __init__(self, name, why):
        self.name, self.why = name, why

    @property
    def dtype(self):
        raise TypeError(f"dtype {self.name} is not supported: {self.why}")

    def __repr__(self):
        return f"autograd.{self.name} (unsupported)"


_NO_NUMPY = "NumPy has no such type, and chainrule computes on NumPy arrays"
_COMPLEX = "chainrule differentiates real floating-point tensors only"
UNSUPPORTED = {
    "bfloat16": _NO_NUMPY, "float8_e4m3fn": _NO_NUMPY, "float8_e5m2": _NO_NUMPY,
    "complex64": _COMPLEX, "complex128": _COMPLEX, "complex32": _COMPLEX, "cfloat": _COMPLEX,
    "cdouble": _COMPLEX, "chalf": _COMPLEX, "complex": _COMPLEX,
    "qint8": "quantized tensors are not supported", "quint8": "quantized tensors are not "
    "supported", "qint32": "quantized tensors are not supported",
}
globals().update({name: UnsupportedDtype(name, why) for name, why in UNSUPPORTED.items()})
__all__ = sorted(SUPPORTED) + sorted(UNSUPPORTED)

# Legacy tensor types: `x.type()` names them and `x.type("torch.LongTensor")` casts to them.
TYPE_NAMES = {
    float32: "FloatTensor", float64: "DoubleTensor", float16: "HalfTensor",
    int64: "LongTensor", int32: "IntTensor", int16: "ShortTensor", int8: "CharTensor",
    uint8: "ByteTensor", bool: "BoolTensor",
}


def type_name(dtype):
    """PyTorch's legacy name for a dtype: float32 -> 'torch.FloatTensor' (PyTorch's own
    string, so code that compares `x.type()` with it keeps working)."""
    dtype = np.dtype(dtype)
    if dtype not in TYPE_NAMES:
        raise TypeError(f"type: dtype {dtype} has no PyTorch tensor type")
    return "torch." + TYPE_NAMES[dtype]


def from_type_name(name):
    """'torch.FloatTensor', 'autograd.FloatTensor' or 'FloatTensor' -> float32."""
    short = name.rsplit(".", 1)[-1]
    for dtype, tensor_type in TYPE_NAMES.items():
        if tensor_type == short:
            return dtype
    raise TypeError(f"type: unknown tensor type {name!r}; expected one of "
                    f"{', '.join(sorted(TYPE_NAMES.values()))} or a dtype")
