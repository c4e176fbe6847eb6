"""`SGD`: stochastic gradient descent, optionally with (Nesterov) momentum and weight decay.

The update follows PyTorch's documented algorithm step for step (the momentum buffer starts as
the first gradient, dampening applies from the second step on), so the same gradients give the
same trajectory.
"""

import numpy as np

from .optimizer import Optimizer


class SGD(Optimizer):
    """Stochastic gradient descent.

    Algorithm, for each parameter θ with gradient g at step t = 1, 2, ...::

        γ = lr, μ = momentum, τ = dampening, λ = weight_decay
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
        lr: learning rate γ.
        momentum: momentum factor μ (default 0: plain SGD).
        dampening: dampening τ for momentum (default 0).
        weight_decay: L2 penalty λ (default 0).
        nesterov: use Nesterov momentum (needs momentum > 0 and dampening = 0).

    State per parameter: 'momentum_buffer' (only when momentum ≠ 0).
    """

    def __init__(self, params, lr, momentum=0, dampening=0, weight_decay=0, nesterov=False):
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening,
                        weight_decay=weight_decay, nesterov=nesterov)
        super().__init__(params, defaults)

    def _check_group(self, group):
        self._check_nonnegative(group, "lr", "momentum", "dampening", "weight_decay")
        momentum, dampening = group["momentum"], group["dampening"]
        if group["nesterov"] and (momentum <= 0 or dampening != 0):
            raise ValueError(f"SGD: nesterov=True requires momentum > 0 and dampening = 0, "
                             f"got momentum={momentum}, dampening={dampening}")

    def _update(self, data, grad, state, group):
        lr = float(group["lr"])
        momentum = float(group["momentum"])
        weight_decay = float(group["weight_decay"])

        g = grad
        if weight_decay != 0:
            g = g + weight_decay * data  # a new array: p.grad itself is left as it was
        if momentum != 0:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = np.array(g, copy=True)
            else:
                buf *= momentum
                buf += (1.0 - float(group["dampening"])) * g
            g = g + momentum * buf if group["nesterov"] else buf
        data -= lr * g
