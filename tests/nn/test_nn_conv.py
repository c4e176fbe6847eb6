"""The sliding-window primitive, conv2d and max_pool2d against naive NumPy loops, and their
gradients (reverse and forward mode) against finite differences, in float64."""

import itertools

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
from autograd import Tensor
from autograd.ops.windows import col2im

CASES = [  # kernel, stride, padding
    ((3, 3), 1, 0),
    ((3, 3), 1, 1),
    ((3, 3), 2, 0),
    ((3, 3), 2, 1),
    ((2, 3), (2, 1), (0, 1)),
    ((1, 1), 1, 0),
    ((4, 2), (1, 3), (2, 1)),
]


pytestmark = pytest.mark.usefixtures("float64")


def _pairs(*values):
    return [(v, v) if isinstance(v, int) else tuple(v) for v in values]


def conv2d_reference(x, w, b, stride, padding):
    (sh, sw), (ph, pw) = _pairs(stride, padding)
    n, _, h, wd = x.shape
    o, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    oh, ow = (h + 2 * ph - kh) // sh + 1, (wd + 2 * pw - kw) // sw + 1
    out = np.zeros((n, o, oh, ow))
    for i_n, i_o, i, j in itertools.product(range(n), range(o), range(oh), range(ow)):
        patch = xp[i_n, :, i * sh:i * sh + kh, j * sw:j * sw + kw]
        out[i_n, i_o, i, j] = np.sum(patch * w[i_o]) + (0 if b is None else b[i_o])
    return out


def max_pool2d_reference(x, kernel, stride, padding):
    (kh, kw), (sh, sw), (ph, pw) = _pairs(kernel, stride, padding)
    n, c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=-np.inf)
    oh, ow = (h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1
    out = np.zeros((n, c, oh, ow))
    for i, j in itertools.product(range(oh), range(ow)):
        out[:, :, i, j] = xp[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw].max(axis=(2, 3))
    return out


def windows_reference(x, kernel, stride, padding):
    (kh, kw), (sh, sw), (ph, pw) = _pairs(kernel, stride, padding)
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    oh, ow = (xp.shape[2] - kh) // sh + 1, (xp.shape[3] - kw) // sw + 1
    out = np.zeros(x.shape[:2] + (kh, kw, oh, ow))
    for p, q, i, j in itertools.product(range(kh), range(kw), range(oh), range(ow)):
        out[:, :, p, q, i, j] = xp[:, :, i * sh + p, j * sw + q]
    return out


@pytest.mark.parametrize("kernel, stride, padding", CASES)
def test_sliding_windows_match_loop(kernel, stride, padding):
    x = np.random.default_rng(0).standard_normal((2, 3, 7, 6))
    got = ag.sliding_windows(Tensor(x), kernel, stride, padding)
    np.testing.assert_array_equal(got.numpy(), windows_reference(x, kernel, stride, padding))


@pytest.mark.parametrize("kernel, stride, padding", CASES)
def test_windows_gradient_and_adjoint(kernel, stride, padding):
    rng = np.random.default_rng(1)
    x = Tensor(rng.standard_normal((2, 2, 5, 6)), requires_grad=True)
    assert ag.gradcheck(lambda t: ag.sliding_windows(t, kernel, stride, padding), [x])
    # Col2Im is the adjoint: <im2col(x), g> == <x, col2im(g)>, and its own rules check out.
    g = rng.standard_normal(ag.sliding_windows(x, kernel, stride, padding).shape)
    back = col2im(Tensor(g), x.shape, kernel, stride, padding)
    windows = ag.sliding_windows(x, kernel, stride, padding).numpy()
    np.testing.assert_allclose(np.sum(windows * g), np.sum(x.numpy() * back.numpy()), rtol=1e-12)
    assert ag.gradcheck(lambda t: col2im(t, x.shape, kernel, stride, padding),
                        [Tensor(g, requires_grad=True)])


@pytest.mark.parametrize("kernel, stride, padding", CASES[:4])
def test_windows_forward_mode_matches_reverse(kernel, stride, padding):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((1, 2, 6, 5))
    v = rng.standard_normal(x.shape)

    def f(t):
        return (ag.sliding_windows(t, kernel, stride, padding) ** 2).sum(axis=(2, 3))

    out, jv = ag.jvp(f, Tensor(x), Tensor(v))
    u = rng.standard_normal(out.shape)
    _, (vjp,) = ag.vjp(f, (Tensor(x),), Tensor(u))
    np.testing.assert_allclose(np.sum(u * jv.numpy()), np.sum(vjp.numpy() * v), rtol=1e-10)


def test_windows_errors_name_the_op_and_shapes():
    with pytest.raises(ag.ShapeError, match=r"sliding_windows.*\(2, 3, 4\)"):
        ag.sliding_windows(Tensor(np.zeros((2, 3, 4))), 2)
    with pytest.raises(ag.ShapeError, match="larger than the padded input"):
        ag.sliding_windows(Tensor(np.zeros((1, 1, 2, 2))), 3)
    with pytest.raises(ValueError, match="stride must be at least 1"):
        ag.sliding_windows(Tensor(np.zeros((1, 1, 4, 4))), 2, stride=0)
    with pytest.raises(TypeError, match="kernel_size must be an int or a pair"):
        ag.sliding_windows(Tensor(np.zeros((1, 1, 4, 4))), 2.5)


@pytest.mark.parametrize("kernel, stride, padding", CASES)
@pytest.mark.parametrize("bias", [True, False])
def test_conv2d_matches_loop(kernel, stride, padding, bias):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 3, 7, 6))
    w = rng.standard_normal((4, 3) + kernel)
    b = rng.standard_normal(4) if bias else None
    got = F.conv2d(Tensor(x), Tensor(w), None if b is None else Tensor(b), stride, padding)
    np.testing.assert_allclose(got.numpy(), conv2d_reference(x, w, b, stride, padding), atol=1e-12)


