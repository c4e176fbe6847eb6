"""`Adagrad`: per-coordinate step sizes that shrink with the sum of squared gradients seen.

Coordinates that have had large gradients get small steps, rarely-updated ones keep large
steps; the update follows PyTorch's documented algorithm, learning-rate decay included.
"""

import numpy as np

from .optimizer import Optimizer


class Adagrad(Optimizer):
    """Adagrad (Duchi, Hazan and Singer, 2011).

    Algorithm, for each parameter θ with gradient g at step t = 1, 2, ...::

        γ = lr, η = lr_decay, λ = weight_decay, ε = eps
        initially:  s ← initial_accumulator_value (every entry)
        γ̃ ← γ / (1 + (t − 1)·η)                     # decayed learning rate
        if λ ≠ 0:  g ← g + λ·θ
        s ← s + g²                                   # running sum of squared gradients
        θ ← θ − γ̃ · g / (√s + ε)

    Args:
        params: an iterable of Tensors, or of dicts defining parameter groups.
        lr: learning rate γ (default 0.01).
        lr_decay: learning-rate decay η (default 0).
        weight_decay: L2 penalty λ (default 0).
        initial_accumulator_value: starting value of the sum s (default 0).
        eps: ε added to the denominator for numerical stability (default 1e-10).

    State per parameter: 'step' (an int) and 'sum'.
    """

    def __init__(self, params, lr=0.01, lr_decay=0, weight_decay=0,
                 initial_accumulator_value=0, eps=1e-10):
        defaults = dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, eps=eps)
        super().__init__(params, defaults)

    def _check_group(self, group):
        self._check_nonnegative(group, "lr", "lr_decay", "weight_decay",
                                "initial_accumulator_value", "eps")

    def _update(self, data, grad, state, group):
        if not state:
            state["step"] = 0
            state["sum"] = np.full_like(data, float(group["initial_accumulator_value"]))
        state["step"] += 1
        step = state["step"]
        clr = float(group["lr"]) / (1.0 + (step - 1) * float(group["lr_decay"]))
        weight_decay = float(group["weight_decay"])

        g = grad
        if weight_decay != 0:
            g = g + weight_decay * data
        total = state["sum"]
        total += g * g
        std = np.sqrt(total)
        std += float(group["eps"])
        step_dir = g / std  # (shape of θ)
        step_dir *= clr
        data -= step_dir
