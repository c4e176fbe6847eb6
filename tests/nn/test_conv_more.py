"""Conv1d, grouped and dilated convolution, ConvTranspose2d, average and adaptive pooling,
MaxPool1d, F.pad, F.interpolate and Upsample: side by side with PyTorch from the same weights
(values, input and parameter gradients), state_dict keys, reprs, init, and gradcheck in
float64."""

import numpy as np
import pytest
from torch_reference import compare, needs_torch, rand, torch

import autograd as ag
import nn
import nn.functional as F
import optim
from autograd import Tensor

if torch is not None:
    tnn, TF = torch.nn, torch.nn.functional

pytestmark = [pytest.mark.usefixtures("float64"),
              # PyTorch's own note on even kernels with padding="same"
              pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")]

LAYERS = [
    (lambda lib: lib.Conv1d(2, 4, 3), rand(2, 2, 7)),
    (lambda lib: lib.Conv1d(4, 6, 3, stride=2, padding=1, groups=2), rand(2, 4, 9)),
    (lambda lib: lib.Conv1d(3, 3, 2, dilation=2, groups=3, bias=False), rand(2, 3, 8)),
    (lambda lib: lib.Conv1d(2, 3, 4, padding="same"), rand(1, 2, 6)),
    (lambda lib: lib.Conv1d(2, 3, 3, padding=2, padding_mode="reflect"), rand(2, 2, 5)),
    (lambda lib: lib.Conv1d(2, 3, 3), rand(2, 6)),  # unbatched
    (lambda lib: lib.Conv2d(4, 6, 3, padding=1, groups=2), rand(2, 4, 5, 5)),
    (lambda lib: lib.Conv2d(2, 4, (2, 3), dilation=(2, 1), stride=(1, 2)), rand(2, 2, 6, 7)),
    (lambda lib: lib.Conv2d(2, 2, 3, padding="same", dilation=2), rand(1, 2, 6, 5)),
    (lambda lib: lib.Conv2d(2, 3, 2, padding="same"), rand(1, 2, 4, 5)),
    (lambda lib: lib.Conv2d(2, 3, 3, padding=(1, 2), padding_mode="replicate"), rand(1, 2, 4, 5)),
    (lambda lib: lib.Conv2d(2, 3, 3, padding=1, padding_mode="circular"), rand(1, 2, 4, 5)),
    (lambda lib: lib.Conv2d(2, 3, 3, padding="valid"), rand(1, 2, 4, 5)),
    (lambda lib: lib.ConvTranspose2d(2, 3, 3), rand(2, 2, 4, 3)),
    (lambda lib: lib.ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1),
     rand(2, 2, 4, 3)),
    (lambda lib: lib.ConvTranspose2d(4, 6, (2, 3), stride=(2, 1), groups=2, bias=False),
     rand(1, 4, 3, 3)),
    (lambda lib: lib.ConvTranspose2d(2, 2, 3, dilation=2, padding=2, stride=3,
                                     output_padding=(2, 1)), rand(1, 2, 3, 4)),
    (lambda lib: lib.ConvTranspose2d(2, 3, 3, stride=2), rand(2, 4, 3)),  # unbatched
    (lambda lib: lib.ConvTranspose1d(2, 3, 3, stride=2, padding=1, output_padding=1),
     rand(2, 2, 5)),
    (lambda lib: lib.ConvTranspose1d(4, 2, 2, groups=2, dilation=2, bias=False), rand(4, 3)),
    (lambda lib: lib.AvgPool1d(3, stride=2, padding=1), rand(2, 3, 8)),
    (lambda lib: lib.AvgPool1d(2, count_include_pad=False, padding=1), rand(3, 5)),
    (lambda lib: lib.AdaptiveAvgPool1d(3), rand(2, 3, 7)),
    (lambda lib: lib.AdaptiveAvgPool1d(4), rand(2, 3)),
    (lambda lib: lib.AvgPool2d(2), rand(2, 3, 6, 5)),
    (lambda lib: lib.AvgPool2d(3, stride=2, padding=1), rand(2, 3, 7, 6)),
    (lambda lib: lib.AvgPool2d(3, stride=1, padding=1, count_include_pad=False), rand(1, 2, 4, 5)),
    (lambda lib: lib.AvgPool2d((2, 3), stride=(1, 2), divisor_override=4), rand(1, 2, 4, 7)),
    (lambda lib: lib.AdaptiveAvgPool2d(1), rand(2, 3, 4, 5)),
    (lambda lib: lib.AdaptiveAvgPool2d((2, 3)), rand(2, 3, 4, 6)),
    (lambda lib: lib.AdaptiveAvgPool2d((3, 4)), rand(1, 2, 5, 7)),  # overlapping windows
    (lambda lib: lib.AdaptiveAvgPool2d((None, 2)), rand(1, 2, 3, 5)),
    (lambda lib: lib.AdaptiveAvgPool2d((6, 8)), rand(2, 5, 3)),  # larger than the input
    (lambda lib: lib.MaxPool1d(3), rand(2, 3, 10)),
    (lambda lib: lib.MaxPool1d(3, stride=2, padding=1, dilation=2), rand(2, 3, 9)),
    (lambda lib: lib.MaxPool1d(2), rand(3, 8)),  # unbatched
    (lambda lib: lib.MaxPool2d(2, stride=1, dilation=2), rand(1, 2, 5, 6)),
    (lambda lib: lib.Upsample(scale_factor=2), rand(1, 2, 3, 4)),
    (lambda lib: lib.Upsample(size=(5, 7)), rand(1, 2, 3, 4)),
    (lambda lib: lib.Upsample(scale_factor=1.7, mode="nearest-exact"), rand(1, 2, 3, 4)),
    (lambda lib: lib.Upsample(size=5), rand(2, 3, 3)),
    (lambda lib: lib.UpsamplingNearest2d(scale_factor=3), rand(1, 1, 2, 2)),
    (lambda lib: lib.ZeroPad2d((1, 2, 0, 1)), rand(1, 2, 3, 3)),
    (lambda lib: lib.ZeroPad1d(2), rand(2, 3)),
    (lambda lib: lib.ConstantPad2d(1, 2.5), rand(1, 2, 3, 3)),
    (lambda lib: lib.ConstantPad1d((0, 2), -1.0), rand(1, 2, 3)),
    (lambda lib: lib.ReflectionPad2d((2, 1, 1, 2)), rand(1, 2, 3, 4)),
    (lambda lib: lib.ReflectionPad1d(2), rand(1, 2, 4)),
    (lambda lib: lib.ReplicationPad2d(2), rand(1, 2, 3, 3)),
    (lambda lib: lib.ReplicationPad1d((3, 0)), rand(1, 2, 3)),
    (lambda lib: lib.CircularPad2d((1, 2, 2, 1)), rand(1, 2, 3, 3)),
    (lambda lib: lib.CircularPad1d(1), rand(1, 2, 3)),
    (lambda lib: lib.PixelShuffle(2), rand(2, 8, 2, 3)),
    (lambda lib: lib.PixelUnshuffle(2), rand(2, 4, 6)),
]


