"""PyTorch's type promotion where it differs from NumPy's: an integer tensor meeting a Python
float, true division of integers and the float functions of integers give the default float
dtype (NumPy gives float64); an integer tensor with a Python int keeps its dtype; `where` with
Python ints is int64. Checked against written-down dtypes, and against PyTorch where installed."""

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor

I32 = np.array([1, 2, 3], dtype=np.int32)
I64 = np.array([4, -5, 6], dtype=np.int64)
F32 = np.array([0.5, 1.5, 2.5], dtype=np.float32)
F64 = np.array([0.5, 1.5, 2.5], dtype=np.float64)
MASK = np.array([True, False, True])

# (name, program written once against a module m, the arrays, the dtype PyTorch gives)
CASES = [
    ("int64 * 2.5", lambda m, i: i * 2.5, (I64,), "float32"),
    ("2.5 * int32", lambda m, i: 2.5 * i, (I32,), "float32"),
    ("int64 + 1.0", lambda m, i: i + 1.0, (I64,), "float32"),
    ("int64 - 0.5", lambda m, i: i - 0.5, (I64,), "float32"),
    ("int64 / int", lambda m, i: i / 2, (I64,), "float32"),
    ("int64 / int64", lambda m, i: i / i, (I64,), "float32"),
    ("int32 * 2", lambda m, i: i * 2, (I32,), "int32"),
    ("int32 + 7", lambda m, i: 7 + i, (I32,), "int32"),
    ("int32 // 2", lambda m, i: i // 2, (I32,), "int32"),
    ("int64 % 3", lambda m, i: i % 3, (I64,), "int64"),
    ("int32 + int64", lambda m, i, j: i + j, (I32, I64), "int64"),
    ("int64 * float32", lambda m, i, f: i * f, (I64, F32), "float32"),
    ("float32 * int64", lambda m, f, i: f * i, (F32, I64), "float32"),
    ("float32 + float64", lambda m, f, g: f + g, (F32, F64), "float64"),
    ("float32 * 0-d float64", lambda m, f, g: f * g.sum(), (F32, F64), "float32"),
    ("int64 * 0-d float64", lambda m, i, g: i * g.sum(), (I64, F64), "float64"),
    ("float32 * 2.5", lambda m, f: f * 2.5, (F32,), "float32"),
    ("float64 * 2.5", lambda m, f: f * 2.5, (F64,), "float64"),
    ("bool + 1", lambda m, i: (i > 0) + 1, (I64,), "int64"),
    ("bool * 1.5", lambda m, i: (i > 0) * 1.5, (I64,), "float32"),
    ("exp(int64)", lambda m, i: m.exp(i), (I64,), "float32"),
    ("cos(int32)", lambda m, i: m.cos(i), (I32,), "float32"),
    ("sqrt(int64)", lambda m, i: m.sqrt(i.abs()), (I64,), "float32"),
    ("log10(int64)", lambda m, i: m.log10(i.abs()), (I64,), "float32"),
    ("sigmoid(int64)", lambda m, i: m.sigmoid(i), (I64,), "float32"),
    ("where(cond, 1, 3)", lambda m, i: m.where(i > 0, 1, 3), (I64,), "int64"),
    ("where(cond, 1.0, 3)", lambda m, i: m.where(i > 0, 1.0, 3), (I64,), "float32"),
    ("where(cond, int32, 0)", lambda m, i: m.where(i > 1, i, 0), (I32,), "int32"),
    ("where(cond, float32, 0.0)", lambda m, f: m.where(f > 1, f, 0.0), (F32,), "float32"),
    ("maximum(int64, 0.5)", lambda m, i: m.maximum(i, m.tensor(0.5) if m.__name__ == "torch"
                                                   else ag.Tensor(0.5)), (I64,), "float32"),
    ("abs(int32)", lambda m, i: i.abs(), (I32,), "int32"),
    ("sum(int32)", lambda m, i: i.sum(), (I32,), "int64"),
    ("sum(bool)", lambda m, i: (i > 0).sum(), (I64,), "int64"),
    ("cumsum(int32)", lambda m, i: i.cumsum(0), (I32,), "int64"),
    ("prod(int32)", lambda m, i: i.prod(), (I32,), "int64"),
    ("clamp(int64, min=0.5)", lambda m, i: i.clamp(min=0.5), (I64,), "float32"),
    ("softmax(float32)", lambda m, f: f.softmax(0), (F32,), "float32"),
]


def run(m, fn, arrays):
    if m is ag:
        return fn(m, *[Tensor(a) for a in arrays])
    return fn(m, *[m.tensor(a) for a in arrays])


@pytest.mark.parametrize("name, fn, arrays, dtype", CASES, ids=[c[0] for c in CASES])
def test_dtype_is_pytorchs(name, fn, arrays, dtype):
    out = run(ag, fn, arrays)
    assert out.dtype == np.dtype(dtype), f"{name}: got {out.dtype}, PyTorch gives {dtype}"


@pytest.mark.parametrize("name, fn, arrays, dtype", CASES, ids=[c[0] for c in CASES])
def test_values_and_dtype_match_pytorch(name, fn, arrays, dtype):
    torch = pytest.importorskip("torch")
    want = run(torch, fn, arrays)
    assert str(want.dtype) == f"torch.{dtype}", f"{name}: the table's dtype is not PyTorch's"
    got = run(ag, fn, arrays)
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6, err_msg=name)


def test_the_default_dtype_decides_what_integers_become():
    previous = ag.get_default_dtype()
    ag.set_default_dtype(np.float64)
    try:
        assert (Tensor(I64) * 2.5).dtype == np.float64
        assert (Tensor(I64) / 2).dtype == np.float64 and ag.exp(Tensor(I32)).dtype == np.float64
    finally:
        ag.set_default_dtype(previous)


def test_an_int_tensor_times_a_float_keeps_the_float_gradient_dtype():
    w = Tensor(F32.copy(), requires_grad=True)
    (Tensor(I64) * w).sum().backward()
    assert w.grad.dtype == np.float32
    np.testing.assert_array_equal(w.grad.numpy(), I64.astype(np.float32))
