"""Recurrent layers (RNN, LSTM, GRU) with PyTorch's arguments, gate order, parameter names
and initialisation, over padded or packed (nn.utils.rnn) batches; the cells are in cells.py.

Every step is built from engine ops, so backpropagation through time is the ordinary reverse
pass over the unrolled graph (and shows in the graph picture). A layer's sequence is held as a
list of per-step tensors and projected step by step: slicing step t out of one (L, N, 4H)
projection would cost a full-size zero array in its reverse rule at every step (quadratic in
L: at L = 100 an LSTM step took 2.6× longer that way).
"""

import math
import warnings

import numpy as np

import autograd as ag
from autograd import ShapeError, Tensor

from . import functional as F
from . import init
from .module import Module, Parameter
from .utils.rnn import PackedSequence, pad_packed_sequence

GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


# --- one time step: xw = x Wᵢₕᵀ + bᵢₕ is given, hh = h Wₕₕᵀ + bₕₕ is computed here ----------
def _rnn_step(xw, state, w_hh, b_hh, relu=False):
    """h' = tanh(xw + h Wₕₕᵀ + bₕₕ)   (or relu)."""
    pre = xw + ag.linear(state, w_hh, b_hh)
    return ag.relu(pre) if relu else ag.tanh(pre)


def _lstm_step(xw, state, w_hh, b_hh):
    """Gates (i, f, g, o) = (σ, σ, tanh, σ)(xw + h Wₕₕᵀ + bₕₕ), in PyTorch's order;
    c' = f·c + i·g,  h' = o·tanh(c')."""
    h, c = state
    gates = xw + ag.linear(h, w_hh, b_hh)                      # (N, 4H)
    n = h.shape[-1]
    sig = ag.sigmoid(gates)
    i, f, o = sig[..., :n], sig[..., n:2 * n], sig[..., 3 * n:]
    g = ag.tanh(gates[..., 2 * n:3 * n])
    c = f * c + i * g
    return o * ag.tanh(c), c


def _gru_step(xw, h, w_hh, b_hh):
    """r, z = σ(xw_rz + hh_rz);  n = tanh(xw_n + r·hh_n);  h' = (1 - z)·n + z·h,
    where hh = h Wₕₕᵀ + bₕₕ and the gates come in PyTorch's order (r, z, n)."""
    hh = ag.linear(h, w_hh, b_hh)                               # (N, 3H)
    n = h.shape[-1]
    rz = ag.sigmoid(xw[..., :2 * n] + hh[..., :2 * n])
    r, z = rz[..., :n], rz[..., n:]
    new = ag.tanh(xw[..., 2 * n:] + r * hh[..., 2 * n:])
    return new + z * (h - new)


def _step_fn(mode):
    if mode == "LSTM":
        return _lstm_step
    if mode == "GRU":
        return _gru_step
    return lambda xw, h, w, b: _rnn_step(xw, h, w, b, relu=mode == "RNN_RELU")


def _tensor(x, name):
    x = x if isinstance(x, Tensor) else Tensor(x)
    if x.dtype.kind != "f":
        raise TypeError(f"{name}: input must be a floating tensor, got dtype {x.dtype}")
    return x


def _check_size(value, what, name, positive=True):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or \
            value < (1 if positive else 0):
        kind = "a positive" if positive else "a non-negative"
        raise ValueError(f"{name}: {what} must be {kind} int, got {value!r}")
    return int(value)


