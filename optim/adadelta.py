"""`Adadelta`: steps whose size is the ratio of two running root-mean-squares.

The step for each coordinate is RMS[Δθ]/RMS[g]·g, so it carries θ's own units and needs no
hand-tuned rate (`lr` only scales it, 1.0 by default); the update follows PyTorch's documented
algorithm, ε inside both square roots.
"""

import numpy as np

from .optimizer import Optimizer, Params, effective_grad


class Adadelta(Optimizer):
    """Adadelta (Zeiler, 2012).

    Algorithm, for each parameter θ with gradient g at step t = 1, 2, ...::

        γ = lr, ρ = rho, ε = eps, λ = weight_decay
        initially:  v ← 0,  u ← 0
        if maximize:  g ← −g
        if λ ≠ 0:  g ← g + λ·θ
        v ← ρ·v + (1 − ρ)·g²                         # running mean of squared gradients
        Δ ← √(u + ε) / √(v + ε) · g                  # RMS of past steps over RMS of gradients
        u ← ρ·u + (1 − ρ)·Δ²                         # running mean of squared steps
        θ ← θ − γ·Δ

    Args:
        params: an iterable of Tensors, or of dicts defining parameter groups.
        lr: scale γ applied to Δ before it is subtracted (default 1.0).
        rho: decay rate ρ of both running means (default 0.9).
        eps: ε added inside the square roots (default 1e-6).
        weight_decay: L2 penalty λ (default 0).
        maximize: maximize the objective instead of minimizing it (default False).

    State per parameter: 'step', 'square_avg' (v) and 'acc_delta' (u).
    """

    def __init__(self, params: Params, lr: float = 1.0, rho: float = 0.9, eps: float = 1e-6,
                 weight_decay: float = 0, *, maximize: bool = False) -> None:
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize)
        super().__init__(params, defaults)

    def _check_group(self, group):
        self._check_nonnegative(group, "lr", "eps", "weight_decay")
        self._check_fraction("rho", group["rho"], one_allowed=True)

    def _prepare(self, data, state, h):
        state["step"] = state.get("step", 0) + 1
        self._start_buffers(state, data, "square_avg", "acc_delta")
        return h

    def _kernel(self, p, g, s, t, u, h):
        rho, eps = h["rho"], h["eps"]
        g = effective_grad(g, p, h["weight_decay"], h["maximize"], out=t)
        square_avg, acc_delta = s["square_avg"], s["acc_delta"]
        square_avg *= rho
        square_avg += np.multiply(np.multiply(g, g, out=u), 1.0 - rho, out=u)
        std = np.sqrt(np.add(square_avg, eps, out=u), out=u)
        delta = np.divide(g, std, out=t)  # g is done with: its block becomes Δ
        delta *= np.sqrt(np.add(acc_delta, eps, out=u), out=u)
        acc_delta *= rho
        acc_delta += np.multiply(np.multiply(delta, delta, out=u), 1.0 - rho, out=u)
        p -= np.multiply(delta, h["lr"], out=u)
