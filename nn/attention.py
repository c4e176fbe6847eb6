"""Attention: `scaled_dot_product_attention` and `MultiheadAttention`, with PyTorch's
arguments, masks, parameter names and initialisation.

    softmax(q kᵀ · scale + mask) v

Masks are additive: a float mask is added to the scores, a bool mask becomes 0 / -inf first
(True means "may attend" for scaled_dot_product_attention, "masked out" for
MultiheadAttention, as in PyTorch). A query row whose keys are all masked has no softmax:
scaled_dot_product_attention (and MultiheadAttention with need_weights=False, which PyTorch
routes through it) gives that row zeros; MultiheadAttention with need_weights=True computes
the softmax itself in PyTorch and gives NaN there, and so does this one — in that row only,
without a NumPy warning.
"""

import math

import numpy as np

import autograd as ag
from autograd import ShapeError, Tensor

from . import functional as F
from . import init
from .layers import Linear
from .module import Module, Parameter


def _tensor(x, name):
    x = x if isinstance(x, Tensor) else Tensor(x)
    if x.dtype.kind != "f":
        raise TypeError(f"{name}: expected a floating tensor, got dtype {x.dtype}")
    return x


def _swap_last(x):
    """xᵀ over the last two axes (k (..., S, E) -> (..., E, S))."""
    axes = tuple(range(x.ndim - 2)) + (x.ndim - 1, x.ndim - 2)
    return x.transpose(axes)


def _additive(mask, dtype, masked_value, name):
    """A mask as an additive float ndarray: bool masks give -inf where `masked_value`."""
    m = mask._data if isinstance(mask, Tensor) else np.asarray(mask)
    if m.dtype == bool:
        return np.where(m == masked_value, -np.inf, 0.0).astype(dtype)
    if m.dtype.kind != "f":
        raise TypeError(f"{name}: only bool and floating masks are supported, got dtype "
                        f"{m.dtype}")
    return m.astype(dtype)


def _softmax_rows(scores, empty_value):
    """softmax over the last axis; a row that is all -inf (every key masked) becomes
    `empty_value` (0.0, or NaN as PyTorch's explicit softmax gives), with no gradient and no
    NumPy warning."""
    empty = np.isneginf(scores._data).all(axis=-1, keepdims=True)
    if not empty.any():
        return ag.softmax(scores, axis=-1)
    p = ag.softmax(ag.where(empty, 0.0, scores), axis=-1)
    return ag.where(empty, empty_value, p)


