"""Optimizers checked against PyTorch's documented update rules, worked out here with NumPy.

Each `*_ref` function is the documentation's pseudocode written out plainly (bias corrections
as m̂ and v̂, fresh arrays, no in-place tricks); it never calls the code under test. Around
those: a few steps worked with pencil-and-paper numbers, parameter groups, state_dict round
trips that must continue bit-for-bit, argument validation, and convergence on a quadratic.
"""

import numpy as np
import pytest

import optim
from autograd import Tensor

P0 = np.array([0.5, -1.5, 2.0, 0.0])
# Later gradients of the last entry are 0, so Adam's v shrinks there and AMSGrad's max matters.
GRADS = [np.array([1.0, -2.0, 0.5, 3.0]),
         np.array([-0.5, 4.0, 0.25, 0.0]),
         np.array([2.0, 0.1, -3.0, 0.0])]


# --- the documented algorithms, by hand --------------------------------------------------
def sgd_ref(p, grads, lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False,
            maximize=False):
    out, b = [], None
    for t, g in enumerate(grads, start=1):
        g = (-g if maximize else g) + weight_decay * p
        if momentum != 0:
            b = g if t == 1 else momentum * b + (1 - dampening) * g
            g = g + momentum * b if nesterov else b
        p = p - lr * g
        out.append(p)
    return out


def adagrad_ref(p, grads, lr=0.01, lr_decay=0.0, weight_decay=0.0,
                initial_accumulator_value=0.0, eps=1e-10, maximize=False):
    out, s = [], np.full_like(p, initial_accumulator_value)
    for t, g in enumerate(grads, start=1):
        clr = lr / (1 + (t - 1) * lr_decay)
        g = (-g if maximize else g) + weight_decay * p
        s = s + g**2
        p = p - clr * g / (np.sqrt(s) + eps)
        out.append(p)
    return out


def rmsprop_ref(p, grads, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                centered=False, maximize=False):
    out = []
    v, g_ave, b = np.zeros_like(p), np.zeros_like(p), np.zeros_like(p)
    for g in grads:
        g = (-g if maximize else g) + weight_decay * p
        v = alpha * v + (1 - alpha) * g**2
        v_tilde = v
        if centered:
            g_ave = alpha * g_ave + (1 - alpha) * g
            v_tilde = v_tilde - g_ave**2
        if momentum > 0:
            b = momentum * b + g / (np.sqrt(v_tilde) + eps)
            p = p - lr * b
        else:
            p = p - lr * g / (np.sqrt(v_tilde) + eps)
        out.append(p)
    return out


def adam_ref(p, grads, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
             amsgrad=False, decoupled=False, maximize=False):
    (b1, b2), out = betas, []
    m, v, v_max = np.zeros_like(p), np.zeros_like(p), np.zeros_like(p)
    for t, g in enumerate(grads, start=1):
        g = -g if maximize else g
        if decoupled:
            p = p - lr * weight_decay * p
        else:
            g = g + weight_decay * p
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        m_hat = m / (1 - b1**t)
        if amsgrad:
            v_max = np.maximum(v_max, v)
            v_hat = v_max / (1 - b2**t)
        else:
            v_hat = v / (1 - b2**t)
        p = p - lr * m_hat / (np.sqrt(v_hat) + eps)
        out.append(p)
    return out


def adamw_ref(p, grads, weight_decay=0.01, **kwargs):
    return adam_ref(p, grads, weight_decay=weight_decay, decoupled=True, **kwargs)


def adadelta_ref(p, grads, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0, maximize=False):
    out, v, u = [], np.zeros_like(p), np.zeros_like(p)
    for g in grads:
        g = (-g if maximize else g) + weight_decay * p
        v = rho * v + (1 - rho) * g**2
        delta = np.sqrt(u + eps) / np.sqrt(v + eps) * g
        u = rho * u + (1 - rho) * delta**2
        p = p - lr * delta
        out.append(p)
    return out


