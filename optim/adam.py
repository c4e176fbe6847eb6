"""`Adam` and `AdamW`: steps from bias-corrected running means of the gradient and its square.

The two differ only in weight decay: Adam adds λ·θ to the gradient (an L2 penalty that then
passes through the adaptive scaling), AdamW shrinks θ directly before the Adam step ("decoupled"
decay, Loshchilov and Hutter, 2019). Both follow PyTorch's documented algorithms, AMSGrad included.
"""

import math

import numpy as np

from .optimizer import Optimizer


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015), optionally with the AMSGrad fix (Reddi et al., 2018).

    Algorithm, for each parameter θ with gradient g at step t = 1, 2, ...::

        γ = lr, (β₁, β₂) = betas, ε = eps, λ = weight_decay
        initially:  m ← 0,  v ← 0,  v_max ← 0
        if λ ≠ 0:  g ← g + λ·θ                       # L2 penalty folded into the gradient
        m ← β₁·m + (1 − β₁)·g                        # running mean of gradients
        v ← β₂·v + (1 − β₂)·g²                       # running mean of squared gradients
        m̂ ← m / (1 − β₁ᵗ)                            # undo the bias towards the zero start
        if amsgrad:
            v_max ← max(v_max, v)                    # never let the denominator shrink
            v̂ ← v_max / (1 − β₂ᵗ)
        else:
            v̂ ← v / (1 − β₂ᵗ)
        θ ← θ − γ · m̂ / (√v̂ + ε)

    Args:
        params: an iterable of Tensors, or of dicts defining parameter groups.
        lr: learning rate γ (default 0.001).
        betas: (β₁, β₂), the decay rates of the two running means (default (0.9, 0.999)).
        eps: ε added to the denominator for numerical stability (default 1e-8).
        weight_decay: L2 penalty λ (default 0).
        amsgrad: use the AMSGrad variant (default False).

    State per parameter: 'step', 'exp_avg' (m), 'exp_avg_sq' (v) and, with amsgrad,
    'max_exp_avg_sq' (v_max).
    """

    _decoupled_weight_decay = False

    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False):
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        amsgrad=amsgrad)
        super().__init__(params, defaults)

    def _check_group(self, group):
        name = type(self).__name__
        self._check_nonnegative(group, "lr", "eps", "weight_decay")
        betas = group["betas"]
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise TypeError(f"{name}: betas must be a pair (beta1, beta2), got {betas!r}")
        for i, beta in enumerate(betas):
            self._check_real(f"betas[{i}]", beta)
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"{name}: invalid betas[{i}]={beta}, expected a value in "
                                 "[0, 1)")

    def _update(self, data, grad, state, group):
        lr = float(group["lr"])
        beta1, beta2 = (float(b) for b in group["betas"])
        weight_decay = float(group["weight_decay"])
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(data)
            state["exp_avg_sq"] = np.zeros_like(data)
        if group["amsgrad"] and "max_exp_avg_sq" not in state:
            state["max_exp_avg_sq"] = np.zeros_like(data)
        state["step"] += 1
        step = state["step"]

        g = grad
        if weight_decay != 0:
            if self._decoupled_weight_decay:
                data *= 1.0 - lr * weight_decay  # AdamW: shrink θ itself, outside the scaling
            else:
                g = g + weight_decay * data
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        exp_avg *= beta1
        exp_avg += (1.0 - beta1) * g
        exp_avg_sq *= beta2
        exp_avg_sq += (1.0 - beta2) * (g * g)

        # γ·m̂/(√v̂ + ε) rearranged so the bias corrections are scalars applied once:
        # (γ / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε).
        step_size = lr / (1.0 - beta1**step)
        bias_correction2_sqrt = math.sqrt(1.0 - beta2**step)
        if group["amsgrad"]:
            max_sq = state["max_exp_avg_sq"]
            np.maximum(max_sq, exp_avg_sq, out=max_sq)
            denom = np.sqrt(max_sq)
        else:
            denom = np.sqrt(exp_avg_sq)
        denom /= bias_correction2_sqrt
        denom += float(group["eps"])
        update = exp_avg / denom  # (shape of θ)
        update *= step_size
        data -= update


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter, 2019).

    Algorithm, for each parameter θ with gradient g at step t = 1, 2, ...::

        γ = lr, (β₁, β₂) = betas, ε = eps, λ = weight_decay
        initially:  m ← 0,  v ← 0,  v_max ← 0
        θ ← θ − γ·λ·θ                                # decay θ directly; g is left alone
        m ← β₁·m + (1 − β₁)·g
        v ← β₂·v + (1 − β₂)·g²
        m̂ ← m / (1 − β₁ᵗ)
        if amsgrad:
            v_max ← max(v_max, v)
            v̂ ← v_max / (1 − β₂ᵗ)
        else:
            v̂ ← v / (1 − β₂ᵗ)
        θ ← θ − γ · m̂ / (√v̂ + ε)

    Args:
        params: an iterable of Tensors, or of dicts defining parameter groups.
        lr: learning rate γ (default 0.001).
        betas: (β₁, β₂), the decay rates of the two running means (default (0.9, 0.999)).
        eps: ε added to the denominator for numerical stability (default 1e-8).
        weight_decay: decoupled decay rate λ (default 0.01).
        amsgrad: use the AMSGrad variant (default False).

    State per parameter: as for `Adam`.
    """

    _decoupled_weight_decay = True

    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01,
                 amsgrad=False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                         amsgrad=amsgrad)
