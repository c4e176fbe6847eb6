"""`ag.Function`, PyTorch's custom-op API: forward/backward staticmethods, ctx, apply; checked
with gradcheck, under create_graph (higher order), in forward mode, in the graph picture, and
against PyTorch's own torch.autograd.Function where it is installed."""

import numpy as np
import pytest

import autograd as ag


@pytest.fixture(autouse=True)
def _float64():
    ag.set_default_dtype(np.float64)  # (conftest restores it)


class Exp(ag.Function):
    @staticmethod
    def forward(ctx, x):
        y = x.exp()
        ctx.save_for_backward(y)  # an output: comes back connected to the graph
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * y

    @staticmethod
    def jvp(ctx, dx):
        (y,) = ctx.saved_tensors
        return dx * y


class ScaledMul(ag.Function):
    """out = k·a·b with a non-Tensor argument k."""

    @staticmethod
    def forward(ctx, a, k, b):
        ctx.save_for_backward(a, b)
        ctx.k = k
        ctx.seen = ctx.needs_input_grad
        return a * b * k

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        ga = g * b * ctx.k if ctx.needs_input_grad[0] else None
        gb = g * a * ctx.k if ctx.needs_input_grad[2] else None
        return ga, None, gb


class SumAndDiff(ag.Function):
    """Two outputs: (a + b, a - b)."""

    @staticmethod
    def forward(ctx, a, b):
        return a + b, a - b

    @staticmethod
    def backward(ctx, g_sum, g_diff):
        return g_sum + g_diff, g_sum - g_diff


class ArgmaxAndMax(ag.Function):
    """A differentiable value and a non-differentiable integer index."""

    @staticmethod
    def forward(ctx, x):
        i = ag.tensor(int(np.argmax(x.numpy())))
        ctx.mark_non_differentiable(i)
        ctx.i = int(i.item())
        return x.max(), i

    @staticmethod
    def backward(ctx, g, g_index):
        out = np.zeros(ctx.shape if hasattr(ctx, "shape") else 3)
        out[ctx.i] = 1.0
        return g * ag.Tensor(out)


def x3(seed=0, requires_grad=True):
    data = np.random.default_rng(seed).standard_normal(3)
    return ag.Tensor(data, requires_grad=requires_grad)


def test_apply_value_gradient_and_node():
    x = x3()
    y = Exp.apply(x)
    np.testing.assert_allclose(y.numpy(), np.exp(x.numpy()))
    assert y.grad_fn.name == "Exp" and not y.is_leaf
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.exp(x.numpy()))


def test_gradcheck_in_both_conventions():
    assert ag.gradcheck(Exp.apply, (x3(),))
    assert ag.gradcheck(lambda a, b: ScaledMul.apply(a, 2.5, b), (x3(1), x3(2)))
    assert ag.gradcheck(SumAndDiff.apply, (x3(3), x3(4)), eps=1e-6, atol=1e-5, rtol=1e-3,
                        raise_exception=True)


def test_gradcheck_reports_a_wrong_backward():
    class Wrong(ag.Function):
        @staticmethod
        def forward(ctx, x):
            return x * x

        @staticmethod
        def backward(ctx, g):
            return g  # should be 2·x·g

    assert ag.gradcheck(Wrong.apply, (x3(),), raise_exception=False) is False
    with pytest.raises(ag.GradcheckError, match="input 0"):
        ag.gradcheck(Wrong.apply, (x3(),))


def test_non_tensor_arguments_and_needs_input_grad():
    a, b = x3(1), x3(2, requires_grad=False)
    out = ScaledMul.apply(a, 3.0, b)
    assert out.grad_fn.ctx.seen == (True, False, False)
    out.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), 3.0 * b.numpy())


def test_multiple_outputs_share_one_node():
    a, b = x3(1), x3(2)
    s, d = SumAndDiff.apply(a, b)
    np.testing.assert_allclose(s.numpy(), a.numpy() + b.numpy())
    np.testing.assert_allclose(d.numpy(), a.numpy() - b.numpy())
    nodes = {type(t.grad_fn).__name__ for t in ag.toposort([s, d])}
    assert "SumAndDiff" in nodes
    (2 * s.sum() + 5 * d.sum()).backward()
    np.testing.assert_allclose(a.grad.numpy(), np.full(3, 7.0))
    np.testing.assert_allclose(b.grad.numpy(), np.full(3, -3.0))


