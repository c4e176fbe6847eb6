"""Training-loop utilities, as `torch.nn.utils`: gradient clipping (and, as submodules, data
loading and sequence padding)."""

from . import rnn as rnn
from .clip_grad import clip_grad_norm_, clip_grad_value_

__all__ = ["clip_grad_norm_", "clip_grad_value_"]

from . import data as data  # noqa: E402  (nn.utils.data, as torch.utils.data)