class _RNNBase(Module):
    """The shared machinery of RNN, LSTM and GRU: parameters per layer and direction, named
    weight_ih_l{k}[_reverse], weight_hh_l{k}[_reverse], bias_ih_l{k}[_reverse],
    bias_hh_l{k}[_reverse] (in PyTorch's order), all drawn from U(-1/√H, 1/√H)."""

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, proj_size=0):
        super().__init__()
        name = type(self).__name__
        self.mode = mode
        self.input_size = _check_size(input_size, "input_size", name, positive=False)
        self.hidden_size = _check_size(hidden_size, "hidden_size", name)
        self.num_layers = _check_size(num_layers, "num_layers", name)
        if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or \
                not 0 <= dropout <= 1:
            raise ValueError(f"{name}: dropout should be a number in range [0, 1] representing "
                             f"the probability of an element being zeroed, got {dropout!r}")
        if dropout > 0 and self.num_layers == 1:
            warnings.warn(f"{name}: dropout option adds dropout after all but last recurrent "
                          f"layer, so non-zero dropout expects num_layers greater than 1, but "
                          f"got dropout={dropout} and num_layers={self.num_layers}",
                          stacklevel=3)
        if proj_size:
            raise ValueError(f"{name}: proj_size={proj_size} (LSTM projections) is not "
                             "supported")
        self.bias, self.batch_first = bool(bias), bool(batch_first)
        self.dropout, self.bidirectional, self.proj_size = float(dropout), bool(bidirectional), 0
        gate_size = GATES[mode] * self.hidden_size
        directions = 2 if self.bidirectional else 1
        self._names = []  # per (layer, direction): the four parameter names
        for layer in range(self.num_layers):
            layer_input = self.input_size if layer == 0 else self.hidden_size * directions
            for direction in range(directions):
                suffix = f"_l{layer}" + ("_reverse" if direction else "")
                shapes = [(f"weight_ih{suffix}", (gate_size, layer_input)),
                          (f"weight_hh{suffix}", (gate_size, self.hidden_size))]
                if self.bias:
                    shapes += [(f"bias_ih{suffix}", (gate_size,)),
                               (f"bias_hh{suffix}", (gate_size,))]
                for pname, shape in shapes:
                    setattr(self, pname, Parameter(np.zeros(shape)))
                self._names.append([n for n, _ in shapes] + [None] * (4 - len(shapes)))
        self.reset_parameters()

    def reset_parameters(self):
        bound = 1.0 / math.sqrt(self.hidden_size)
        for p in self.parameters():
            init.uniform_(p, -bound, bound)

    def flatten_parameters(self):
        """PyTorch compacts cuDNN's weight buffer here; on NumPy there is nothing to do."""

    @property
    def all_weights(self):
        return [[getattr(self, n) for n in names if n is not None] for names in self._names]

    def _layer_params(self, index):
        return [None if n is None else getattr(self, n) for n in self._names[index]]

    def _check_input(self, x):
        """(x as (L, N, H_in), batched, lengths or None): a PackedSequence is unpacked to
        its padded form and each sequence's length."""
        name = type(self).__name__
        if isinstance(x, PackedSequence):
            padded, lengths = pad_packed_sequence(x)
            x = _tensor(padded, name)
            if x.ndim != 3 or x.shape[-1] != self.input_size:
                raise ShapeError(f"{name}: packed input must hold steps of input_size "
                                 f"{self.input_size}, got data of shape {tuple(padded.shape)}")
            return x, True, lengths.numpy()
        x = _tensor(x, name)
        if x.ndim not in (2, 3):
            raise ShapeError(f"{name}: expected input to be 2D (L, H_in) or 3D "
                             f"({'N, L' if self.batch_first else 'L, N'}, H_in), got "
                             f"{x.ndim}D input of shape {x.shape}")
        if x.shape[-1] != self.input_size:
            raise ShapeError(f"{name}: input.size(-1) must be equal to input_size. Expected "
                             f"{self.input_size}, got {x.shape[-1]} (input shape {x.shape})")
        batched = x.ndim == 3
        if not batched:
            x = x.reshape((x.shape[0], 1, x.shape[1]))
        elif self.batch_first:
            x = x.transpose((1, 0, 2))                                # (L, N, H_in)
        return x, batched, None

    def _initial(self, hx, batch, dtype, batched, what="h0"):
        """hx as (layers·directions, N, H), zeros when None; checked against the input."""
        name = type(self).__name__
        want = (self.num_layers * (2 if self.bidirectional else 1), batch, self.hidden_size)
        if hx is None:
            return Tensor(np.zeros(want, dtype=dtype))
        hx = _tensor(hx, name)
        if not batched:
            if hx.ndim != 2:
                raise ShapeError(f"{name}: for unbatched 2D input, {what} should also be 2D "
                                 f"but got {hx.ndim}D tensor of shape {hx.shape}")
            hx = hx.reshape((hx.shape[0], 1, hx.shape[1]))
        if hx.shape != want:
            shown = want if batched else (want[0], want[2])
            raise ShapeError(f"{name}: expected hidden size {shown} for {what}, got "
                             f"{tuple(hx.shape) if batched else (hx.shape[0], hx.shape[2])}")
        return hx

    def _run(self, x, h0, lengths=None):
        """x (L, N, H_in); h0 per layer·direction (a Tensor, or an (h, c) pair for LSTM).
        Returns the last layer's outputs, one (N, D·H) tensor per step, and the final states
        in h0's order. With `lengths` (packed input), a sequence's state stops changing past
        its end (and, going backwards, starts changing at its end)."""
        step = _step_fn(self.mode)
        directions = 2 if self.bidirectional else 1
        finals = []
        steps = x.shape[0]
        inputs = [x[t] for t in range(steps)]                         # L × (N, H_in)
        for layer in range(self.num_layers):
            if layer > 0 and self.dropout and self.training:
                inputs = [F.dropout(h, self.dropout, True) for h in inputs]
            outputs = []
            for direction in range(directions):
                index = layer * directions + direction
                w_ih, w_hh, b_ih, b_hh = self._layer_params(index)
                state = h0[index]
                hs = [None] * steps
                order = range(steps - 1, -1, -1) if direction else range(steps)
                for t in order:
                    new = step(ag.linear(inputs[t], w_ih, b_ih), state, w_hh, b_hh)
                    if lengths is not None and t >= lengths.min():    # some have ended
                        running = (t < lengths)[:, None]
                        new = (tuple(ag.where(running, a, b) for a, b in zip(new, state))
                               if self.mode == "LSTM" else ag.where(running, new, state))
                    state = new
                    hs[t] = state[0] if self.mode == "LSTM" else state
                finals.append(state)
                outputs.append(hs)
            inputs = outputs[0] if directions == 1 else \
                [ag.concatenate([f, b], axis=-1) for f, b in zip(*outputs)]
        return inputs, finals

    def _output(self, outs, batched, input):
        """The per-step outputs as PyTorch returns them: packed like the input, or stacked
        into (L, N, D·H) ((N, L, D·H) with batch_first, (L, D·H) unbatched)."""
        if isinstance(input, PackedSequence):  # the same packing as the input's
            order = input.sorted_indices
            order = np.arange(outs[0].shape[0]) if order is None else order.numpy()
            sizes = input.batch_sizes.numpy()
            data = ag.concatenate([outs[t][order[:int(b)]] for t, b in enumerate(sizes)])
            return PackedSequence(data, input.batch_sizes, input.sorted_indices,
                                  input.unsorted_indices)
        out = ag.stack(outs)                                           # (L, N, D·H)
        if not batched:
            return out.reshape((out.shape[0], out.shape[2]))
        return out.transpose((1, 0, 2)) if self.batch_first else out

    def _state(self, finals, batched):
        h = ag.stack(finals)                                           # (D·layers, N, H)
        return h if batched else h.reshape((h.shape[0], h.shape[2]))

    def extra_repr(self):
        s = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if not self.bias:
            s += ", bias=False"
        if self.batch_first:
            s += ", batch_first=True"
        if self.dropout:
            s += f", dropout={self.dropout}"
        if self.bidirectional:
            s += ", bidirectional=True"
        return s