CASES = [
    pytest.param(optim.SGD, dict(lr=0.1), sgd_ref, id="sgd"),
    pytest.param(optim.SGD, dict(lr=0.1, momentum=0.9), sgd_ref, id="sgd-momentum"),
    pytest.param(optim.SGD, dict(lr=0.1, momentum=0.9, dampening=0.5), sgd_ref,
                 id="sgd-dampening"),
    pytest.param(optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True), sgd_ref,
                 id="sgd-nesterov"),
    pytest.param(optim.SGD, dict(lr=0.1, weight_decay=0.1), sgd_ref, id="sgd-weight_decay"),
    pytest.param(optim.SGD, dict(lr=0.05, momentum=0.8, weight_decay=0.1, nesterov=True),
                 sgd_ref, id="sgd-nesterov-weight_decay"),
    pytest.param(optim.SGD, dict(lr=0.1, momentum=0.9, weight_decay=0.1, maximize=True),
                 sgd_ref, id="sgd-maximize"),
    pytest.param(optim.Adagrad, dict(), adagrad_ref, id="adagrad"),
    pytest.param(optim.Adagrad, dict(lr=0.1, lr_decay=0.5), adagrad_ref, id="adagrad-lr_decay"),
    pytest.param(optim.Adagrad, dict(weight_decay=0.1), adagrad_ref, id="adagrad-weight_decay"),
    pytest.param(optim.Adagrad, dict(initial_accumulator_value=0.5), adagrad_ref,
                 id="adagrad-initial_accumulator_value"),
    pytest.param(optim.Adagrad, dict(eps=0.1), adagrad_ref, id="adagrad-eps"),
    pytest.param(optim.Adagrad, dict(maximize=True), adagrad_ref, id="adagrad-maximize"),
    pytest.param(optim.RMSprop, dict(), rmsprop_ref, id="rmsprop"),
    pytest.param(optim.RMSprop, dict(alpha=0.5), rmsprop_ref, id="rmsprop-alpha"),
    pytest.param(optim.RMSprop, dict(momentum=0.9), rmsprop_ref, id="rmsprop-momentum"),
    pytest.param(optim.RMSprop, dict(centered=True), rmsprop_ref, id="rmsprop-centered"),
    pytest.param(optim.RMSprop, dict(centered=True, momentum=0.9), rmsprop_ref,
                 id="rmsprop-centered-momentum"),
    pytest.param(optim.RMSprop, dict(weight_decay=0.1), rmsprop_ref, id="rmsprop-weight_decay"),
    pytest.param(optim.RMSprop, dict(momentum=0.9, maximize=True), rmsprop_ref,
                 id="rmsprop-maximize"),
    pytest.param(optim.Adam, dict(), adam_ref, id="adam"),
    pytest.param(optim.Adam, dict(lr=0.1, betas=(0.8, 0.9)), adam_ref, id="adam-betas"),
    pytest.param(optim.Adam, dict(weight_decay=0.1), adam_ref, id="adam-weight_decay"),
    pytest.param(optim.Adam, dict(amsgrad=True), adam_ref, id="adam-amsgrad"),
    pytest.param(optim.Adam, dict(amsgrad=True, weight_decay=0.1, eps=1e-3), adam_ref,
                 id="adam-amsgrad-weight_decay-eps"),
    pytest.param(optim.AdamW, dict(), adamw_ref, id="adamw"),
    pytest.param(optim.AdamW, dict(weight_decay=0), adamw_ref, id="adamw-no-decay"),
    pytest.param(optim.AdamW, dict(lr=0.1, weight_decay=0.5), adamw_ref, id="adamw-lr-decay"),
    pytest.param(optim.Adam, dict(amsgrad=True, maximize=True), adam_ref, id="adam-maximize"),
    pytest.param(optim.AdamW, dict(amsgrad=True), adamw_ref, id="adamw-amsgrad"),
    pytest.param(optim.AdamW, dict(maximize=True), adamw_ref, id="adamw-maximize"),
    pytest.param(optim.Adadelta, dict(), adadelta_ref, id="adadelta"),
    pytest.param(optim.Adadelta, dict(lr=0.5, rho=0.5, eps=1e-3), adadelta_ref,
                 id="adadelta-lr-rho-eps"),
    pytest.param(optim.Adadelta, dict(weight_decay=0.1), adadelta_ref,
                 id="adadelta-weight_decay"),
    pytest.param(optim.Adadelta, dict(maximize=True), adadelta_ref, id="adadelta-maximize"),
]