@pytest.mark.parametrize("kernel, stride, padding", CASES[:5])
def test_conv2d_gradients(kernel, stride, padding):
    rng = np.random.default_rng(4)
    x = Tensor(rng.standard_normal((2, 2, 5, 5)), requires_grad=True)
    w = Tensor(rng.standard_normal((3, 2) + kernel), requires_grad=True)
    b = Tensor(rng.standard_normal(3), requires_grad=True)
    assert ag.gradcheck(lambda x, w, b: F.conv2d(x, w, b, stride, padding), [x, w, b])


def grouped_conv2d_reference(x, w, b, padding, dilation, groups):
    """Stride-1 conv2d with padding, dilation and groups, as loops over taps."""
    (ph, pw), (dh, dw) = _pairs(padding, dilation)
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    oh, ow = xp.shape[2] - dh * (kh - 1), xp.shape[3] - dw * (kw - 1)
    out = np.zeros((n, o, oh, ow)) + (0 if b is None else b.reshape(-1, 1, 1))
    for i_o, p, q in itertools.product(range(o), range(kh), range(kw)):
        g = i_o // (o // groups)
        patch = xp[:, g * cg:(g + 1) * cg, p * dh:p * dh + oh, q * dw:q * dw + ow]
        out[:, i_o] += np.einsum("nchw,c->nhw", patch, w[i_o, :, p, q])
    return out


# channels in, out, kernel, padding, dilation, groups, x needs a gradient, layout expected
LAYOUTS = [
    (1, 8, 3, 0, 1, 1, False, "pixels"),  # the small CNN's first layer
    (8, 4, 3, 1, 1, 1, True, "rows"),  # its second: many taps, few outputs
    (4, 6, (2, 3), (1, 0), (2, 1), 2, True, "rows"),
    (2, 8, 2, 0, 1, 1, True, "pixels"),
    (3, 2, 3, 1, 2, 1, False, "rows"),
]