@needs_torch
@pytest.mark.parametrize("make, x", LAYERS)
def test_layers_match_pytorch(make, x):
    compare(make(nn), make(tnn), x)


@needs_torch
def test_state_dict_keys_shapes_and_reprs_match_pytorch():
    def build(lib):
        return lib.Sequential(
            lib.Conv1d(2, 4, 3, groups=2, bias=False), lib.Conv1d(4, 4, 3, padding="same"),
            lib.MaxPool1d(2), lib.Conv2d(4, 6, 3, dilation=2, groups=2),
            lib.Conv2d(2, 2, 3, padding=1, padding_mode="reflect"),
            lib.ConvTranspose2d(6, 4, 3, stride=2, output_padding=1, groups=2),
            lib.ConvTranspose2d(2, 2, 3, dilation=2, bias=False), lib.AvgPool2d(2),
            lib.AdaptiveAvgPool2d((2, None)), lib.Upsample(scale_factor=2), lib.Upsample(size=3),
            lib.ZeroPad2d(1), lib.ConstantPad2d((1, 2, 3, 4), 0.5), lib.ReflectionPad2d(1),
            lib.ReplicationPad1d((1, 2)), lib.CircularPad2d(1), lib.PixelShuffle(2),
            lib.PixelUnshuffle(3), lib.UpsamplingNearest2d(scale_factor=2),
            lib.ConvTranspose1d(2, 4, 3, stride=2, output_padding=1), lib.AvgPool1d(3),
            lib.AvgPool1d(2, stride=1, padding=1), lib.AdaptiveAvgPool1d(5))

    ours, theirs = build(nn), build(tnn)
    assert [(k, v.shape) for k, v in ours.state_dict().items()] == \
        [(k, tuple(v.shape)) for k, v in theirs.state_dict().items()]
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("make", [
    lambda lib: lib.Conv1d(6, 4, 3, groups=2),
    lambda lib: lib.Conv2d(6, 4, (3, 2), groups=2),
    lambda lib: lib.ConvTranspose2d(6, 4, 3, groups=2),
    lambda lib: lib.ConvTranspose2d(3, 5, (2, 4)),
])
def test_init_bounds_follow_pytorch_fans(make):
    """kaiming_uniform_(a=√5) gives U(±1/√fan_in), fan_in = weight.shape[1]·kernel area, and
    the bias U(±1/√fan_in): with groups, fan_in counts one group; transposed, out_channels."""
    ours = make(nn)
    fan_in = ours.weight.shape[1] * int(np.prod(ours.weight.shape[2:]))
    bound = 1 / np.sqrt(fan_in)
    for p in (ours.weight, ours.bias):
        values = p.numpy()
        assert np.abs(values).max() <= bound
        assert np.abs(values).max() > 0.6 * bound  # really spread over the interval