def make_param(values=P0, dtype=np.float64):
    return Tensor(np.array(values, dtype=dtype), requires_grad=True)


def run_steps(opt, p, grads):
    """Feed `grads` one step at a time; return a copy of the parameter after each step."""
    out = []
    for g in grads:
        p.grad = Tensor(np.array(g, dtype=p.numpy().dtype))
        opt.step()
        out.append(p.numpy().copy())
    return out


@pytest.mark.parametrize("cls, kwargs, ref", CASES)
def test_first_three_steps_follow_the_documented_algorithm(cls, kwargs, ref):
    p = make_param()
    got = run_steps(cls([p], **kwargs), p, GRADS)
    want = ref(P0.copy(), GRADS, **kwargs)
    for t, (g, w) in enumerate(zip(got, want), start=1):
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-15,
                                   err_msg=f"{cls.__name__}(**{kwargs}) after step {t}")


@pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")
def test_matches_pytorch_when_it_is_installed():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    grads = [rng.normal(size=P0.shape) for _ in range(5)]
    for case in CASES:
        cls, kwargs, _ = case.values
        p = make_param()
        got = run_steps(cls([p], **kwargs), p, grads)
        tp = torch.tensor(P0, dtype=torch.float64, requires_grad=True)
        topt = getattr(torch.optim, cls.__name__)([tp], **kwargs)
        for t, g in enumerate(grads):
            tp.grad = torch.tensor(g, dtype=torch.float64)
            topt.step()
            np.testing.assert_allclose(got[t], tp.detach().numpy(), rtol=1e-10, atol=1e-14,
                                       err_msg=f"{case.id} vs torch, step {t + 1}")


def test_every_variant_changes_the_trajectory():
    """No option is silently ignored: each case of one optimizer ends somewhere different."""
    ends = {}
    for case in CASES:
        cls, kwargs, _ = case.values
        p = make_param()
        ends.setdefault(cls, []).append((case.id, run_steps(cls([p], **kwargs), p, GRADS)[-1]))
    for runs in ends.values():
        for i, (id_a, a) in enumerate(runs):
            for id_b, b in runs[i + 1:]:
                assert not np.allclose(a, b, rtol=1e-9, atol=0), f"{id_a} and {id_b} agree"


