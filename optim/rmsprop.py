"""`RMSprop`: divide the gradient by a running root-mean-square of recent gradients.

Plain, centered (divide by an estimate of the gradient's standard deviation instead) and
momentum variants, following PyTorch's documented algorithm; ε is added after the square root.
"""

import numpy as np

from .optimizer import Optimizer


class RMSprop(Optimizer):
    """RMSprop (Hinton's lecture notes; the centered form is from Graves, 2013).

    Algorithm, for each parameter θ with gradient g at step t = 1, 2, ...::

        γ = lr, α = alpha, ε = eps, λ = weight_decay, μ = momentum
        initially:  v ← 0,  ḡ ← 0,  b ← 0
        if λ ≠ 0:  g ← g + λ·θ
        v ← α·v + (1 − α)·g²                         # running mean of squared gradients
        ṽ ← v
        if centered:
            ḡ ← α·ḡ + (1 − α)·g                      # running mean of gradients
            ṽ ← ṽ − ḡ²                               # so ṽ estimates the variance
        if μ > 0:
            b ← μ·b + g / (√ṽ + ε)
            θ ← θ − γ·b
        else:
            θ ← θ − γ · g / (√ṽ + ε)

    Args:
        params: an iterable of Tensors, or of dicts defining parameter groups.
        lr: learning rate γ (default 0.01).
        alpha: smoothing constant α (default 0.99).
        eps: ε added to the denominator for numerical stability (default 1e-8).
        weight_decay: L2 penalty λ (default 0).
        momentum: momentum factor μ (default 0).
        centered: normalise by the estimated variance instead of the raw second moment.

    State per parameter: 'step', 'square_avg', and 'momentum_buffer' (when momentum > 0) and
    'grad_avg' (when centered).
    """

    def __init__(self, params, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False):
        defaults = dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                        momentum=momentum, centered=centered)
        super().__init__(params, defaults)

    def _check_group(self, group):
        self._check_nonnegative(group, "lr", "alpha", "eps", "weight_decay", "momentum")

    def _update(self, data, grad, state, group):
        alpha = float(group["alpha"])
        momentum = float(group["momentum"])
        weight_decay = float(group["weight_decay"])
        if not state:
            state["step"] = 0
            state["square_avg"] = np.zeros_like(data)
        # A group's momentum or centered flag may be switched on mid-run: start those buffers then.
        if momentum > 0 and "momentum_buffer" not in state:
            state["momentum_buffer"] = np.zeros_like(data)
        if group["centered"] and "grad_avg" not in state:
            state["grad_avg"] = np.zeros_like(data)
        state["step"] += 1

        g = grad
        if weight_decay != 0:
            g = g + weight_decay * data
        square_avg = state["square_avg"]
        square_avg *= alpha
        square_avg += (1.0 - alpha) * (g * g)
        if group["centered"]:
            grad_avg = state["grad_avg"]
            grad_avg *= alpha
            grad_avg += (1.0 - alpha) * g
            avg = np.sqrt(square_avg - grad_avg * grad_avg)
        else:
            avg = np.sqrt(square_avg)
        avg += float(group["eps"])

        if momentum > 0:
            buf = state["momentum_buffer"]
            buf *= momentum
            buf += g / avg
            data -= float(group["lr"]) * buf
        else:
            data -= float(group["lr"]) * (g / avg)