@pytest.mark.parametrize("c, o, kernel, padding, dilation, groups, x_grad, layout", LAYOUTS)
def test_conv2d_window_layouts(c, o, kernel, padding, dilation, groups, x_grad, layout):
    """Stride-1 convolutions take the wide-row layout or the per-pixel one (whichever copies
    fewer short rows); both give the loops' values and finite differences' gradients."""
    rng = np.random.default_rng(7)
    kh, kw = _pairs(kernel)[0]
    x = Tensor(rng.standard_normal((2, c, 5, 6)), requires_grad=x_grad)
    w = Tensor(rng.standard_normal((o, c // groups, kh, kw)), requires_grad=True)
    b = Tensor(rng.standard_normal(o), requires_grad=True)
    out = F.conv2d(x, w, b, 1, padding, dilation, groups)
    want = grouped_conv2d_reference(x.numpy(), w.numpy(), b.numpy(), padding, dilation, groups)
    np.testing.assert_allclose(out.numpy(), want, atol=1e-12)
    crop = out.grad_fn  # wide rows carry unused columns, which it drops
    assert type(crop).__name__ == "Unwiden" and (crop.width > out.shape[3]) == (layout == "rows")
    tensors = [x, w, b] if x_grad else [w, b]
    assert ag.gradcheck(lambda *ts: F.conv2d(*([x] if not x_grad else []), *ts, 1, padding,
                                             dilation, groups), tensors)
    without_bias = F.conv2d(x, w, None, 1, padding, dilation, groups)
    np.testing.assert_allclose(without_bias.numpy(), want - b.numpy().reshape(-1, 1, 1),
                               atol=1e-12)


def test_conv2d_wide_rows_keep_an_inf_out_of_other_taps_gradients():
    """An inf that only one tap sees makes that tap's weight gradient inf, and no other's NaN
    (the wide rows' unused columns would pair it with a zero cotangent)."""
    x = np.zeros((1, 8, 5, 6))
    x[0, 0, 0, 5] = np.inf  # the top-right corner: seen by tap (0, 2) of output (0, 3) only
    w = Tensor(np.ones((2, 8, 3, 3)), requires_grad=True)
    out = F.conv2d(Tensor(x, requires_grad=True), w)
    assert out.grad_fn.width > out.shape[3]  # the wide-row layout
    out.sum().backward()
    grad = w.grad.numpy()
    assert np.isposinf(grad[:, 0, 0, 2]).all()
    grad[:, 0, 0, 2] = 0
    np.testing.assert_array_equal(grad, 0.0)


def test_conv2d_second_derivative():
    rng = np.random.default_rng(5)
    w = Tensor(rng.standard_normal((2, 1, 2, 2)), requires_grad=True)
    x = Tensor(rng.standard_normal((1, 1, 4, 4)), requires_grad=True)

    def grad_wrt_x(x):
        (g,) = ag.grad((F.conv2d(x, w, padding=1) ** 3).sum(), x, create_graph=True)
        return g

    assert ag.gradcheck(grad_wrt_x, [x])


@pytest.mark.parametrize("kernel, stride, padding",
                         [(2, None, 0), (3, 1, 1), (3, 2, 1), ((2, 3), (1, 2), (1, 1)), (2, 1, 0)])
def test_max_pool2d_matches_loop_and_gradient(kernel, stride, padding):
    rng = np.random.default_rng(6)
    x = rng.standard_normal((2, 3, 7, 6))  # continuous values: no ties
    got = F.max_pool2d(Tensor(x), kernel, stride, padding)
    expected = max_pool2d_reference(x, kernel, kernel if stride is None else stride, padding)
    np.testing.assert_array_equal(got.numpy(), expected)
    assert np.isfinite(got.numpy()).all()
    small = Tensor(rng.standard_normal((1, 2, 5, 4)), requires_grad=True)
    assert ag.gradcheck(lambda t: F.max_pool2d(t, kernel, stride, padding), [small])


def test_max_pool2d_padding_never_wins_and_the_first_tie_takes_all():
    x = Tensor(-np.ones((1, 1, 2, 2)) * 1e30, requires_grad=True)
    out = F.max_pool2d(x, 3, stride=1, padding=1)  # every window holds padding and -1e30s
    np.testing.assert_array_equal(out.numpy(), np.full((1, 1, 2, 2), -1e30))
    x = Tensor(np.ones((1, 1, 2, 2)), requires_grad=True)
    F.max_pool2d(x, 2).sum().backward()  # a four-way tie: the first in row-major order wins
    np.testing.assert_array_equal(x.grad.numpy(), [[[[1.0, 0.0], [0.0, 0.0]]]])
    x = Tensor(np.array([[[[0.0, 2.0, 2.0], [2.0, 1.0, 2.0]]]]), requires_grad=True)
    F.max_pool2d(x, 2, stride=1).sum().backward()  # overlapping windows: the scatter adds
    np.testing.assert_array_equal(x.grad.numpy(), [[[[0.0, 2.0, 0.0], [0.0, 0.0, 0.0]]]])
    x = Tensor(np.full((1, 1, 2, 3), -np.inf), requires_grad=True)
    F.max_pool2d(x, 3, stride=1, padding=1).sum().backward()  # all -inf: first real entry
    np.testing.assert_array_equal(x.grad.numpy(), [[[[4.0, 2.0, 0.0], [0.0, 0.0, 0.0]]]])
    with ag.detect_anomaly():  # the padding is finite, so anomaly mode stays quiet
        F.max_pool2d(Tensor(np.ones((1, 1, 3, 3)), requires_grad=True), 2, 1, 1).sum().backward()


def test_max_pool2d_errors():
    with pytest.raises(ValueError, match="at most half the kernel"):
        F.max_pool2d(Tensor(np.zeros((1, 1, 4, 4))), 2, padding=2)
    with pytest.raises(ag.ShapeError, match=r"max_pool2d.*\(4, 4\)"):
        F.max_pool2d(Tensor(np.zeros((4, 4))), 2)


def test_conv2d_shape_errors():
    w = Tensor(np.zeros((4, 3, 3, 3)))
    with pytest.raises(ag.ShapeError,
                       match=r"conv2d: input of shape \(2, 2, 5, 5\).*\(4, 3, 3, 3\)"):
        F.conv2d(Tensor(np.zeros((2, 2, 5, 5))), w)
    with pytest.raises(ag.ShapeError, match=r"bias must have shape \(4,\)"):
        F.conv2d(Tensor(np.zeros((2, 3, 5, 5))), w, Tensor(np.zeros(3)))
    with pytest.raises(ag.ShapeError, match="larger than the padded input"):
        F.conv2d(Tensor(np.zeros((2, 3, 2, 2))), w)


def test_conv2d_unbatched_input():
    rng = np.random.default_rng(7)
    x, w = rng.standard_normal((3, 5, 5)), rng.standard_normal((2, 3, 3, 3))
    got = F.conv2d(Tensor(x), Tensor(w), padding=1)
    np.testing.assert_allclose(got.numpy(), conv2d_reference(x[None], w, None, 1, 1)[0])


def test_conv2d_layer_init_keys_and_repr():
    nn.manual_seed(0)
    conv = nn.Conv2d(2, 4, 3, padding=1)
    assert list(conv.state_dict()) == ["weight", "bias"]
    assert conv.weight.shape == (4, 2, 3, 3) and conv.bias.shape == (4,)
    bound = 1 / np.sqrt(2 * 9)
    assert np.abs(conv.weight.numpy()).max() <= bound and np.abs(conv.bias.numpy()).max() <= bound
    assert repr(conv) == "Conv2d(2, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))"
    assert repr(nn.Conv2d(1, 2, (2, 3), stride=2, bias=False)) == (
        "Conv2d(1, 2, kernel_size=(2, 3), stride=(2, 2), bias=False)")
    assert repr(nn.MaxPool2d(2)) == (
        "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)")
    x = np.random.default_rng(8).standard_normal((2, 2, 6, 6))
    np.testing.assert_allclose(conv(Tensor(x)).numpy(), conv2d_reference(
        x, conv.weight.numpy(), conv.bias.numpy(), 1, 1), atol=1e-12)
    assert conv(x.astype(np.float32)).dtype == np.float64  # raw arrays take the weight's dtype


def test_conv_layer_parameter_gradients_match_finite_differences():
    nn.manual_seed(1)
    model = nn.Sequential(nn.Conv2d(1, 2, 3, stride=2, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(2 * 2 * 2, 3))
    x = Tensor(np.random.default_rng(9).standard_normal((2, 1, 7, 7)))
    u = np.random.default_rng(10).standard_normal((2, 3))

    def loss():
        return (model(x) * Tensor(u)).sum()

    loss().backward()
    for name, p in model.named_parameters():
        flat, numeric = p.numpy().reshape(-1), np.zeros(p.numel())
        for j in range(p.numel()):
            saved = flat[j]
            flat[j] = saved + 1e-6
            plus = loss().item()
            flat[j] = saved - 1e-6
            numeric[j] = (plus - loss().item()) / 2e-6
            flat[j] = saved
        np.testing.assert_allclose(p.grad.numpy().reshape(-1), numeric, rtol=1e-5, atol=1e-7,
                                   err_msg=name)