# Scalars worked with pencil and paper: (optimizer, kwargs, p0, gradients, p after each step).
BY_HAND = [
    # b = 1, 0.9·1 + 0.5·1 = 1.4, 0.9·1.4 + 0.5 = 1.76; p -= 0.1·b
    (optim.SGD, dict(lr=0.1, momentum=0.9, dampening=0.5), 1.0, [1, 1, 1], [0.9, 0.76, 0.584]),
    # b = 1, 1.9, 2.71; step along g + 0.9·b = 1.9, 2.71, 3.439
    (optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True), 1.0, [1, 1, 1],
     [0.81, 0.539, 0.1951]),
    # g + 0.5·p = 1 + 0.5·1 = 1.5, then 1 + 0.5·0.85 = 1.425; p -= 0.1·that
    (optim.SGD, dict(lr=0.1, weight_decay=0.5), 1.0, [1, 1], [0.85, 0.7075]),
    # s = 9, 25: p -= 3/3, then 4/5 at half the rate (1/(1 + 1·1))
    (optim.Adagrad, dict(lr=1.0, lr_decay=1.0, eps=0.0), 0.0, [3, 4], [-1.0, -1.4]),
    # v = 0.5·4 = 2: p -= 0.1·2/√2; centered: ḡ = 1, ṽ = 2 − 1 = 1: p -= 0.1·2/1
    (optim.RMSprop, dict(lr=0.1, alpha=0.5, eps=0.0), 1.0, [2], [1 - 0.1 * np.sqrt(2)]),
    (optim.RMSprop, dict(lr=0.1, alpha=0.5, eps=0.0, centered=True), 1.0, [2], [0.8]),
    # step 1 of Adam is p -= lr·sign(g) (m̂ = g, v̂ = g²), whatever the betas
    (optim.Adam, dict(lr=0.1, eps=0.0), 1.0, [2], [0.9]),
    (optim.Adam, dict(lr=0.1, eps=0.0, betas=(0.5, 0.5)), 1.0, [-3], [1.1]),
    # AdamW: shrink first, 1·(1 − 0.1·0.5) = 0.95, then the Adam step 0.1
    (optim.AdamW, dict(lr=0.1, eps=0.0, weight_decay=0.5), 1.0, [2], [0.85]),
    # Adadelta, ρ = 0.5, ε = 1: v = 0.5·4 = 2, Δ = √1/√3·2; u = 0.5·4/3 = 2/3
    #   then v = 1 + 2 = 3, Δ = √(5/3)/√4·2 = √(5/3)
    (optim.Adadelta, dict(rho=0.5, eps=1.0), 1.0, [2, 2],
     [1 - 2 / np.sqrt(3), 1 - 2 / np.sqrt(3) - np.sqrt(5 / 3)]),
    # maximize climbs: the step is +lr·g
    (optim.SGD, dict(lr=0.1, maximize=True), 1.0, [2, 2], [1.2, 1.4]),
]


@pytest.mark.parametrize("cls, kwargs, p0, grads, want", BY_HAND)
def test_steps_worked_by_hand(cls, kwargs, p0, grads, want):
    p = make_param([p0])
    got = run_steps(cls([p], **kwargs), p, [np.array([g], dtype=float) for g in grads])
    np.testing.assert_allclose(np.concatenate(got), want, rtol=1e-12)


@pytest.mark.parametrize("cls, kwargs, ref", CASES)
def test_updates_in_place_in_the_parameter_dtype_without_touching_the_gradient(cls, kwargs, ref):
    array = P0.astype(np.float32)
    p = Tensor(array, requires_grad=True)
    opt = cls([p], **kwargs)
    for g in GRADS:
        grad = Tensor(g.astype(np.float32))
        p.grad = grad
        opt.step()
        assert p.numpy() is array, "the update must write into the parameter's own array"
        np.testing.assert_array_equal(grad.numpy(), g.astype(np.float32))
    assert p.numpy().dtype == np.float32 and p.grad_fn is None
    for key, value in opt.state[p].items():
        if isinstance(value, np.ndarray):
            assert value.dtype == np.float32, f"state[{key!r}] is {value.dtype}"
    want = ref(P0.copy(), GRADS, **kwargs)[-1]
    np.testing.assert_allclose(p.numpy(), want, rtol=1e-5, atol=1e-6)


def test_parameters_without_a_gradient_are_skipped():
    a, b = make_param(), make_param()
    opt = optim.Adam([a, b], lr=0.1)
    a.grad = Tensor(GRADS[0].copy())
    opt.step()
    np.testing.assert_array_equal(b.numpy(), P0)
    assert b not in opt.state and opt.state[a]["step"] == 1


# --- parameter groups, zero_grad, closures ---------------------------------------------------
def test_param_groups_take_their_own_options_and_defaults_fill_the_rest():
    a, b = make_param(), make_param()
    opt = optim.SGD([{"params": [a]}, {"params": b, "lr": 0.01, "momentum": 0.9}], lr=0.1)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.01]
    assert opt.param_groups[0]["momentum"] == 0 and opt.param_groups[1]["nesterov"] is False
    for g in GRADS:
        a.grad, b.grad = Tensor(g.copy()), Tensor(g.copy())
        opt.step()
    np.testing.assert_allclose(a.numpy(), sgd_ref(P0, GRADS, lr=0.1)[-1], rtol=1e-12)
    np.testing.assert_allclose(b.numpy(), sgd_ref(P0, GRADS, lr=0.01, momentum=0.9)[-1],
                               rtol=1e-12)


