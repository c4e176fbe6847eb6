"""RNN, LSTM, GRU and their cells against PyTorch (values, input, state and parameter
gradients from the same weights), their state_dict keys, init, shapes and errors, a gradcheck
through time, and pad_sequence."""

import math

import numpy as np
import pytest

import autograd as ag
import nn
from autograd import ShapeError, Tensor

torch = pytest.importorskip("torch")
from torch_side import compare_module  # noqa: E402

pytestmark = pytest.mark.usefixtures("float64")


def rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


LAYERS = [
    ("RNN", {}),
    ("RNN", {"nonlinearity": "relu", "num_layers": 2}),
    ("RNN", {"bidirectional": True, "batch_first": True}),
    ("LSTM", {}),
    ("LSTM", {"num_layers": 2, "bidirectional": True}),
    ("LSTM", {"bias": False, "batch_first": True}),
    ("GRU", {}),
    ("GRU", {"num_layers": 2, "bidirectional": True, "batch_first": True}),
    ("GRU", {"bias": False, "num_layers": 2}),
]


@pytest.mark.parametrize("name, kwargs", LAYERS, ids=lambda v: str(v))
def test_layers_match_pytorch(name, kwargs):
    make = lambda lib: getattr(lib, name)(3, 4, **kwargs)  # noqa: E731
    x = rand(5, 2, 3)
    outs, _ = compare_module(torch, make(nn), make(torch.nn), x)
    batch_first, d = kwargs.get("batch_first"), 2 if kwargs.get("bidirectional") else 1
    assert outs[0].shape == ((5, 2, 4 * d) if batch_first else (5, 2, 4 * d))
    assert outs[1].shape == (d * kwargs.get("num_layers", 1), 5 if batch_first else 2, 4)


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
def test_initial_state_and_unbatched_input_match_pytorch(name):
    layers = 2 * 2
    h0 = rand(layers, 2, 4, seed=1)
    state = (h0, rand(layers, 2, 4, seed=2)) if name == "LSTM" else h0
    make = lambda lib: getattr(lib, name)(3, 4, num_layers=2, bidirectional=True)  # noqa: E731
    compare_module(torch, make(nn), make(torch.nn), rand(5, 2, 3), state)
    unbatched = (h0[:, 0], state[1][:, 0]) if name == "LSTM" else h0[:, 0]
    outs, _ = compare_module(torch, make(nn), make(torch.nn), rand(5, 3), unbatched)
    assert outs[0].shape == (5, 8) and outs[1].shape == (4, 4)


@pytest.mark.parametrize("name, kwargs", [("RNNCell", {}), ("RNNCell", {"nonlinearity": "relu"}),
                                          ("LSTMCell", {}), ("GRUCell", {}),
                                          ("GRUCell", {"bias": False})])
def test_cells_match_pytorch(name, kwargs):
    make = lambda lib: getattr(lib, name)(3, 4, **kwargs)  # noqa: E731
    h = rand(2, 4, seed=1)
    state = (h, rand(2, 4, seed=2)) if name == "LSTMCell" else h
    compare_module(torch, make(nn), make(torch.nn), rand(2, 3), state)
    compare_module(torch, make(nn), make(torch.nn), rand(2, 3))
    unbatched = (h[0], state[1][0]) if name == "LSTMCell" else h[0]
    outs, _ = compare_module(torch, make(nn), make(torch.nn), rand(3), unbatched)
    assert outs[0].shape == (4,)


def test_state_dict_keys_shapes_and_repr_match_pytorch():
    for name, kwargs in LAYERS + [("LSTMCell", {}), ("GRUCell", {}), ("RNNCell", {})]:
        ours, theirs = getattr(nn, name)(3, 4, **kwargs), getattr(torch.nn, name)(3, 4, **kwargs)
        keys = list(theirs.state_dict())
        assert list(ours.state_dict()) == keys, name
        for key, value in theirs.state_dict().items():
            assert ours.state_dict()[key].shape == tuple(value.shape), (name, key)
        assert repr(ours) == repr(theirs)
        ours.load_state_dict({k: v.double().numpy() for k, v in theirs.state_dict().items()},
                             strict=True)
    assert "weight_hh_l1_reverse" in nn.GRU(3, 4, num_layers=2, bidirectional=True).state_dict()


