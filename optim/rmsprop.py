"""`RMSprop`: divide the gradient by a running root-mean-square of recent gradients.

Plain, centered (divide by an estimate of the gradient's standard deviation instead) and
momentum variants, following PyTorch's documented algorithm; ε is added after the square root.
"""

import numpy as np

from .optimizer import Optimizer, Params, effective_grad


class RMSprop(Optimizer):
    """RMSprop (Hinton's lecture notes; the centered form is from Graves, 2013).

    Algorithm, for each parameter θ with gradient g at step t = 1, 2, ...::

        γ = lr, α = alpha, ε = eps, λ = weight_decay, μ = momentum
        initially:  v ← 0,  ḡ ← 0,  b ← 0
        if maximize:  g ← −g
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
        maximize: maximize the objective instead of minimizing it (default False).

    State per parameter: 'step', 'square_avg', and 'momentum_buffer' (when momentum > 0) and
    'grad_avg' (when centered).
    """

    def __init__(self, params: Params, lr: float = 0.01, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0, momentum: float = 0, centered: bool = False,
                 maximize: bool = False) -> None:
        defaults = dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                        momentum=momentum, centered=centered, maximize=maximize)
        super().__init__(params, defaults)

    def _check_group(self, group):
        self._check_nonnegative(group, "lr", "alpha", "eps", "weight_decay", "momentum")

    def _prepare(self, data, state, h):
        state["step"] = state.get("step", 0) + 1
        self._start_buffers(state, data, "square_avg")
        # A group's momentum or centered flag may be switched on mid-run: start those buffers then.
        if h["momentum"] > 0:
            self._start_buffers(state, data, "momentum_buffer")
        if h["centered"]:
            self._start_buffers(state, data, "grad_avg")
        return h

    def _kernel(self, p, g, s, t, u, h):
        alpha = h["alpha"]
        g = effective_grad(g, p, h["weight_decay"], h["maximize"], out=t)
        square_avg = s["square_avg"]
        square_avg *= alpha
        square_avg += np.multiply(np.multiply(g, g, out=u), 1.0 - alpha, out=u)
        if h["centered"]:
            grad_avg = s["grad_avg"]
            grad_avg *= alpha
            grad_avg += np.multiply(g, 1.0 - alpha, out=u)
            avg = np.subtract(square_avg, np.multiply(grad_avg, grad_avg, out=u), out=u)
            avg = np.sqrt(avg, out=u)
        else:
            avg = np.sqrt(square_avg, out=u)
        avg += h["eps"]
        step_dir = np.divide(g, avg, out=u)
        if h["momentum"] > 0:
            buf = s["momentum_buffer"]
            buf *= h["momentum"]
            buf += step_dir
            step_dir = np.multiply(buf, h["lr"], out=u)
        else:
            step_dir *= h["lr"]
        p -= step_dir