def test_add_param_group_and_duplicates():
    a, b = make_param(), make_param()
    opt = optim.Adam([a], lr=0.1)
    opt.add_param_group({"params": [b], "betas": (0.5, 0.6)})
    assert opt.param_groups[1]["lr"] == 0.1 and opt.param_groups[1]["betas"] == (0.5, 0.6)
    with pytest.raises(ValueError, match="Adam: some parameters appear more than once"):
        opt.add_param_group({"params": [a]})
    with pytest.raises(ValueError, match="SGD: some parameters appear more than once"):
        optim.SGD([a, a], lr=0.1)
    with pytest.raises(ValueError, match="Adam: invalid lr=-1"):
        opt.add_param_group({"params": [make_param()], "lr": -1})
    with pytest.raises(ValueError, match="Adam: a parameter group needs a 'params' entry"):
        opt.add_param_group({"lr": 0.1})


def test_zero_grad_drops_or_zeroes_the_gradient():
    p = make_param()
    opt = optim.SGD([p], lr=0.1)
    p.grad = Tensor(GRADS[0].copy())
    array = p.grad.numpy()
    opt.zero_grad(set_to_none=False)
    assert p.grad.numpy() is array and not array.any()
    opt.zero_grad()
    assert p.grad is None
    opt.zero_grad()  # nothing to clear is fine


def test_step_with_a_closure_returns_its_loss():
    p = make_param()
    opt = optim.SGD([p], lr=0.1)
    calls = []

    def closure():
        calls.append(1)
        p.grad = Tensor(GRADS[0].copy())
        return 42.0

    assert opt.step(closure) == 42.0 and len(calls) == 1
    np.testing.assert_allclose(p.numpy(), P0 - 0.1 * GRADS[0], rtol=1e-12)
    assert opt.step() is None


# --- state_dict ---------------------------------------------------------------------------
@pytest.mark.parametrize("cls, kwargs, ref", CASES)
def test_a_fresh_optimizer_loaded_mid_run_continues_bit_for_bit(cls, kwargs, ref):
    rng = np.random.default_rng(0)
    grads = [rng.normal(size=P0.shape) for _ in range(5)]
    p = make_param()
    opt = cls([p], **kwargs)
    run_steps(opt, p, grads[:2])
    saved = opt.state_dict()
    snapshot = {k: np.copy(v) for k, v in saved["state"].get(0, {}).items()}

    q = make_param(p.numpy().copy())
    resumed = cls([q], **dict(kwargs, lr=0.123))  # hyperparameters come back from the dict too
    resumed.load_state_dict(saved)
    for value in saved["state"].get(0, {}).values():  # the loaded state must not alias the source
        if isinstance(value, np.ndarray):
            value[...] = np.nan
    np.testing.assert_array_equal(run_steps(opt, p, grads[2:]), run_steps(resumed, q, grads[2:]))
    assert resumed.param_groups[0]["lr"] == opt.param_groups[0]["lr"]

    later = opt.state_dict()["state"].get(0, {})  # and taking a snapshot copies
    for key, value in snapshot.items():
        if isinstance(value, np.ndarray) and key != "step":
            assert not np.array_equal(later[key], value), f"state[{key!r}] did not move"


def test_state_dict_layout_indexes_parameters_across_groups():
    a, b, c = make_param(), make_param(), make_param()
    opt = optim.SGD([{"params": [a, b]}, {"params": [c], "lr": 0.5}], lr=0.1, momentum=0.9)
    c.grad = Tensor(GRADS[0].copy())
    opt.step()
    sd = opt.state_dict()
    assert [g["params"] for g in sd["param_groups"]] == [[0, 1], [2]]
    assert sd["param_groups"][1]["lr"] == 0.5
    assert list(sd["state"]) == [2]
    np.testing.assert_array_equal(sd["state"][2]["momentum_buffer"], GRADS[0])


