"""`Adam` and `AdamW`: steps from bias-corrected running means of the gradient and its square.

The two differ only in weight decay: Adam adds λ·θ to the gradient (an L2 penalty that then
passes through the adaptive scaling), AdamW shrinks θ directly before the Adam step ("decoupled"
decay, Loshchilov and Hutter, 2019). Both follow PyTorch's documented algorithms, AMSGrad included.
"""

import math

import numpy as np

from .optimizer import Optimizer, Params, effective_grad


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015), optionally with the AMSGrad fix (Reddi et al., 2018).

    Algorithm, for each parameter θ with gradient g at step t = 1, 2, ...::

        γ = lr, (β₁, β₂) = betas, ε = eps, λ = weight_decay
        initially:  m ← 0,  v ← 0,  v_max ← 0
        if maximize:  g ← −g
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
        maximize: maximize the objective instead of minimizing it (default False).
        decoupled_weight_decay: decay θ directly, as AdamW does (default False).

    State per parameter: 'step', 'exp_avg' (m), 'exp_avg_sq' (v) and, with amsgrad,
    'max_exp_avg_sq' (v_max).
    """

    def __init__(self, params: Params, lr: float = 0.001,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, amsgrad: bool = False, *, maximize: bool = False,
                 decoupled_weight_decay: bool = False) -> None:
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        amsgrad=amsgrad, maximize=maximize,
                        decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)

    def _check_group(self, group):
        name = type(self).__name__
        self._check_nonnegative(group, "lr", "eps", "weight_decay")
        betas = group["betas"]
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise TypeError(f"{name}: betas must be a pair (beta1, beta2), got {betas!r}")
        for i, beta in enumerate(betas):
            self._check_fraction(f"betas[{i}]", beta)

    def _hyper(self, group):
        h = super()._hyper(group)
        h["beta1"], h["beta2"] = (float(b) for b in group["betas"])
        if h["decoupled_weight_decay"]:  # shrink θ by this, and add nothing to the gradient
            h["shrink"], h["weight_decay"] = 1.0 - h["lr"] * h["weight_decay"], 0.0
        else:
            h["shrink"] = 1.0
        return h

    def _prepare(self, data, state, h):
        step = state["step"] = state.get("step", 0) + 1
        self._start_buffers(state, data, "exp_avg", "exp_avg_sq")
        if h["amsgrad"]:
            self._start_buffers(state, data, "max_exp_avg_sq")
        # γ·m̂/(√v̂ + ε) rearranged so the bias corrections are scalars applied once:
        # (γ / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε).
        return {**h, "step_size": h["lr"] / (1.0 - h["beta1"]**step),
                "bias_correction2_sqrt": math.sqrt(1.0 - h["beta2"]**step)}

    def _kernel(self, p, g, s, t, u, h):
        if h["shrink"] != 1.0:
            p *= h["shrink"]  # decoupled decay: shrink θ itself, outside the scaling
        g = effective_grad(g, p, h["weight_decay"], h["maximize"], out=t)
        exp_avg, exp_avg_sq = s["exp_avg"], s["exp_avg_sq"]
        exp_avg *= h["beta1"]
        exp_avg += np.multiply(g, 1.0 - h["beta1"], out=u)
        exp_avg_sq *= h["beta2"]
        exp_avg_sq += np.multiply(np.multiply(g, g, out=u), 1.0 - h["beta2"], out=u)
        if h["amsgrad"]:
            max_sq = s["max_exp_avg_sq"]
            np.maximum(max_sq, exp_avg_sq, out=max_sq)
            denom = np.sqrt(max_sq, out=u)
        else:
            denom = np.sqrt(exp_avg_sq, out=u)
        denom /= h["bias_correction2_sqrt"]
        denom += h["eps"]
        update = np.divide(exp_avg, denom, out=u)
        update *= h["step_size"]
        p -= update


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter, 2019).

    Algorithm, for each parameter θ with gradient g at step t = 1, 2, ...::

        γ = lr, (β₁, β₂) = betas, ε = eps, λ = weight_decay
        initially:  m ← 0,  v ← 0,  v_max ← 0
        if maximize:  g ← −g
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
        maximize: maximize the objective instead of minimizing it (default False).

    State per parameter: as for `Adam`.
    """

    def __init__(self, params: Params, lr: float = 0.001,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.01, amsgrad: bool = False, *,
                 maximize: bool = False) -> None:
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                         amsgrad=amsgrad, maximize=maximize, decoupled_weight_decay=True)
