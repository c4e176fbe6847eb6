"""ag.onnx.export: the files pass onnx's full check, and onnxruntime computes what the engine
computes, at the example's batch size and at another, for an MLP, the digits CNN, layers with
BatchNorm and Dropout, and plain functions exported op by op."""

import sys

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
from nn.train import build

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")


def _run(path, x):
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {"input": x})[0]


def _ours(model, x):
    with ag.no_grad():
        return model(ag.Tensor(x)).numpy()


def _batch(n, shape, seed):
    return np.random.default_rng(seed).standard_normal((n,) + shape).astype(np.float32)


def _check_both_batch_sizes(model, shape, path, rtol=1e-5, atol=1e-6):
    proto = ag.onnx.export(model, _batch(2, shape, 0), path)
    onnx.checker.check_model(onnx.load(str(path)), full_check=True)
    if hasattr(model, "eval"):
        model.eval()
    for n, seed in ((2, 1), (13, 2)):
        x = _batch(n, shape, seed)
        got = _run(path, x)
        assert got.shape[0] == n
        np.testing.assert_allclose(got, _ours(model, x), rtol=rtol, atol=atol)
    return proto


def test_mlp_is_gemm_and_relu_with_named_weights(tmp_path):
    nn.manual_seed(0)
    proto = _check_both_batch_sizes(build("mlp"), (64,), tmp_path / "mlp.onnx")
    assert [n.op_type for n in proto.graph.node] == ["Gemm", "Relu", "Gemm", "Relu", "Gemm",
                                                     "Identity"]
    assert [i.name for i in proto.graph.initializer] == [
        "0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"]
    batch = proto.graph.input[0].type.tensor_type.shape.dim[0]
    assert batch.dim_param == "batch"


def test_digits_cnn_is_conv_and_maxpool(tmp_path):
    nn.manual_seed(1)
    proto = _check_both_batch_sizes(build("cnn"), (1, 8, 8), tmp_path / "cnn.onnx")
    assert [n.op_type for n in proto.graph.node] == [
        "Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Flatten", "Gemm", "Identity"]
    conv = proto.graph.node[0]
    attrs = {a.name: list(a.ints) for a in conv.attribute if a.ints}
    assert attrs["pads"] == [1, 1, 1, 1] and attrs["kernel_shape"] == [3, 3]


def test_batchnorm_dropout_activations_and_modes_restored(tmp_path):
    nn.manual_seed(2)
    model = nn.Sequential(nn.Linear(5, 6), nn.BatchNorm1d(6), nn.Dropout(0.5), nn.Tanh(),
                          nn.Linear(6, 6), nn.LeakyReLU(0.1), nn.Sigmoid(), nn.Linear(6, 4),
                          nn.Softmax(dim=1))
    model(ag.Tensor(_batch(16, (5,), 3) * 3 + 1))   # running statistics away from 0 and 1
    assert model.training
    proto = ag.onnx.export(model, _batch(2, (5,), 0), tmp_path / "bn.onnx")
    assert model.training and model[1].training      # the export ran in eval, then restored
    model.eval()
    x = _batch(9, (5,), 4)
    np.testing.assert_allclose(_run(tmp_path / "bn.onnx", x), _ours(model, x), rtol=1e-5,
                               atol=1e-6)
    types = [n.op_type for n in proto.graph.node]
    assert types[:2] == ["Gemm", "BatchNormalization"] and "Dropout" not in types
    assert {"Tanh", "LeakyRelu", "Sigmoid", "Softmax"} <= set(types)


def test_plain_function_exports_op_by_op(tmp_path):
    w = ag.Tensor(np.random.default_rng(5).standard_normal((4, 3)).astype(np.float32))

    def f(x):
        h = (x @ w).tanh() * 2.0 + 1.0                         # matmul, tanh, mul, add
        outer = h.reshape(h.shape[0], 3, 1) * h.reshape(-1, 1, 3)   # batch-sized reshapes
        z = outer.sum(axis=-1).sigmoid() - x[:, :3] / 3.0      # sum, slice, divide
        return ag.maximum(z, 0.1 * z).exp().log_softmax(axis=1)

    proto = _check_both_batch_sizes(f, (4,), tmp_path / "f.onnx")
    types = {n.op_type for n in proto.graph.node}
    assert {"MatMul", "Tanh", "Mul", "Add", "Reshape", "ReduceSum", "Slice", "Div", "Max",
            "Exp", "LogSoftmax"} <= types


def test_own_module_mixes_layers_and_ops(tmp_path):
    class Residual(nn.Module):
        def __init__(self):
            super().__init__()
            self.inner = nn.Linear(8, 8)
            self.out = nn.Linear(8, 2)

        def forward(self, x):
            return self.out((x + self.inner(x).relu()).T.T)

    nn.manual_seed(3)
    model = Residual()
    proto = _check_both_batch_sizes(model, (8,), tmp_path / "res.onnx")
    assert [i.name for i in proto.graph.initializer][:2] == ["inner.weight", "inner.bias"]