def test_load_state_dict_rejects_a_mismatched_layout():
    a, b = make_param(), make_param()
    two = optim.SGD([a, b], lr=0.1).state_dict()
    grouped = optim.SGD([{"params": [a]}, {"params": [b]}], lr=0.1).state_dict()
    with pytest.raises(ValueError, match="group 0 has 2 parameters, this optimizer's has 1"):
        optim.SGD([make_param()], lr=0.1).load_state_dict(two)
    with pytest.raises(ValueError, match="has 2 parameter groups, this optimizer has 1"):
        optim.SGD([make_param(), make_param()], lr=0.1).load_state_dict(grouped)
    opt = optim.Adam([a], lr=0.1)
    a.grad = Tensor(GRADS[0].copy())
    opt.step()
    with pytest.raises(ValueError, match=r"state\[0\]\['exp_avg'\] has shape \(4,\)"):
        optim.Adam([make_param([1.0, 2.0])]).load_state_dict(opt.state_dict())


def test_repr_names_the_optimizer_and_its_options():
    text = repr(optim.RMSprop([make_param()], lr=0.05, centered=True))
    assert text.startswith("RMSprop (") and "lr: 0.05" in text and "centered: True" in text


# --- validation ---------------------------------------------------------------------------
BAD_OPTIONS = [
    (optim.SGD, dict(lr=-0.1), ValueError, r"SGD: invalid lr=-0\.1, expected a value >= 0"),
    (optim.SGD, dict(lr=float("nan")), ValueError, "SGD: invalid lr=nan"),
    (optim.SGD, dict(lr="fast"), TypeError, "SGD: lr must be a real number, got 'fast'"),
    (optim.SGD, dict(lr=0.1, momentum=-0.9), ValueError, r"SGD: invalid momentum=-0\.9"),
    (optim.SGD, dict(lr=0.1, dampening=-1), ValueError, "SGD: invalid dampening=-1"),
    (optim.SGD, dict(lr=0.1, weight_decay=-1), ValueError, "SGD: invalid weight_decay=-1"),
    (optim.SGD, dict(lr=0.1, nesterov=True), ValueError,
     "SGD: nesterov=True requires momentum > 0 and dampening = 0, got momentum=0, "
     "dampening=0"),
    (optim.SGD, dict(lr=0.1, momentum=0.9, dampening=0.1, nesterov=True), ValueError,
     r"nesterov=True requires .* got momentum=0\.9, dampening=0\.1"),
    (optim.Adagrad, dict(lr=-1), ValueError, "Adagrad: invalid lr=-1"),
    (optim.Adagrad, dict(lr_decay=-0.5), ValueError, r"Adagrad: invalid lr_decay=-0\.5"),
    (optim.Adagrad, dict(weight_decay=-1), ValueError, "Adagrad: invalid weight_decay=-1"),
    (optim.Adagrad, dict(initial_accumulator_value=-1), ValueError,
     "Adagrad: invalid initial_accumulator_value=-1"),
    (optim.Adagrad, dict(eps=-1e-10), ValueError, "Adagrad: invalid eps=-1e-10"),
    (optim.RMSprop, dict(alpha=-0.5), ValueError, r"RMSprop: invalid alpha=-0\.5"),
    (optim.RMSprop, dict(eps=-1), ValueError, "RMSprop: invalid eps=-1"),
    (optim.RMSprop, dict(momentum=-1), ValueError, "RMSprop: invalid momentum=-1"),
    (optim.RMSprop, dict(weight_decay=-1), ValueError, "RMSprop: invalid weight_decay=-1"),
    (optim.Adam, dict(lr=-1e-3), ValueError, "Adam: invalid lr=-0.001"),
    (optim.Adam, dict(eps=-1e-8), ValueError, "Adam: invalid eps=-1e-08"),
    (optim.Adam, dict(weight_decay=-1), ValueError, "Adam: invalid weight_decay=-1"),
    (optim.Adam, dict(betas=(1.0, 0.999)), ValueError,
     r"Adam: invalid betas\[0\]=1\.0, expected a value in \[0, 1\)"),
    (optim.Adam, dict(betas=(0.9, -0.1)), ValueError, r"Adam: invalid betas\[1\]=-0\.1"),
    (optim.Adam, dict(betas=0.9), TypeError, r"Adam: betas must be a pair \(beta1, beta2\)"),
    (optim.AdamW, dict(betas=(0.9, 1.5)), ValueError, r"AdamW: invalid betas\[1\]=1\.5"),
    (optim.AdamW, dict(weight_decay=-0.01), ValueError, r"AdamW: invalid weight_decay=-0\.01"),
    (optim.Adadelta, dict(rho=1.5), ValueError, r"Adadelta: invalid rho=1\.5, expected a value "
                                                 r"in \[0, 1\]"),
    (optim.Adadelta, dict(lr=-1), ValueError, "Adadelta: invalid lr=-1"),
    (optim.Adadelta, dict(eps=-1), ValueError, "Adadelta: invalid eps=-1"),
]


