"""`SGD`: stochastic gradient descent, optionally with (Nesterov) momentum and weight decay.

The update follows PyTorch's documented algorithm step for step (the momentum buffer starts as
the first gradient, dampening applies from the second step on), so the same gradients give the
same trajectory.
"""

import numpy as np

from .optimizer import Optimizer, Params, effective_grad


class SGD(Optimizer):
    """Stochastic gradient descent.

    Algorithm, for each parameter θ with gradient g at step t = 1, 2, ...::

        γ = lr, μ = momentum, τ = dampening, λ = weight_decay
        if maximize:  g ← −g                          # climb f instead of descending it
        if λ ≠ 0:  g ← g + λ·θ                       # L2 penalty folded into the gradient
        if μ ≠ 0:
            if t = 1:  b ← g                         # the buffer starts as the first gradient
            else:      b ← μ·b + (1 − τ)·g
            if nesterov:  g ← g + μ·b                # look ahead along the buffer
            else:         g ← b
        θ ← θ − γ·g

    This is PyTorch's form of momentum (b accumulates gradients, lr scales the step), not
    Sutskever et al.'s (b accumulates lr·g); the two agree while lr is constant.

    Args:
        params: an iterable of Tensors, or of dicts defining parameter groups.
        lr: learning rate γ (default 0.001, as in PyTorch 2.x).
        momentum: momentum factor μ (default 0: plain SGD).
        dampening: dampening τ for momentum (default 0).
        weight_decay: L2 penalty λ (default 0).
        nesterov: use Nesterov momentum (needs momentum > 0 and dampening = 0).
        maximize: maximize the objective instead of minimizing it (default False).

    State per parameter: 'momentum_buffer' (only when momentum ≠ 0).
    """

    def __init__(self, params: Params, lr: float = 0.001, momentum: float = 0,
                 dampening: float = 0, weight_decay: float = 0, nesterov: bool = False, *,
                 maximize: bool = False) -> None:
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening,
                        weight_decay=weight_decay, nesterov=nesterov, maximize=maximize)
        super().__init__(params, defaults)

    def _check_group(self, group):
        self._check_nonnegative(group, "lr", "momentum", "dampening", "weight_decay")
        momentum, dampening = group["momentum"], group["dampening"]
        if group["nesterov"] and (momentum <= 0 or dampening != 0):
            raise ValueError(f"SGD: nesterov=True requires momentum > 0 and dampening = 0, "
                             f"got momentum={momentum}, dampening={dampening}")

    def _hyper(self, group):
        return {**super()._hyper(group), "first": False}

    def _prepare(self, data, state, h):
        if h["momentum"] != 0 and "momentum_buffer" not in state:
            state["momentum_buffer"] = np.zeros(data.shape, dtype=data.dtype)
            return {**h, "first": True}  # the buffer starts as this step's gradient
        return h

    def _kernel(self, p, g, s, t, u, h):
        g = effective_grad(g, p, h["weight_decay"], h["maximize"], out=t)
        if h["momentum"] != 0:
            buf = s["momentum_buffer"]
            if h["first"]:
                np.copyto(buf, g)
            else:
                buf *= h["momentum"]
                buf += np.multiply(g, 1.0 - h["dampening"], out=u)
            if h["nesterov"]:
                g = np.add(g, np.multiply(buf, h["momentum"], out=u), out=t)
            else:
                g = buf
        p -= np.multiply(g, h["lr"], out=u)
