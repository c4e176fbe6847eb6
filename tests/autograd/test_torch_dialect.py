"""The two dialects side by side: PyTorch's spellings mean PyTorch's, NumPy's keywords keep
NumPy's meaning, and mixing the two for one argument is a TypeError naming the call. Closed
forms here (no PyTorch needed); test_torch_ops.py compares the PyTorch spellings with torch."""

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor

A = np.array([[1.0, 5.0, 2.0], [4.0, 0.0, 6.0]])


def t(array=A, requires_grad=False):
    return Tensor(np.array(array), requires_grad=requires_grad)


# --- max/min: the spelling decides the result ---------------------------------------------------
def test_max_with_a_dim_is_values_and_indices_and_with_axis_the_values():
    values, indices = t().max(1)
    np.testing.assert_array_equal(values.numpy(), [5.0, 6.0])
    np.testing.assert_array_equal(indices.numpy(), [1, 2])
    assert indices.dtype == np.int64
    r = ag.min(t(), dim=0, keepdim=True)
    assert r.values.shape == (1, 3) and r.indices.tolist() == [[0, 1, 0]]
    assert type(r).__name__ == "min" and r._fields == ("values", "indices")
    np.testing.assert_array_equal(t().max(axis=1).numpy(), [5.0, 6.0])  # NumPy: values only
    assert t().max(axis=1, keepdims=True).shape == (2, 1)
    assert t().max().item() == 6.0
    np.testing.assert_array_equal(t().max(t(A[::-1].copy())).numpy(), [[4, 5, 6], [4, 5, 6]])


def test_values_of_max_dim_carry_gradients_and_ties_share():
    x = t([[1.0, 3.0, 3.0], [2.0, 0.0, 1.0]], requires_grad=True)
    x.max(1).values.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[0, 0.5, 0.5], [1, 0, 0]])


# --- var/std: unbiased in PyTorch's spelling, ddof=0 in NumPy's --------------------------------
def test_var_and_std_defaults_follow_the_spelling():
    x = t()
    assert x.var().item() == pytest.approx(A.var(ddof=1))
    assert x.var(1).numpy() == pytest.approx(A.var(1, ddof=1))
    assert x.var(dim=1, unbiased=False).numpy() == pytest.approx(A.var(1))
    assert x.var(correction=2).item() == pytest.approx(A.var(ddof=2))
    assert x.var(axis=1).numpy() == pytest.approx(A.var(1))  # NumPy: ddof=0
    assert x.var(axis=None).item() == pytest.approx(A.var())
    assert x.var(ddof=1).item() == pytest.approx(A.var(ddof=1))
    assert x.std(keepdims=True).shape == (1, 1)
    assert x.std(keepdims=True).item() == pytest.approx(A.std())
    assert ag.std(x, 0).numpy() == pytest.approx(A.std(0, ddof=1))


def test_var_with_no_degrees_of_freedom_is_inf_or_nan_without_warnings():
    assert np.isnan(t([3.0]).var().item())  # 0 / 0
    assert t([1.0, 2.0]).var(correction=2).item() == np.inf  # 0.5 / 0
    assert np.isnan(t(np.zeros((0, 3))).mean().item())
    assert np.isnan(t(np.zeros((0, 3))).mean(0).numpy()).all()


# --- transpose: two dims swap, a permutation permutes ------------------------------------------
def test_transpose_swaps_two_dims_and_permutes_with_a_tuple_or_three():
    x = t(np.arange(24.0).reshape(2, 3, 4))
    assert x.transpose(0, 1).shape == (3, 2, 4)
    assert x.transpose(2, 0).shape == (4, 3, 2)
    assert ag.transpose(x, 1, 2).shape == (2, 4, 3)
    assert x.transpose((2, 0, 1)).shape == (4, 2, 3)
    assert x.transpose(2, 0, 1).shape == (4, 2, 3)
    assert x.transpose(axes=(1, 0, 2)).shape == (3, 2, 4)
    assert x.transpose().shape == (4, 3, 2) and x.T.shape == (4, 3, 2)
    np.testing.assert_array_equal(x.transpose(0, 2).numpy(), np.swapaxes(x.numpy(), 0, 2))


def test_squeeze_dim_is_a_no_op_on_other_sizes_but_axis_refuses():
    x = t(np.zeros((2, 1, 3)))
    assert x.squeeze(0).shape == (2, 1, 3)
    assert x.squeeze(1).shape == (2, 3) and x.squeeze(dim=-2).shape == (2, 3)
    assert x.squeeze().shape == (2, 3)
    with pytest.raises(ag.ShapeError, match=r"squeeze: axis 0 of shape \(2, 1, 3\) has size 2"):
        x.squeeze(axis=0)