def test_unused_output_gets_zeros_or_none():
    a, b = x3(1), x3(2)
    s, _ = SumAndDiff.apply(a, b)
    s.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), np.ones(3))

    seen = []

    class Lazy(ag.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x * 1, x * 2

        @staticmethod
        def backward(ctx, g1, g2):
            seen.append(g2)
            return g1 if g2 is None else g1 + 2 * g2

    x = x3()
    first, _ = Lazy.apply(x)
    first.sum().backward()
    assert seen == [None] and x.grad.tolist() == [1.0, 1.0, 1.0]


def test_non_differentiable_outputs():
    x = x3()
    value, index = ArgmaxAndMax.apply(x)
    assert index.dtype == np.int64 and not index.requires_grad and value.requires_grad
    value.backward()
    expected = np.zeros(3)
    expected[np.argmax(x.numpy())] = 1
    np.testing.assert_array_equal(x.grad.numpy(), expected)


def test_without_grad_apply_records_nothing():
    x = x3(requires_grad=False)
    assert Exp.apply(x).grad_fn is None
    with ag.no_grad():
        assert Exp.apply(x3()).grad_fn is None


def test_higher_order_through_a_tensor_op_backward():
    x = x3()
    (g,) = ag.grad(Exp.apply(x).sum(), x, create_graph=True)
    (gg,) = ag.grad(g.sum(), x)
    np.testing.assert_allclose(gg.numpy(), np.exp(x.numpy()))
    h = ag.hessian(lambda v: Exp.apply(v).sum(), x.detach())
    np.testing.assert_allclose(h.numpy(), np.diag(np.exp(x.numpy())))


def test_forward_mode_with_jvp_and_a_clear_error_without():
    x = x3()
    _, tangent = ag.jvp(Exp.apply, (x,), (ag.Tensor(np.ones(3)),))
    np.testing.assert_allclose(tangent.numpy(), np.exp(x.numpy()))
    with pytest.raises(NotImplementedError, match="SumAndDiff: forward mode needs"):
        ag.jvp(lambda a: SumAndDiff.apply(a, a)[0], (x,), (ag.Tensor(np.ones(3)),))


def test_graph_picture_draws_one_node_named_after_the_class():
    class MyExp(ag.Function):
        forward, backward, jvp = Exp.forward, Exp.backward, Exp.jvp

    x = x3()
    y = MyExp.apply(x)
    assert type(y.grad_fn).__name__ == "MyExp" and y.grad_fn.name == "MyExp"
    dot = ag.viz.to_dot(y.sum(), edge_labels=True)
    assert dot.count("my_exp") == 1


def test_errors_are_clear():
    class TooFew(ag.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, g):
            return g

    with pytest.raises(RuntimeError, match="incorrect number of gradients"):
        TooFew.apply(x3(1), x3(2)).sum().backward()

    class GradForNumber(ag.Function):
        @staticmethod
        def forward(ctx, a, k):
            return a * k

        @staticmethod
        def backward(ctx, g):
            return g, g

    with pytest.raises(RuntimeError, match="not a Tensor"):
        GradForNumber.apply(x3(), 2.0).sum().backward()
    with pytest.raises(RuntimeError, match="apply"):
        Exp()
    with pytest.raises(TypeError, match="only Tensors"):
        class SavesNumber(ag.Function):
            @staticmethod
            def forward(ctx, a):
                ctx.save_for_backward(3)
                return a

        SavesNumber.apply(x3())


def test_torch_autograd_spellings():
    assert ag.autograd.Function is ag.Function and ag.autograd.grad is ag.grad
    x = x3()
    j = ag.autograd.functional.jacobian(lambda v: Exp.apply(v), x)
    np.testing.assert_allclose(j.numpy(), np.diag(np.exp(x.numpy())))
    y = x * 2
    ag.autograd.backward([y.sum(), (y * y).sum()])
    np.testing.assert_allclose(x.grad.numpy(), 2 + 8 * x.numpy())


def test_same_function_in_torch_gives_the_same_gradients():
    torch = pytest.importorskip("torch")

    class TorchScaledMul(torch.autograd.Function):
        forward = ScaledMul.forward
        backward = ScaledMul.backward

    a, b = x3(1), x3(2)
    ta, tb = (torch.tensor(v.numpy(), requires_grad=True) for v in (a, b))
    (ScaledMul.apply(a, 1.5, b) ** 2).sum().backward()
    (TorchScaledMul.apply(ta, 1.5, tb) ** 2).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), ta.grad.numpy())
    np.testing.assert_allclose(b.grad.numpy(), tb.grad.numpy())