class RNN(_RNNBase):
    """Elman RNN: h_t = tanh(x_t Wᵢₕᵀ + bᵢₕ + h_{t-1} Wₕₕᵀ + bₕₕ) (or relu), layer by layer.

    forward(input, hx=None) -> (output, h_n): input (L, N, H_in) ((N, L, H_in) with
    batch_first, or unbatched (L, H_in)); output (L, N, D·H); h_n (D·num_layers, N, H).
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 nonlinearity: str = "tanh", bias: bool = True, batch_first: bool = False,
                 dropout: float = 0.0, bidirectional: bool = False) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNN: unknown nonlinearity {nonlinearity!r}; expected 'tanh' or "
                             "'relu'")
        self.nonlinearity = nonlinearity
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", input_size,
                         hidden_size, num_layers, bias, batch_first, dropout, bidirectional)

    def forward(self, input, hx=None):
        x, batched, lengths = self._check_input(input)
        h0 = self._initial(hx, x.shape[1], x.dtype, batched)
        out, finals = self._run(x, [h0[i] for i in range(h0.shape[0])], lengths)
        return self._output(out, batched, input), self._state(finals, batched)


class GRU(RNN):
    """Gated recurrent unit, PyTorch's gate order (r, z, n):
    r = σ(W_ir x + b_ir + W_hr h + b_hr),  z = σ(W_iz x + b_iz + W_hz h + b_hz),
    n = tanh(W_in x + b_in + r·(W_hn h + b_hn)),  h' = (1 - z)·n + z·h.
    Same call and shapes as RNN."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False) -> None:
        _RNNBase.__init__(self, "GRU", input_size, hidden_size, num_layers, bias, batch_first,
                          dropout, bidirectional)


class LSTM(_RNNBase):
    """Long short-term memory, PyTorch's gate order (i, f, g, o):
    i, f, o = σ(·), g = tanh(·) of x Wᵢₕᵀ + bᵢₕ + h Wₕₕᵀ + bₕₕ;  c' = f·c + i·g;  h' = o·tanh(c').

    forward(input, hx=None) -> (output, (h_n, c_n)), hx = (h0, c0) or None (zeros).
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 proj_size: int = 0) -> None:
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, proj_size)

    def forward(self, input, hx=None):
        x, batched, lengths = self._check_input(input)
        if hx is not None and (not isinstance(hx, (tuple, list)) or len(hx) != 2):
            raise TypeError("LSTM: hx must be a tuple (h0, c0)")
        h0, c0 = (None, None) if hx is None else hx
        h0 = self._initial(h0, x.shape[1], x.dtype, batched, "h0")
        c0 = self._initial(c0, x.shape[1], x.dtype, batched, "c0")
        out, finals = self._run(x, [(h0[i], c0[i]) for i in range(h0.shape[0])], lengths)
        return self._output(out, batched, input), (self._state([h for h, _ in finals], batched),
                                            self._state([c for _, c in finals], batched))
