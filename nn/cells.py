"""The one-step recurrent cells RNNCell, LSTMCell and GRUCell: the same step functions as
the layers in nn/recurrent.py, for a loop the user writes. Parameters weight_ih, weight_hh,
bias_ih, bias_hh as PyTorch's, drawn from U(-1/√H, 1/√H)."""

import numpy as np

import autograd as ag
from autograd import ShapeError, Tensor

from .module import Module, Parameter
from .recurrent import _check_size, _gru_step, _lstm_step, _rnn_step, _RNNBase, _tensor


class _CellBase(Module):
    """weight_ih (G·H, H_in), weight_hh (G·H, H), bias_ih, bias_hh (G·H,), U(-1/√H, 1/√H)."""

    gates = 1

    def __init__(self, input_size, hidden_size, bias=True):
        super().__init__()
        name = type(self).__name__
        self.input_size = _check_size(input_size, "input_size", name, positive=False)
        self.hidden_size = _check_size(hidden_size, "hidden_size", name)
        self.bias = bool(bias)
        g = self.gates * self.hidden_size
        self.weight_ih = Parameter(np.zeros((g, self.input_size)))
        self.weight_hh = Parameter(np.zeros((g, self.hidden_size)))
        self.bias_ih = Parameter(np.zeros(g)) if bias else None
        self.bias_hh = Parameter(np.zeros(g)) if bias else None
        self.reset_parameters()

    reset_parameters = _RNNBase.reset_parameters

    def _prepare(self, input):
        """(x (N, H_in), hx (N, H) or zeros, batched) after PyTorch's shape checks."""
        name = type(self).__name__
        x = _tensor(input, name)
        if x.ndim not in (1, 2):
            raise ShapeError(f"{name}: Expected input to be 1D or 2D, got {x.ndim}D instead "
                             f"(shape {x.shape})")
        if x.shape[-1] != self.input_size:
            raise ShapeError(f"{name}: input has inconsistent input_size: got {x.shape[-1]} "
                             f"expected {self.input_size}")
        batched = x.ndim == 2
        if not batched:
            x = x.reshape((1, x.shape[0]))
        return x, batched

    def _hidden(self, hx, x, batched, what="hx"):
        name = type(self).__name__
        if hx is None:
            return Tensor(np.zeros((x.shape[0], self.hidden_size), dtype=x.dtype))
        hx = _tensor(hx, name)
        want = (x.shape[0], self.hidden_size) if batched else (self.hidden_size,)
        if hx.shape != want:
            raise ShapeError(f"{name}: {what} of shape {hx.shape} does not match the input: "
                             f"expected {want}")
        return hx if batched else hx.reshape((1, self.hidden_size))

    def _unbatch(self, h, batched):
        return h if batched else h.reshape((self.hidden_size,))

    def extra_repr(self):
        s = f"{self.input_size}, {self.hidden_size}"
        if not self.bias:
            s += ", bias=False"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            s += f", nonlinearity={self.nonlinearity}"
        return s


class RNNCell(_CellBase):
    """One step of RNN: h' = tanh(x Wᵢₕᵀ + bᵢₕ + h Wₕₕᵀ + bₕₕ) (or relu)."""

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh"):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNNCell: unknown nonlinearity {nonlinearity!r}; expected 'tanh' "
                             "or 'relu'")
        self.nonlinearity = nonlinearity
        super().__init__(input_size, hidden_size, bias)

    def forward(self, input, hx=None):
        x, batched = self._prepare(input)
        h = self._hidden(hx, x, batched)
        xw = ag.linear(x, self.weight_ih, self.bias_ih)
        out = _rnn_step(xw, h, self.weight_hh, self.bias_hh, self.nonlinearity == "relu")
        return self._unbatch(out, batched)


class GRUCell(_CellBase):
    """One step of GRU (gates r, z, n; see GRU)."""

    gates = 3

    def forward(self, input, hx=None):
        x, batched = self._prepare(input)
        h = self._hidden(hx, x, batched)
        xw = ag.linear(x, self.weight_ih, self.bias_ih)
        return self._unbatch(_gru_step(xw, h, self.weight_hh, self.bias_hh), batched)


class LSTMCell(_CellBase):
    """One step of LSTM (gates i, f, g, o; see LSTM): forward(input, (h, c)) -> (h', c')."""

    gates = 4

    def forward(self, input, hx=None):
        x, batched = self._prepare(input)
        if hx is not None and (not isinstance(hx, (tuple, list)) or len(hx) != 2):
            raise TypeError("LSTMCell: hx must be a tuple (h, c)")
        h = self._hidden(None if hx is None else hx[0], x, batched, "h")
        c = self._hidden(None if hx is None else hx[1], x, batched, "c")
        xw = ag.linear(x, self.weight_ih, self.bias_ih)
        h, c = _lstm_step(xw, (h, c), self.weight_hh, self.bias_hh)
        return self._unbatch(h, batched), self._unbatch(c, batched)