def test_fixed_batch_when_asked(tmp_path):
    nn.manual_seed(0)
    model = build("mlp")
    proto = ag.onnx.export(model, _batch(3, (64,), 0), tmp_path / "fixed.onnx",
                           dynamic_batch=False)
    assert proto.graph.input[0].type.tensor_type.shape.dim[0].dim_value == 3
    model.eval()
    x = _batch(3, (64,), 1)
    np.testing.assert_allclose(_run(tmp_path / "fixed.onnx", x), _ours(model, x), rtol=1e-5,
                               atol=1e-6)
    with pytest.raises(Exception, match="(?i)dimension|shape"):
        _run(tmp_path / "fixed.onnx", _batch(4, (64,), 1))


def test_what_cannot_be_exported_is_named(tmp_path):
    kernel = ag.Tensor(np.ones((2, 1, 3, 3), np.float32))
    with pytest.raises(ag.onnx.ExportError, match=r"engine op (Row)?Im2Col has no ONNX mapping .*"
                                                  r"nn\.Conv2d"):
        ag.onnx.export(lambda x: F.conv2d(x, kernel), np.zeros((1, 1, 5, 5), np.float32))

    def odd(x):
        return x.reshape(-1)[:x.shape[0] + 1]

    with pytest.raises(ag.onnx.ExportError, match=r"GetItem's index changes with the batch size "
                                                  r".* export with dynamic_batch=False"):
        ag.onnx.export(odd, np.zeros((3, 4), np.float32))


def test_missing_onnx_package_is_said_plainly(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)
    with pytest.raises(ImportError, match=r"needs the onnx package, an optional extra: pip "
                                          r"install 'chainrule\[onnx\]'"):
        ag.onnx.export(nn.Linear(2, 2), np.zeros((1, 2), np.float32))


def test_more_engine_ops_map_faithfully(tmp_path):
    mask = np.array([True, False, True, True, False, True])
    b = ag.Tensor(np.linspace(-1.0, 1.0, 6).astype(np.float32))

    def g(x):
        y = ag.concatenate([x, -x], axis=1)                   # (N, 6)
        y = ag.where(mask, y.abs().sqrt(), ag.clip(y, -0.5, 0.5)) + b
        z = ag.logsumexp(y, axis=1, keepdims=True) - y.max(axis=1, keepdims=True)
        w = ag.transpose(y[:, ::-2])                           # (3, N)
        return ag.transpose(w)[:, 1] * z[:, 0] + y[:, 0].astype(np.float32) - ag.sin(y).sum(
            axis=1) + ag.cos(y).min(axis=1) + ag.exp(ag.minimum(y, 0.0)).mean(axis=1)

    proto = _check_both_batch_sizes(g, (3,), tmp_path / "g.onnx", rtol=1e-5, atol=1e-5)
    types = {n.op_type for n in proto.graph.node}
    assert {"Concat", "Where", "Abs", "Sqrt", "Clip", "ReduceLogSumExp", "ReduceMax",
            "ReduceMin", "Transpose", "Slice", "Gather", "Sin", "Cos", "Min"} <= types


@pytest.mark.parametrize("kind", ["GRU", "LSTM", "RNN"])
def test_recurrent_layers_export_unrolled_with_a_dynamic_batch(tmp_path, kind):
    """The recurrent layers run as engine ops, so the export unrolls them over the example's
    sequence length; the batch stays free, the zero initial state included."""
    if not hasattr(nn, kind):
        pytest.skip(f"nn.{kind} is not in this version")
    nn.manual_seed(4)

    class Last(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = getattr(nn, kind)(8, 16, num_layers=2, batch_first=True)
            self.head = nn.Linear(16, 3)

        def forward(self, x):                      # (N, L, 8)
            return self.head(self.rnn(x)[0][:, -1])

    _check_both_batch_sizes(Last(), (5, 8), tmp_path / f"{kind}.onnx", rtol=1e-4, atol=1e-5)


def test_smooth_activations_export_op_by_op(tmp_path):
    """GELU (through erf), ELU and Softplus with PyTorch's beta and threshold."""
    nn.manual_seed(5)
    model = nn.Sequential(nn.Linear(6, 8), nn.GELU(), nn.Linear(8, 8), nn.ELU(alpha=0.7),
                          nn.Linear(8, 4), nn.Softplus(beta=2.0, threshold=1.0))
    proto = _check_both_batch_sizes(model, (6,), tmp_path / "act.onnx")
    assert {"Erf", "Elu", "Softplus", "Where"} <= {n.op_type for n in proto.graph.node}


@pytest.mark.parametrize("include_pad", [True, False])
def test_pooling_and_batchnorm2d_layers(tmp_path, include_pad):
    nn.manual_seed(6)
    model = nn.Sequential(nn.Conv2d(2, 4, 3, stride=1, padding=1), nn.BatchNorm2d(4),
                          nn.MaxPool2d(2, stride=1, dilation=2),
                          nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=include_pad),
                          nn.Flatten(), nn.Linear(4 * 3 * 3, 5))
    model(ag.Tensor(_batch(8, (2, 8, 8), 7) + 1.0))        # running statistics move
    proto = _check_both_batch_sizes(model, (2, 8, 8), tmp_path / "pool.onnx")
    types = [n.op_type for n in proto.graph.node]
    assert types[:4] == ["Conv", "BatchNormalization", "MaxPool", "AveragePool"]