def test_init_is_uniform_within_one_over_sqrt_hidden():
    lstm = nn.LSTM(10, 100, num_layers=2)
    bound = 1 / math.sqrt(100)
    values = np.concatenate([p.numpy().ravel() for p in lstm.parameters()])
    assert np.abs(values).max() <= bound
    assert np.abs(values).max() > 0.99 * bound  # the whole range is used
    assert abs(values.std() - bound / math.sqrt(3)) < 0.01 * bound  # U(-b, b) has std b/√3


def test_dropout_acts_between_layers_in_training_only():
    gru = nn.GRU(3, 4, num_layers=2, dropout=0.5)
    x = Tensor(rand(6, 2, 3))
    gru.eval()
    first, second = gru(x)[0].numpy(), gru(x)[0].numpy()
    np.testing.assert_array_equal(first, second)
    gru.train()
    assert not np.allclose(gru(x)[0].numpy(), first)
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        one_layer = nn.GRU(3, 4, dropout=0.5)  # one layer: nothing to drop between
    np.testing.assert_array_equal(one_layer(x)[0].numpy(), one_layer(x)[0].numpy())


def test_gradcheck_through_time():
    lstm = nn.LSTM(2, 3, bidirectional=True)
    gru = nn.GRU(2, 3, num_layers=2)
    x = Tensor(rand(4, 2, 2), requires_grad=True)
    assert ag.gradcheck(lambda t: lstm(t)[1][1], [x])
    assert ag.gradcheck(lambda t: gru(t)[0], [x])
    rnn = nn.RNN(2, 3, nonlinearity="relu")
    assert ag.gradcheck(lambda t: rnn(t)[0], [x])
    assert ag.gradcheck(lambda w: rnn(x)[1], [rnn.weight_hh_l0])


def test_backprop_through_time_is_one_graph():
    rnn = nn.RNN(2, 3)
    out, h = rnn(Tensor(rand(6, 1, 2)))
    ops = [type(t.grad_fn).__name__ for t in ag.toposort([h])]
    assert ops.count("Tanh") == 6  # one per step, chained through h
    h.sum().backward()
    assert rnn.weight_hh_l0.grad is not None and np.abs(rnn.weight_hh_l0.grad.numpy()).sum() > 0


def test_errors_name_the_layer_and_shapes():
    lstm = nn.LSTM(3, 4)
    with pytest.raises(ShapeError, match=r"LSTM: input.size\(-1\) must be equal to input_size. "
                                         r"Expected 3, got 5"):
        lstm(Tensor(rand(2, 2, 5)))
    with pytest.raises(ShapeError, match=r"LSTM: expected hidden size \(1, 2, 4\) for h0, got "
                                         r"\(1, 3, 4\)"):
        lstm(Tensor(rand(6, 2, 3)), (Tensor(rand(1, 3, 4)), Tensor(rand(1, 2, 4))))
    with pytest.raises(ShapeError, match="expected input to be 2D"):
        nn.GRU(3, 4)(Tensor(rand(3)))
    with pytest.raises(ValueError, match="nonlinearity"):
        nn.RNN(3, 4, nonlinearity="sigmoid")
    with pytest.raises(ValueError, match="proj_size"):
        nn.LSTM(3, 4, proj_size=2)
    with pytest.raises(ValueError, match="dropout"):
        nn.GRU(3, 4, dropout=1.5)


def test_pad_sequence_matches_pytorch():
    pad = nn.utils.rnn.pad_sequence
    seqs = [rand(3, 2), rand(1, 2, seed=1), rand(4, 2, seed=2)]
    for kwargs in ({}, {"batch_first": True, "padding_value": -1.0},
                   {"batch_first": True, "padding_side": "left"}):
        ours = pad([Tensor(s) for s in seqs], **kwargs)
        theirs = torch.nn.utils.rnn.pad_sequence([torch.tensor(s) for s in seqs], **kwargs)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    a = Tensor(rand(2, 3), requires_grad=True)
    pad([a, Tensor(rand(4, 3))]).sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), np.ones((2, 3)))
    with pytest.raises(ShapeError, match="sequence 1 has shape"):
        pad([Tensor(rand(2, 3)), Tensor(rand(2, 4))])