@pytest.mark.parametrize("fn, x_shape, w_shape", [
    (lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=1, dilation=2, groups=2),
     (1, 2, 7), (2, 1, 2)),
    (lambda x, w, b: F.conv2d(x, w, b, padding=1, dilation=(1, 2), groups=2),
     (1, 2, 4, 5), (2, 1, 2, 2)),
    (lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1,
                                        groups=2), (1, 2, 3, 2), (2, 1, 2, 3)),
    (lambda x, w, b: F.conv_transpose2d(x, w, None, stride=(1, 2), dilation=2),
     (1, 2, 3, 2), (2, 1, 2, 2)),
    (lambda x, w, b: F.conv_transpose1d(x, w, b, stride=3, padding=1, output_padding=2),
     (2, 2, 3), (2, 2, 3)),
])
def test_conv_gradcheck(fn, x_shape, w_shape):
    x = Tensor(rand(*x_shape), requires_grad=True)
    w = Tensor(rand(*w_shape, seed=1), requires_grad=True)
    b = Tensor(rand(2, seed=2), requires_grad=True)  # two output channels in every case
    assert ag.gradcheck(fn, [x, w, b])


@pytest.mark.parametrize("fn", [
    lambda x: F.avg_pool2d(x, 2, 1, 1, count_include_pad=False),
    lambda x: F.avg_pool2d(x, (3, 2), (2, 1), (1, 0)),
    lambda x: F.adaptive_avg_pool2d(x, (3, 2)),
    lambda x: F.max_pool1d(x.reshape(2, 2, 10), 3, 2, 1),
    lambda x: F.pad(x, (1, 2, 2, 1), mode="reflect"),
    lambda x: F.pad(x, (2, 0, 1, 3), mode="replicate"),
    lambda x: F.pad(x, (3, 1, 0, 4), mode="circular"),
    lambda x: F.pad(x, (1, -2, 1, 0, 0, 1), value=2.5),
    lambda x: F.interpolate(x, scale_factor=(2, 1.5)),
    lambda x: F.interpolate(x, size=3, mode="nearest-exact"),
    lambda x: F.pixel_shuffle(x.reshape(1, 8, 1, 5), 2),
    lambda x: F.avg_pool1d(x.reshape(2, 2, 10), 3, 2, 1, count_include_pad=False),
    lambda x: F.adaptive_avg_pool1d(x.reshape(2, 2, 10), 4),
    lambda x: F.pixel_unshuffle(x[:, :, :, :4], 2),
])
def test_pool_pad_interpolate_gradcheck(fn):
    x = Tensor(rand(1, 2, 4, 5) + np.arange(20).reshape(4, 5), requires_grad=True)  # no ties
    assert ag.gradcheck(fn, [x])


@needs_torch
@pytest.mark.parametrize("args", [
    ((1, 2), {}), ((1, 2, 0, 1), {"value": -3.0}), ((2, -1, 1, 1, 1, 0), {}),
    ((2, 3, 1, 0), {"mode": "reflect"}), ((1, 2, 2, 0), {"mode": "reflect"}),
    ((3, 1, 2, 2), {"mode": "replicate"}), ((4, 4, 3, 2), {"mode": "circular"}),
])
def test_pad_matches_pytorch(args):
    widths, kwargs = args
    x = rand(2, 3, 4, 5)
    np.testing.assert_array_equal(F.pad(Tensor(x), widths, **kwargs).numpy(),
                                  TF.pad(torch.tensor(x), widths, **kwargs).numpy())


@needs_torch
@pytest.mark.parametrize("shape, kwargs", [
    ((1, 2, 5), {"scale_factor": 2}), ((1, 2, 5), {"size": 3}), ((1, 2, 5), {"size": 12}),
    ((1, 1, 4, 6), {"scale_factor": (0.5, 1.5)}), ((1, 1, 5, 7), {"scale_factor": 1.3}),
    ((1, 1, 5, 7), {"scale_factor": 2.6, "recompute_scale_factor": True}),
    ((1, 1, 3, 4), {"size": (7, 5), "mode": "nearest-exact"}),
    ((1, 1, 2, 3, 4), {"scale_factor": (2, 1, 0.5)}), ((1, 1, 9), {"scale_factor": 0.3}),
])
def test_interpolate_matches_pytorch(shape, kwargs):
    x = rand(*shape)
    np.testing.assert_array_equal(F.interpolate(Tensor(x), **kwargs).numpy(),
                                  TF.interpolate(torch.tensor(x), **kwargs).numpy())