def _attend(q, k, v, mask, scale, dropout_p, empty_value):
    """softmax(q kᵀ·scale + mask) v -> (output, weights), dropout applied to the weights
    (the weights returned are the ones used, as PyTorch returns them)."""
    scores = (q * scale) @ _swap_last(k)                        # (..., L, S)
    if mask is not None:
        scores = scores + Tensor(mask)
    weights = _softmax_rows(scores, empty_value)
    if dropout_p > 0:
        weights = F.dropout(weights, dropout_p)
    return weights @ v, weights                                 # (..., L, Ev)


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
                                 is_causal=False, scale=None, enable_gqa=False):
    """softmax(q kᵀ · scale + mask) v for q (..., L, E), k (..., S, E), v (..., S, Ev).

    scale defaults to 1/√E. attn_mask broadcasts to (..., L, S): bool (True = may attend) or
    float (added). is_causal masks key j > query i (no attn_mask then). Dropout with
    probability dropout_p is applied to the weights whenever dropout_p > 0, as PyTorch does.
    A query whose keys are all masked gets zeros. enable_gqa lets q have a multiple of k's
    heads (axis -3), each group of query heads sharing one key/value head.
    """
    name = "scaled_dot_product_attention"
    q, k, v = (_tensor(t, name) for t in (query, key, value))
    if q.ndim < 2 or k.ndim < 2 or v.ndim < 2:
        raise ShapeError(f"{name}: query, key and value need at least 2 dims (..., L, E), got "
                         f"{q.shape}, {k.shape}, {v.shape}")
    if q.shape[-1] != k.shape[-1] or k.shape[-2] != v.shape[-2]:
        raise ShapeError(f"{name}: query {q.shape}, key {k.shape} and value {v.shape} do not "
                         "fit: need q (..., L, E), k (..., S, E), v (..., S, Ev)")
    F._check_probability(dropout_p, name)
    if enable_gqa and q.ndim >= 3 and k.shape[-3] != q.shape[-3]:
        heads, kv_heads = q.shape[-3], k.shape[-3]
        if heads % kv_heads:
            raise ShapeError(f"{name}: enable_gqa needs the query's heads ({heads}) to be a "
                             f"multiple of the key's ({kv_heads})")
        index = (Ellipsis, np.arange(heads) // (heads // kv_heads), slice(None), slice(None))
        k, v = k[index], v[index]
    L, S = q.shape[-2], k.shape[-2]
    mask = None
    if is_causal:
        if attn_mask is not None:
            raise ValueError(f"{name}: give either attn_mask or is_causal=True, not both")
        mask = np.where(np.tril(np.ones((L, S), dtype=bool)), 0.0, -np.inf).astype(q.dtype)
    elif attn_mask is not None:
        mask = _additive(attn_mask, q.dtype, False, name)
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    out, _ = _attend(q, k, v, mask, scale, dropout_p, 0.0)
    return out


class NonDynamicallyQuantizableLinear(Linear):
    """The output projection's class in PyTorch (a Linear under another name, so reprs match)."""


class MultiheadAttention(Module):
    """Multi-head attention: heads of softmax(q kᵀ/√d + mask) v over projections of query,
    key and value, joined and projected by `out_proj`.

    Parameters as PyTorch's: `in_proj_weight` (3E, E) and `in_proj_bias` (3E,) (or
    `q_proj_weight`, `k_proj_weight`, `v_proj_weight` when kdim/vdim differ from E),
    `out_proj.weight`, `out_proj.bias`, and `bias_k`, `bias_v` with add_bias_kv. Init:
    xavier_uniform_ on the input projections, zeros on in_proj_bias and out_proj.bias,
    xavier_normal_ on bias_k/bias_v; out_proj.weight keeps Linear's init.

    forward(query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
    average_attn_weights=True, is_causal=False) -> (output, weights or None).
    query (L, N, E) ((N, L, E) with batch_first, or unbatched (L, E)); key, value (S, N, ·).
    key_padding_mask (N, S) and attn_mask (L, S) or (N·heads, L, S): bool (True = ignore)
    or float (added). weights (N, L, S) averaged over heads, else (N, heads, L, S).
    """

    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False,
                 add_zero_attn=False, kdim=None, vdim=None, batch_first=False):
        super().__init__()
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(f"MultiheadAttention: embed_dim and num_heads must be greater "
                             f"than 0, got embed_dim={embed_dim} and num_heads={num_heads}")
        if embed_dim % num_heads:
            raise ValueError(f"MultiheadAttention: embed_dim ({embed_dim}) must be divisible by "
                             f"num_heads ({num_heads})")
        F._check_probability(dropout, "MultiheadAttention")
        self.embed_dim, self.num_heads, self.dropout = embed_dim, num_heads, dropout
        self.kdim = embed_dim if kdim is None else kdim
        self.vdim = embed_dim if vdim is None else vdim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.head_dim = embed_dim // num_heads
        self.batch_first, self.add_zero_attn = batch_first, add_zero_attn
        e = embed_dim
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(np.zeros((3 * e, e)))
            self.q_proj_weight = self.k_proj_weight = self.v_proj_weight = None
        else:
            self.in_proj_weight = None
            self.q_proj_weight = Parameter(np.zeros((e, e)))
            self.k_proj_weight = Parameter(np.zeros((e, self.kdim)))
            self.v_proj_weight = Parameter(np.zeros((e, self.vdim)))
        self.in_proj_bias = Parameter(np.zeros(3 * e)) if bias else None
        if add_bias_kv:
            self.bias_k = Parameter(np.zeros((1, 1, e)))
            self.bias_v = Parameter(np.zeros((1, 1, e)))
        else:
            self.bias_k = self.bias_v = None
        self.out_proj = NonDynamicallyQuantizableLinear(e, e, bias=bias)
        self._reset_parameters()

    def _reset_parameters(self):
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            for w in (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight):
                init.xavier_uniform_(w)
        if self.in_proj_bias is not None:
            init.zeros_(self.in_proj_bias)
            init.zeros_(self.out_proj.bias)
        if self.bias_k is not None:
            init.xavier_normal_(self.bias_k)
            init.xavier_normal_(self.bias_v)

    def _projections(self):
        """(W_q, W_k, W_v) and (b_q, b_k, b_v) (None without bias)."""
        e = self.embed_dim
        if self._qkv_same_embed_dim:
            w = self.in_proj_weight
            weights = (w[:e], w[e:2 * e], w[2 * e:])
        else:
            weights = (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight)
        b = self.in_proj_bias
        biases = (None, None, None) if b is None else (b[:e], b[e:2 * e], b[2 * e:])
        return weights, biases

    def forward(self, query, key, value, key_padding_mask=None, need_weights=True,
                attn_mask=None, average_attn_weights=True, is_causal=False):
        name = "MultiheadAttention"
        q_in, k_in, v_in = (_tensor(t, name) for t in (query, key, value))
        batched = q_in.ndim == 3
        if q_in.ndim not in (2, 3) or k_in.ndim != q_in.ndim or v_in.ndim != q_in.ndim:
            raise ShapeError(f"{name}: query, key and value must all be 3-D (batched) or 2-D "
                             f"(unbatched), got {q_in.shape}, {k_in.shape}, {v_in.shape}")
        if is_causal and attn_mask is None:
            raise RuntimeError(f"{name}: need attn_mask if specifying the is_causal hint")
        if not batched:  # one sequence: a batch of one
            q_in, k_in, v_in = (t.reshape((t.shape[0], 1, t.shape[1])) for t in (q_in, k_in,
                                                                                 v_in))
            if key_padding_mask is not None:
                key_padding_mask = np.asarray(_array(key_padding_mask))[None]
        elif self.batch_first:
            q_in, k_in, v_in = (t.transpose((1, 0, 2)) for t in (q_in, k_in, v_in))
        L, N, E = q_in.shape
        S = k_in.shape[0]
        if E != self.embed_dim:
            raise ShapeError(f"{name}: was expecting embedding dimension of {self.embed_dim}, "
                             f"but got {E} (query shape {tuple(query.shape)})")
        if k_in.shape[:2] != (S, N) or v_in.shape[:2] != (S, N) or \
                k_in.shape[2] != self.kdim or v_in.shape[2] != self.vdim:
            raise ShapeError(f"{name}: key {tuple(key.shape)} and value {tuple(value.shape)} "
                             f"do not fit query {tuple(query.shape)} (kdim={self.kdim}, "
                             f"vdim={self.vdim})")
        (wq, wk, wv), (bq, bk, bv) = self._projections()
        q = ag.linear(q_in, wq, bq)                                  # (L, N, E)
        k = ag.linear(k_in, wk, bk)                                  # (S, N, E)
        v = ag.linear(v_in, wv, bv)
        mask = self._mask(attn_mask, key_padding_mask, L, S, N, q.dtype)
        if self.bias_k is not None:
            k = ag.concatenate([k, self.bias_k.broadcast_to((1, N, E))])
            v = ag.concatenate([v, self.bias_v.broadcast_to((1, N, E))])
            mask = None if mask is None else _pad_last(mask)
        h, d = self.num_heads, self.head_dim
        q, k, v = (t.reshape((t.shape[0], N * h, d)).transpose((1, 0, 2)) for t in (q, k, v))
        if self.add_zero_attn:                                       # one more key: zeros
            zeros = Tensor(np.zeros((N * h, 1, d), dtype=k.dtype))
            k, v = ag.concatenate([k, zeros], axis=1), ag.concatenate([v, zeros], axis=1)
            mask = None if mask is None else _pad_last(mask)
        if mask is not None:
            mask = mask.reshape((N * h, L, mask.shape[-1]))
        p = self.dropout if self.training else 0.0
        empty = float("nan") if need_weights else 0.0
        out, weights = _attend(q, k, v, mask, 1.0 / math.sqrt(d), p, empty)  # (N·h, L, d)
        out = out.transpose((1, 0, 2)).reshape((L * N, E))
        out = self.out_proj(out).reshape((L, N, E))
        if not batched:
            out = out.reshape((L, E))
        elif self.batch_first:
            out = out.transpose((1, 0, 2))
        if not need_weights:
            return out, None
        weights = weights.reshape((N, h, L, weights.shape[-1]))
        if average_attn_weights:
            weights = weights.mean(axis=1)
        return out, weights if batched else weights[0]

    def _mask(self, attn_mask, key_padding_mask, L, S, N, dtype):
        """attn_mask and key_padding_mask merged into one additive (N, heads, L, S) ndarray
        (or None)."""
        name = "MultiheadAttention"
        h = self.num_heads
        mask = None
        if attn_mask is not None:
            m = _additive(attn_mask, dtype, True, name)
            if m.shape == (L, S):
                m = m[None, None]
            elif m.shape == (N * h, L, S) or (N == 1 and m.shape == (h, L, S)):
                m = m.reshape((N, h, L, S))
            else:
                raise ShapeError(f"{name}: attn_mask should have shape {(L, S)} or "
                                 f"{(N * h, L, S)}, got {m.shape}")
            mask = m
        if key_padding_mask is not None:
            m = _additive(key_padding_mask, dtype, True, name)
            if m.shape != (N, S):
                raise ShapeError(f"{name}: expected key_padding_mask of shape {(N, S)}, got "
                                 f"{m.shape}")
            m = m[:, None, None, :]
            mask = m if mask is None else mask + m
        return None if mask is None else np.broadcast_to(mask, (N, h, L, S))

    def extra_repr(self):
        return ""


def _array(x):
    return x._data if isinstance(x, Tensor) else x


def _pad_last(mask):
    """One more key column that every query may attend to (0 in an additive mask)."""
    pad = np.zeros(mask.shape[:-1] + (1,), dtype=mask.dtype)
    return np.concatenate([mask, pad], axis=-1)


__all__ = ["MultiheadAttention", "scaled_dot_product_attention"]
