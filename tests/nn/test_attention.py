"""scaled_dot_product_attention and MultiheadAttention against PyTorch (values, input and
parameter gradients from the same weights) with every mask kind, fully masked rows as
PyTorch gives them, state_dict keys and init, and gradchecks."""

import math

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
from autograd import Tensor

torch = pytest.importorskip("torch")
from torch_side import compare_module  # noqa: E402

pytestmark = pytest.mark.usefixtures("float64")
TF = torch.nn.functional


def rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


CAUSAL = ~np.tril(np.ones((3, 3), dtype=bool))  # MHA's bool masks: True = masked out
KPM = np.array([[False, False, True], [False, True, True]])


def mha(lib, **kwargs):
    return lib.MultiheadAttention(4, 2, **kwargs)


X, Y = rand(3, 2, 4), rand(5, 2, 4, seed=1)

MHA_CASES = [
    ({}, (X, X, X), {}),
    ({}, (X, Y, Y), {"average_attn_weights": False}),
    ({"batch_first": True}, (rand(2, 3, 4), rand(2, 5, 4, seed=1), rand(2, 5, 4, seed=2)), {}),
    ({"kdim": 3, "vdim": 5, "add_bias_kv": True, "add_zero_attn": True},
     (X, rand(5, 2, 3, seed=1), rand(5, 2, 5, seed=2)), {}),
    ({"bias": False}, (X, Y, Y), {"need_weights": False}),
    ({}, (X, X, X), {"attn_mask": CAUSAL}),
    ({}, (X, X, X), {"attn_mask": CAUSAL, "key_padding_mask": KPM}),
    ({}, (X, X, X), {"attn_mask": rand(3, 3, seed=3), "key_padding_mask": rand(2, 3, seed=4)}),
    ({}, (X, X, X), {"attn_mask": rand(4, 3, 3, seed=5)}),  # (N·heads, L, S)
    ({"add_bias_kv": True}, (X, X, X), {"key_padding_mask": KPM, "need_weights": False}),
    ({}, (rand(3, 4), rand(5, 4, seed=1), rand(5, 4, seed=2)),
     {"key_padding_mask": np.array([False, True, False, False, True])}),  # unbatched
    ({}, (rand(3, 4), rand(3, 4, seed=1), rand(3, 4, seed=2)),
     {"attn_mask": CAUSAL, "average_attn_weights": False}),
]


@pytest.mark.parametrize("make_kwargs, inputs, call", MHA_CASES,
                         ids=[str(i) for i in range(len(MHA_CASES))])
def test_multihead_attention_matches_pytorch(make_kwargs, inputs, call):
    compare_module(torch, mha(nn, **make_kwargs), mha(torch.nn, **make_kwargs), *inputs,
                   **call)


def test_eval_mode_dropout_is_off_and_train_mode_drops_weights():
    ours = mha(nn, dropout=0.5)
    compare_module(torch, ours.eval(), mha(torch.nn, dropout=0.5).eval(), X, X, X)
    _, kept = ours(Tensor(X), Tensor(X), Tensor(X), average_attn_weights=False)
    ours.train()
    nn.manual_seed(1)
    _, dropped = ours(Tensor(X), Tensor(X), Tensor(X), average_attn_weights=False)
    kept, dropped = kept.numpy(), dropped.numpy()
    zero = dropped == 0
    assert zero.any() and not zero.all()
    np.testing.assert_allclose(dropped[~zero], 2 * kept[~zero])  # survivors scaled by 1/(1-p)


def test_fully_masked_rows_give_what_pytorch_gives():
    """need_weights=True: PyTorch's own softmax makes those rows NaN (there only);
    need_weights=False: it goes through scaled_dot_product_attention and gives zeros."""
    kpm = np.array([[False, False, False], [True, True, True]])  # sample 1 sees no key
    for need_weights in (True, False):
        ours, theirs = mha(nn), mha(torch.nn)
        theirs.double().load_state_dict({k: torch.tensor(v) for k, v in
                                         ours.state_dict().items()})
        out, w = ours(Tensor(X), Tensor(X), Tensor(X), key_padding_mask=kpm,
                      need_weights=need_weights)
        tout, tw = theirs(torch.tensor(X), torch.tensor(X), torch.tensor(X),
                          key_padding_mask=torch.tensor(kpm), need_weights=need_weights)
        np.testing.assert_allclose(out.numpy(), tout.detach().numpy(), atol=1e-12)
        assert np.isfinite(out.numpy()[:, 0]).all()  # the other sample is untouched
        assert np.isnan(out.numpy()[:, 1]).all() == need_weights
        if need_weights:
            np.testing.assert_allclose(w.numpy(), tw.detach().numpy(), atol=1e-12)