def test_torch_autograd_functional_conventions_match_torch():
    torch = pytest.importorskip("torch")
    xv, yv = np.array([1.0, 2.0]), np.array([3.0, -4.0])
    cases = [
        ("jacobian", lambda lib: (lambda x, y: (x * y).sum() * x), lambda lib: (
            lib.tensor(xv), lib.tensor(yv)), {}),
        ("jacobian", lambda lib: (lambda x: x.exp() * x), lambda lib: lib.tensor(xv),
         {}),
        ("hessian", lambda lib: (lambda x: (x * x * x).sum()), lambda lib: lib.tensor(xv), {}),
        ("vjp", lambda lib: (lambda x: x * x), lambda lib: lib.tensor(xv),
         {"v": "ones"}),
        ("jvp", lambda lib: (lambda x: x * x), lambda lib: lib.tensor(xv), {"v": "ones"}),
    ]
    for name, func, inputs, kw in cases:
        results = []
        for lib in (ag, torch):
            kwargs = {k: (lib.ones(2, dtype=lib.float64) if v == "ones" else v)
                      for k, v in kw.items()}
            results.append(getattr(lib.autograd.functional, name)(func(lib), inputs(lib),
                                                                  **kwargs))
        ours, theirs = (r if isinstance(r, tuple) else (r,) for r in results)
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(a.numpy(), b.detach().numpy(), rtol=1e-6)
    with pytest.raises(NotImplementedError, match="create_graph"):
        ag.autograd.functional.jacobian(lambda x: x, ag.tensor(xv), create_graph=True)
    j = ag.autograd.functional.jacobian(lambda x: x * 2, ag.tensor(xv), vectorize=True)
    np.testing.assert_array_equal(j.numpy(), 2 * np.eye(2))
    j = ag.autograd.functional.jacobian(lambda x: x.exp(), ag.tensor(xv), strategy="forward-mode")
    np.testing.assert_allclose(j.numpy(), np.diag(np.exp(xv)))


def test_grad_with_pytorch_keywords():
    x, z = x3(1), x3(2)
    gx, gz = ag.grad((x * 2).sum(), [x, z])
    assert gx.tolist() == [2.0] * 3 and gz.tolist() == [0.0] * 3  # SPEC: zeros
    gx, gz = ag.autograd.grad((x * 2).sum(), [x, z], allow_unused=True)
    assert gx.tolist() == [2.0] * 3 and gz is None  # PyTorch: None
    _, gz = ag.grad((x * 2).sum(), [x, z], allow_unused=True, materialize_grads=True)
    assert gz.tolist() == [0.0] * 3
    assert ag.grad is ag.autograd.grad
    with pytest.raises(NotImplementedError, match="is_grads_batched"):
        ag.grad((x * 2).sum(), x, is_grads_batched=True)


def test_grad_allow_unused_matches_torch():
    torch = pytest.importorskip("torch")
    results = []
    for lib in (ag, torch):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        z = lib.tensor([3.0], requires_grad=True)
        results.append(lib.autograd.grad((x * x).sum(), [x, z], allow_unused=True))
    assert results[0][1] is None and results[1][1] is None
    np.testing.assert_allclose(results[0][0].numpy(), results[1][0].numpy())


class SplitStyleExp(ag.Function):
    """PyTorch 2's style: forward without ctx, setup_context saves; jvp via save_for_forward."""

    @staticmethod
    def forward(x):
        return x.exp()

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_forward(output)

    backward, jvp = staticmethod(Exp.backward), staticmethod(Exp.jvp)


def test_setup_context_style_and_save_for_forward():
    x = x3()
    assert ag.gradcheck(SplitStyleExp.apply, (x,))
    _, t = ag.jvp(SplitStyleExp.apply, (x,), (ag.Tensor(np.ones(3)),))
    np.testing.assert_allclose(t.numpy(), np.exp(x.numpy()))


def test_once_differentiable():
    from autograd.function import once_differentiable

    class Square(ag.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @once_differentiable
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return ag.Tensor(2 * x.numpy() * g.numpy())

    x = x3()
    Square.apply(x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * x.numpy())
    with pytest.raises(RuntimeError, match="once_differentiable"):
        ag.grad(Square.apply(x).sum(), x, create_graph=True)


def test_forward_mode_with_several_outputs():
    class SinCos(ag.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.sin(), x.cos(), ag.tensor(3)

        @staticmethod
        def backward(ctx, gs, gc, _):
            (x,) = ctx.saved_tensors
            return gs * x.cos() - gc * x.sin()

        @staticmethod
        def jvp(ctx, dx):
            (x,) = ctx.saved_tensors
            return dx * x.cos(), -dx * x.sin(), None

    x = x3()
    _, t = ag.jvp(lambda v: SinCos.apply(v)[1], (x,), (ag.Tensor(np.ones(3)),))
    np.testing.assert_allclose(t.numpy(), -np.sin(x.numpy()))
    assert ag.gradcheck(lambda v: SinCos.apply(v)[:2], (x,))


def test_gradgradcheck():
    class Cube(ag.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * g * x * x

    class WrongSecond(Cube):
        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * g * (x * x).detach()  # right value, no second derivative

    assert ag.gradgradcheck(Cube.apply, (x3(),))
    assert ag.autograd.gradgradcheck(lambda v: (v.exp() * v).sum(), (x3(),))
    assert ag.gradcheck(WrongSecond.apply, (x3(),))
    assert not ag.gradgradcheck(WrongSecond.apply, (x3(),), raise_exception=False)