def test_repeat_tiles_and_split_cuts_pieces_of_a_size():
    x = t([1.0, 2.0])
    np.testing.assert_array_equal(x.repeat(3).numpy(), [1, 2, 1, 2, 1, 2])
    assert [p.shape for p in t(np.zeros((5, 2))).split(2)] == [(2, 2), (2, 2), (1, 2)]
    assert [p.shape for p in t(np.zeros((6,))).chunk(4)] == [(2,), (2,), (2,)]
    with pytest.raises(ag.ShapeError, match=r"split: sizes \[1, 2\] add up to 3, but dim 0"):
        t(np.zeros(4)).split([1, 2])


def test_size_dim_and_element_counts():
    x = t(np.zeros((2, 3, 4)))
    assert x.size() == (2, 3, 4) and x.size(0) == 2 and x.size(-1) == 4
    assert x.dim() == 3 == x.ndimension() and x.nelement() == 24 == x.numel()
    with pytest.raises(ag.ShapeError, match=r"size: dim 3 is out of range for a tensor of 3 dims"):
        x.size(3)


def test_flatten_view_and_expand():
    x = t(np.arange(24.0).reshape(2, 3, 4))
    assert x.flatten().shape == (24,) and x.flatten(1).shape == (2, 12)
    assert x.flatten(0, 1).shape == (6, 4) and x.flatten(-2).shape == (2, 12)
    assert t(3.0).flatten().shape == (1,)
    assert x.view(-1).shape == (24,) and x.view(4, 6).shape == (4, 6)
    assert x.view((6, 4)).shape == (6, 4) and x.view_as(t(np.zeros(24))).shape == (24,)
    assert t([[1.0], [2.0]]).expand(2, 3).shape == (2, 3)
    assert t([[1.0], [2.0]]).expand(4, -1, 5).shape == (4, 2, 5)
    with pytest.raises(ag.ShapeError, match=r"expand: cannot expand shape \(2, 1\) to \(3, 1\)"):
        t([[1.0], [2.0]]).expand(3, 1)


def test_view_as_a_dtype_reinterprets_the_bytes():
    x = t(np.array([1.0], dtype=np.float32))
    assert x.view(np.int32).item() == np.array([1.0], dtype=np.float32).view(np.int32)[0]


# --- mixing the spellings ----------------------------------------------------------------------
@pytest.mark.parametrize("call, message", [
    (lambda: t().sum(dim=0, axis=1), r"sum: got both dim=0 \(PyTorch\) and axis=1 \(NumPy\)"),
    (lambda: t().max(1, axis=1), r"max: got both dim=1 \(PyTorch\) and axis=1"),
    (lambda: ag.mean(t(), keepdim=True, keepdims=True), "mean: got both keepdim=True"),
    (lambda: t().var(unbiased=True, ddof=0), "var: got both unbiased= and ddof="),
    (lambda: t().var(correction=1, ddof=0), "var: got both correction= and ddof="),
    (lambda: t().softmax(dim=0, axis=1), "^softmax: got both dim=0"),
    (lambda: t().squeeze(dim=0, axis=0), "squeeze: got both dim=0"),
    (lambda: ag.cat([t(), t()], dim=1, axis=0), "concatenate: got both dim=1"),
    (lambda: ag.argmax(t(), dim=0, axis=0), "argmax: got both dim=0"),
    (lambda: t().clip(min=0, lo=1), "clip: got both min= and lo="),
])
def test_mixing_both_spellings_for_one_argument_is_a_type_error(call, message):
    with pytest.raises(TypeError, match=message):
        call()


@pytest.mark.parametrize("call, message", [
    (lambda: t().sum(dim=2), r"^sum: dim 2 is out of range for a tensor of 2 dims \(expected -2"),
    (lambda: t().max(-3), r"^max: dim -3 is out of range for a tensor of 2 dims"),
    (lambda: t().softmax(5), r"^softmax: dim 5 is out of range"),
    (lambda: t().unsqueeze(4), r"^unsqueeze: dim 4 is out of range for a tensor of 3 dims"),
    (lambda: t().cumsum(2), r"^cumsum: dim 2 is out of range"),
    (lambda: t().view(4, 2), r"^view: shape \(4, 2\) is invalid for a tensor of shape \(2, 3\) "
                             r"\(6 elements\)$"),
    (lambda: t().permute(1, 0, 2), r"^permute: dims \(1, 0, 2\) do not name the 2 dims"),
    (lambda: t().mm(t()), r"^matmul: cannot multiply \(2, 3\) by \(2, 3\)"),
    (lambda: ag.bmm(t(), t()), r"^bmm: expects two batches of matrices"),
    (lambda: t().topk(4), r"^topk: k \(4\) is out of range for dim 1 of size 3"),
    (lambda: ag.einsum("ij,jk", t(), t()), r"^einsum: index 'j' has size 3 in one operand and 2"),
    (lambda: t().repeat(2), r"^repeat: 1 repeats \(2,\) are fewer than the 2 dims"),
    (lambda: t().t().t().trace() + t(np.zeros(3)).trace(), r"^trace: expects a matrix"),
])
def test_errors_name_the_call_and_the_values(call, message):
    with pytest.raises((ag.ShapeError, ValueError), match=message):
        call()