def test_conv_transpose_output_size_and_adjointness():
    """conv_transpose2d is conv2d's adjoint in its input: <conv2d(y, W), x> = <y, convT(x, W)>,
    and output_size picks the output_padding as PyTorch's does."""
    w, x = rand(3, 2, 3, 3), rand(1, 3, 4, 4, seed=1)
    y = rand(1, 2, 8, 8, seed=2)
    lhs = np.sum(F.conv2d(Tensor(y), Tensor(w), stride=2, padding=1).numpy() * x)
    rhs = np.sum(y * F.conv_transpose2d(Tensor(x), Tensor(w), stride=2, padding=1,
                                        output_padding=1).numpy())
    np.testing.assert_allclose(lhs, rhs, rtol=1e-12)
    ours = nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1)
    got = ours(Tensor(x), output_size=[8, 8])
    assert got.shape == (1, 2, 8, 8)
    np.testing.assert_array_equal(got.numpy(), F.conv_transpose2d(
        Tensor(x), ours.weight, ours.bias, stride=2, padding=1, output_padding=1).numpy())
    with pytest.raises(ValueError, match=r"output size \(10, 10\) is not reachable"):
        ours(Tensor(x), output_size=(10, 10))


def test_errors_name_the_call_and_values():
    with pytest.raises(ValueError, match=r"Conv2d: in_channels \(3\) must be divisible by "
                                         r"groups \(2\)"):
        nn.Conv2d(3, 4, 3, groups=2)
    with pytest.raises(ag.ShapeError, match=r"conv1d: input of shape \(1, 3, 5\)"):
        F.conv1d(Tensor(np.zeros((1, 3, 5))), Tensor(np.zeros((4, 2, 3))))
    with pytest.raises(ValueError, match="padding='same' is not supported for strided"):
        nn.Conv2d(2, 2, 3, stride=2, padding="same")
    with pytest.raises(ValueError, match=r"output_padding \(2, 2\) must be smaller than the "
                                         r"stride \(2, 2\)"):
        F.conv_transpose2d(Tensor(np.zeros((1, 1, 3, 3))), Tensor(np.zeros((1, 1, 3, 3))),
                           stride=2, output_padding=2)
    with pytest.raises(ValueError, match=r"reflect padding \(4, 0\) of axis 3 must be"):
        F.pad(Tensor(np.zeros((1, 1, 3, 4))), (4, 0), mode="reflect")
    with pytest.raises(NotImplementedError, match="mode 'bilinear' is not supported"):
        F.interpolate(Tensor(np.zeros((1, 1, 3, 4))), scale_factor=2, mode="bilinear")
    with pytest.raises(NotImplementedError, match="ceil_mode=True is not supported"):
        F.avg_pool2d(Tensor(np.zeros((1, 1, 4, 4))), 3, ceil_mode=True)
    with pytest.raises(RuntimeError, match="device 'cuda' is not available"):
        nn.Conv2d(1, 1, 1, device="cuda")


@needs_torch
def test_cnn_autoencoder_trains_like_pytorch():
    """A small conv autoencoder (conv, batch norm, pooling, transposed conv, upsampling,
    padding) trained three SGD steps from the same weights gives PyTorch's losses."""
    def build(lib):
        return lib.Sequential(
            lib.Conv2d(1, 4, 3, padding=1), lib.BatchNorm2d(4), lib.ReLU(), lib.MaxPool2d(2),
            lib.Conv2d(4, 8, 3, padding=1, groups=2), lib.AvgPool2d(2),
            lib.ConvTranspose2d(8, 4, 2, stride=2), lib.Tanh(), lib.Upsample(scale_factor=2),
            lib.ReflectionPad2d(1), lib.Conv2d(4, 1, 3), lib.AdaptiveAvgPool2d((8, 8)))

    ours = build(nn)
    theirs = build(tnn).double()
    theirs.load_state_dict({k: torch.tensor(v) for k, v in ours.state_dict().items()})
    ours_opt = optim.SGD(ours.parameters(), lr=0.1, momentum=0.9)
    theirs_opt = torch.optim.SGD(theirs.parameters(), lr=0.1, momentum=0.9)
    x = rand(4, 1, 8, 8)
    losses = []
    for _ in range(3):
        loss = ((ours(Tensor(x)) - Tensor(x)) ** 2).mean()
        ours_opt.zero_grad()
        loss.backward()
        ours_opt.step()
        tloss = ((theirs(torch.tensor(x)) - torch.tensor(x)) ** 2).mean()
        theirs_opt.zero_grad()
        tloss.backward()
        theirs_opt.step()
        losses.append((loss.item(), tloss.item()))
    np.testing.assert_allclose(*zip(*losses), rtol=1e-10)
    assert losses[-1][0] < losses[0][0]