def test_state_dict_keys_init_and_repr_match_pytorch():
    for kwargs in ({}, {"bias": False}, {"kdim": 3, "vdim": 5, "add_bias_kv": True}):
        ours, theirs = mha(nn, **kwargs), mha(torch.nn, **kwargs)
        assert list(ours.state_dict()) == list(theirs.state_dict())
        for key, value in theirs.state_dict().items():
            assert ours.state_dict()[key].shape == tuple(value.shape), key
        ours.load_state_dict({k: v.double().numpy() for k, v in theirs.state_dict().items()},
                             strict=True)
        assert repr(ours) == repr(theirs)
    big = nn.MultiheadAttention(64, 4)
    bound = math.sqrt(6 / (64 + 3 * 64))  # xavier_uniform_ on the (3E, E) in_proj_weight
    w = big.in_proj_weight.numpy()
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.98 * bound
    assert not big.in_proj_bias.numpy().any() and not big.out_proj.bias.numpy().any()
    assert np.abs(big.out_proj.weight.numpy()).max() <= 1 / math.sqrt(64)  # Linear's init


def test_mha_errors():
    with pytest.raises(ValueError, match="divisible by num_heads"):
        nn.MultiheadAttention(5, 2)
    with pytest.raises(ag.ShapeError, match="expecting embedding dimension of 4, but got 3"):
        mha(nn)(Tensor(rand(3, 2, 3)), Tensor(rand(3, 2, 3)), Tensor(rand(3, 2, 3)))
    with pytest.raises(ag.ShapeError, match="key_padding_mask of shape"):
        mha(nn)(Tensor(X), Tensor(X), Tensor(X), key_padding_mask=np.zeros((3, 3), bool))
    with pytest.raises(RuntimeError, match="need attn_mask"):
        mha(nn)(Tensor(X), Tensor(X), Tensor(X), is_causal=True)


SDPA_CASES = [
    {},
    {"is_causal": True},
    {"attn_mask": ~CAUSAL[:, :3]},  # bool, True = may attend
    {"attn_mask": rand(3, 5, seed=3)},
    {"scale": 0.3},
    {"attn_mask": np.array([[True, False, True, True, False]])},  # broadcast over queries
]


@pytest.mark.parametrize("kwargs", SDPA_CASES, ids=[str(i) for i in range(len(SDPA_CASES))])
def test_sdpa_matches_pytorch(kwargs):
    s = 3 if kwargs.get("is_causal") or kwargs.get("attn_mask", np.zeros(1)).shape == (3, 3) \
        else 5
    arrays = [rand(2, 2, 3, 4), rand(2, 2, s, 4, seed=1), rand(2, 2, s, 6, seed=2)]
    _compare_sdpa(arrays, kwargs)


def _compare_sdpa(arrays, kwargs):
    ours_in = [Tensor(a, requires_grad=True) for a in arrays]
    theirs_in = [torch.tensor(a, requires_grad=True) for a in arrays]
    tkwargs = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    out = F.scaled_dot_product_attention(*ours_in, **kwargs)
    tout = TF.scaled_dot_product_attention(*theirs_in, **tkwargs)
    np.testing.assert_allclose(out.numpy(), tout.detach().numpy(), atol=1e-12)
    u = rand(*out.shape, seed=9)
    (out * Tensor(u)).sum().backward()
    (tout * torch.tensor(u)).sum().backward()
    for a, b in zip(ours_in, theirs_in):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), atol=1e-12)
    return out


def test_sdpa_fully_masked_row_is_zero_like_pytorch():
    mask = np.ones((3, 5), dtype=bool)
    mask[1] = False
    float_mask = np.where(mask, 0.0, -np.inf)
    arrays = [rand(2, 3, 4), rand(2, 5, 4, seed=1), rand(2, 5, 4, seed=2)]
    for m in (mask, float_mask):
        out = _compare_sdpa(arrays, {"attn_mask": m})
        assert not out.numpy()[:, 1].any() and np.isfinite(out.numpy()).all()


def test_sdpa_grouped_query_attention_matches_pytorch():
    arrays = [rand(1, 4, 3, 2), rand(1, 2, 5, 2, seed=1), rand(1, 2, 5, 2, seed=2)]
    _compare_sdpa(arrays, {"enable_gqa": True})


def test_gradchecks():
    q, k, v = (Tensor(rand(2, 3, 2, seed=s), requires_grad=True) for s in range(3))
    mask = np.array([[True, False, True], [True, True, False], [False, False, False]])
    assert ag.gradcheck(lambda a, b, c: F.scaled_dot_product_attention(a, b, c, mask),
                        [q, k, v])
    layer = nn.MultiheadAttention(2, 2, add_bias_kv=True)
    x = Tensor(rand(3, 1, 2, seed=4), requires_grad=True)
    assert ag.gradcheck(lambda t: layer(t, t, t, attn_mask=CAUSAL)[0], [x])
    assert ag.gradcheck(lambda w: layer(x, x, x)[1], [layer.in_proj_weight])