# --- in-place forms ----------------------------------------------------------------------------
def test_add_and_sub_in_place_with_alpha():
    x = t([1.0, 2.0])
    x.add_(t([1.0, 1.0]), alpha=-0.5)
    np.testing.assert_array_equal(x.numpy(), [0.5, 1.5])
    x.sub_(1.0, alpha=2)
    np.testing.assert_array_equal(x.numpy(), [-1.5, -0.5])
    w = t([1.0, 2.0], requires_grad=True)
    y = w * 1.0
    y.add_(w, alpha=3.0)
    y.sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), [4.0, 4.0])


def test_masked_fill_and_clamp_in_place():
    x = t([[1.0, -2.0], [3.0, -4.0]])
    x.masked_fill_(x < 0, 0.0)
    np.testing.assert_array_equal(x.numpy(), [[1, 0], [3, 0]])
    x.clamp_(max=2.0)
    np.testing.assert_array_equal(x.numpy(), [[1, 0], [2, 0]])
    w = t([1.0, -1.0], requires_grad=True)
    y = w * 2.0
    y.masked_fill_(ag.Tensor(np.array([False, True])), 5.0)
    y.sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), [2.0, 0.0])


# --- 0-d tensors and edge semantics -----------------------------------------------------------
def test_zero_d_edges():
    s = t(3.0, requires_grad=True)
    assert s.softmax(0).item() == 1.0 and ag.softmax(s, -1).item() == 1.0
    assert s.sum(0).item() == 3.0 and s.max(0).indices.item() == 0
    assert s.argmax().item() == 0 and s.unsqueeze(0).shape == (1,)
    assert s.squeeze(0).shape == () and s.flip(0).item() == 3.0


def test_where_with_the_condition_alone_gives_index_tensors():
    rows, cols = ag.where(t() > 3)
    assert rows.tolist() == [0, 1, 1] and cols.tolist() == [1, 0, 2]
    assert rows.dtype == np.int64
    assert (t() > 3).nonzero().tolist() == [[0, 1], [1, 0], [1, 2]]


def test_clamp_with_min_above_max_gives_max_and_no_gradient():
    x = t([0.0, 5.0], requires_grad=True)
    y = x.clamp(3.0, 2.0)
    np.testing.assert_array_equal(y.numpy(), [2.0, 2.0])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.0])


def test_torch_index_layout_for_an_int_mixed_with_index_arrays():
    x = t(np.arange(300.0).reshape(2, 5, 6, 5))
    idx = Tensor(np.array([[0, 1, 4]]))
    out = x[1, :, 0:2, idx]
    assert out.shape == (5, 2, 1, 3)  # NumPy would give (1, 3, 5, 2)
    want = x.numpy()[1][:, 0:2][..., np.array([[0, 1, 4]])]
    np.testing.assert_array_equal(out.numpy(), want)
    # the same rule for assignment, and the gradient lands where the values came from
    y = t(np.zeros((2, 5, 6, 5)))
    y[1, :, 0:2, idx] = out + 1.0
    np.testing.assert_array_equal(y.numpy()[1][:, 0:2][..., np.array([0, 1, 4])], want[:, :, 0] + 1)
    w = t(np.arange(300.0).reshape(2, 5, 6, 5), requires_grad=True)
    w[1, :, 0:2, idx].sum().backward()
    assert w.grad.numpy().sum() == 30 and w.grad.numpy()[1, :, 0:2][..., [0, 1, 4]].all()


def test_norm_of_zero_has_gradient_zero_as_in_pytorch():
    x = t([0.0, 0.0], requires_grad=True)
    x.norm().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.0])


def test_integer_operators_in_place_write_into_the_tensor_and_its_views():
    x = Tensor(np.array([[5, -3], [7, 8]]))
    row = x[0]
    row //= 2
    row %= 2
    x[1] &= 6
    x[1] |= 1
    x[1] ^= 2
    x <<= 1
    x >>= 1
    np.testing.assert_array_equal(x.numpy(), [[0, 0], [5, 3]])
    with pytest.raises(TypeError, match=r"//=: cannot write float32 values into a tensor of "
                                        r"dtype int64 in place"):
        x //= 2.5


def test_resize_keeps_the_entries_and_refuses_a_new_size():
    x = t()
    assert x.resize(3, 2).shape == (3, 2) and x.resize_((6,)).shape == (6,) and x.shape == (6,)
    with pytest.raises(ValueError, match=r"resize_: cannot resize a tensor of shape \(6,\) "
                                         r"\(6 elements\) to \(4,\)"):
        x.resize_(4)
    with pytest.raises(RuntimeError, match="resize_: cannot resize a tensor that requires grad"):
        t(requires_grad=True).resize_(6)
