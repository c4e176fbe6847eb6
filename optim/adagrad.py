"""`Adagrad`: per-coordinate step sizes that shrink with the sum of squared gradients seen.

Coordinates that have had large gradients get small steps, rarely-updated ones keep large
steps; the update follows PyTorch's documented algorithm, learning-rate decay included.
"""

import numpy as np

from .optimizer import Optimizer, Params, effective_grad


class Adagrad(Optimizer):
    """Adagrad (Duchi, Hazan and Singer, 2011).

    Algorithm, for each parameter θ with gradient g at step t = 1, 2, ...::

        γ = lr, η = lr_decay, λ = weight_decay, ε = eps
        initially:  s ← initial_accumulator_value (every entry)
        γ̃ ← γ / (1 + (t − 1)·η)                     # decayed learning rate
        if maximize:  g ← −g
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
        maximize: maximize the objective instead of minimizing it (default False).

    State per parameter: 'step' (an int) and 'sum', made when the optimizer is.
    """

    def __init__(self, params: Params, lr: float = 0.01, lr_decay: float = 0,
                 weight_decay: float = 0, initial_accumulator_value: float = 0,
                 eps: float = 1e-10, *, maximize: bool = False) -> None:
        defaults = dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, eps=eps,
                        maximize=maximize)
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self._prepare_state(p._data, self.state.setdefault(p, {}))

    def _check_group(self, group):
        self._check_nonnegative(group, "lr", "lr_decay", "weight_decay",
                                "initial_accumulator_value", "eps")

    def _prepare_state(self, data, state):
        # As in PyTorch, the sum starts at the constructor's initial_accumulator_value, even
        # for a group that sets its own, and the constructor's parameters get their state
        # at once (so state_dict() lists them before their first step).
        if not state:
            state["step"] = 0
            state["sum"] = np.full(data.shape, float(self.defaults["initial_accumulator_value"]),
                                   dtype=data.dtype)

    def _prepare(self, data, state, h):
        self._prepare_state(data, state)
        state["step"] += 1
        return {**h, "clr": h["lr"] / (1.0 + (state["step"] - 1) * h["lr_decay"])}

    def _kernel(self, p, g, s, t, u, h):
        g = effective_grad(g, p, h["weight_decay"], h["maximize"], out=t)
        total = s["sum"]
        total += np.multiply(g, g, out=u)
        std = np.sqrt(total, out=u)
        std += h["eps"]
        step_dir = np.divide(g, std, out=u)
        step_dir *= h["clr"]
        p -= step_dir