@pytest.mark.parametrize("cls, kwargs, error, message", BAD_OPTIONS)
def test_bad_options_are_refused_by_name(cls, kwargs, error, message):
    with pytest.raises(error, match=message):
        cls([make_param()], **kwargs)


def test_bad_params_are_refused():
    p = make_param()
    with pytest.raises(TypeError, match="SGD: params must be an iterable of Tensors or of "
                                        "dicts, got a single Tensor"):
        optim.SGD(p, lr=0.1)
    with pytest.raises(ValueError, match="Adam: got an empty parameter list"):
        optim.Adam([])
    with pytest.raises(TypeError, match=r"Adam: can only optimize Tensors, but params\[1\] "
                                        "is a ndarray"):
        optim.Adam([p, np.ones(3)])
    with pytest.raises(TypeError, match="RMSprop: params must be an ordered iterable"):
        optim.RMSprop({p})
    with pytest.raises(TypeError, match="Adagrad: params must be an iterable of Tensors, "
                                        "got int"):
        optim.Adagrad(3)
    with pytest.raises(ValueError, match="AdamW: can't optimize a non-leaf Tensor"):
        optim.AdamW([p * 2.0])


# --- convergence ----------------------------------------------------------------------------
@pytest.mark.parametrize("cls, kwargs", [
    (optim.SGD, dict(lr=0.1)),
    (optim.SGD, dict(lr=0.05, momentum=0.9, nesterov=True)),
    (optim.Adagrad, dict(lr=0.5)),
    (optim.RMSprop, dict(lr=0.01, centered=True)),
    (optim.Adam, dict(lr=0.05)),
    (optim.AdamW, dict(lr=0.05, weight_decay=0.0)),
], ids=lambda v: getattr(v, "__name__", ""))
def test_minimises_an_ill_conditioned_quadratic(cls, kwargs):
    """f(x) = ½ Σ d·(x − c)², gradient d·(x − c), minimum at c."""
    d, c = np.array([1.0, 4.0, 0.25]), np.array([1.0, -2.0, 3.0])
    p = make_param(np.zeros(3))
    opt = cls([p], **kwargs)
    for _ in range(2000):
        p.grad = Tensor(d * (p.numpy() - c))
        opt.step()
    np.testing.assert_allclose(p.numpy(), c, atol=1e-3)


def test_trains_through_the_engine():
    """The training loop end to end: backward fills .grad, step moves .data, zero_grad clears."""
    target = np.array([1.0, -2.0, 3.0])
    w = make_param(np.zeros(3))
    opt = optim.Adam([w], lr=0.1)
    for _ in range(300):
        opt.zero_grad()
        diff = w - Tensor(target)
        loss = (diff * diff).sum()
        loss.backward()
        opt.step()
    np.testing.assert_allclose(w.numpy(), target, atol=1e-3)