@pytest.mark.parametrize("name, kwargs", [
    ("LSTM", {"num_layers": 2, "bidirectional": True}), ("GRU", {"batch_first": True}),
    ("RNN", {"bidirectional": True}),
])
def test_packed_sequences_match_pytorch(name, kwargs):
    """Each sequence stops at its own length: h_n is the state at its last step (the first,
    going backwards), and the padded output is zero past the end."""
    from test_nn_torch import copy_weights

    batch_first = kwargs.get("batch_first", False)
    ours = getattr(nn, name)(3, 4, **kwargs)
    theirs = copy_weights(ours, getattr(torch.nn, name)(3, 4, **kwargs))
    x = rand(3, 5, 3) if batch_first else rand(5, 3, 3)
    lengths = [3, 5, 2]
    results = []
    for wrap, rnn_utils, layer in (
            (lambda a: Tensor(a, requires_grad=True), nn.utils.rnn, ours),
            (lambda a: torch.tensor(a, requires_grad=True), torch.nn.utils.rnn, theirs)):
        xt = wrap(x)
        packed = rnn_utils.pack_padded_sequence(xt, lengths, batch_first=batch_first,
                                                enforce_sorted=False)
        out, state = layer(packed)
        padded, lens = rnn_utils.pad_packed_sequence(out, batch_first=batch_first)
        h = state[0] if name == "LSTM" else state
        u = np.cos(np.arange(padded.numel())).reshape(tuple(padded.shape))
        loss = (padded * wrap(u)).sum() + (h * wrap(np.ones(tuple(h.shape)))).sum()
        loss.backward()
        results.append((padded, lens, h, xt, out.batch_sizes))
    (padded, lens, h, xt, sizes), (tpadded, tlens, th, txt, tsizes) = results
    np.testing.assert_allclose(padded.numpy(), tpadded.detach().numpy(), atol=1e-10)
    np.testing.assert_array_equal(lens.numpy(), tlens.numpy())
    np.testing.assert_array_equal(sizes.numpy(), tsizes.numpy())
    np.testing.assert_allclose(h.numpy(), th.detach().numpy(), atol=1e-10)
    np.testing.assert_allclose(xt.grad.numpy(), txt.grad.numpy(), atol=1e-10)
    tparams = dict(theirs.named_parameters())
    for pname, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), tparams[pname].grad.numpy(), atol=1e-10,
                                   err_msg=pname)


def test_pack_utilities_match_pytorch():
    rnn_utils = nn.utils.rnn
    x = rand(4, 3, 2)
    packed = rnn_utils.pack_padded_sequence(Tensor(x), [4, 2, 1])
    tpacked = torch.nn.utils.rnn.pack_padded_sequence(torch.tensor(x), [4, 2, 1])
    np.testing.assert_array_equal(packed.data.numpy(), tpacked.data.numpy())
    np.testing.assert_array_equal(packed.batch_sizes.numpy(), tpacked.batch_sizes.numpy())
    assert packed.sorted_indices is None
    padded, lengths = rnn_utils.pad_packed_sequence(packed, batch_first=True, total_length=6,
                                                    padding_value=-1.0)
    tpadded, _ = torch.nn.utils.rnn.pad_packed_sequence(tpacked, batch_first=True,
                                                        total_length=6, padding_value=-1.0)
    np.testing.assert_array_equal(padded.numpy(), tpadded.numpy())
    seqs = [rand(2, 3), rand(4, 3, seed=1)]
    ours = rnn_utils.pack_sequence([Tensor(s) for s in seqs], enforce_sorted=False)
    theirs = torch.nn.utils.rnn.pack_sequence([torch.tensor(s) for s in seqs],
                                              enforce_sorted=False)
    np.testing.assert_array_equal(ours.data.numpy(), theirs.data.numpy())
    np.testing.assert_array_equal(ours.unsorted_indices.numpy(), theirs.unsorted_indices.numpy())
    with pytest.raises(RuntimeError, match="must be sorted in decreasing order"):
        rnn_utils.pack_padded_sequence(Tensor(x), [2, 4, 1])
    with pytest.raises(ValueError, match="greater than 0"):
        rnn_utils.pack_padded_sequence(Tensor(x), [4, 0, 1])
    with pytest.raises(ValueError, match="longer than the padded sequences"):
        rnn_utils.pack_padded_sequence(Tensor(x), [5, 2, 1])
