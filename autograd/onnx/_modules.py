"""nn layers -> ONNX nodes: each known layer becomes the one node a reader expects in Netron.

Convolution and pooling run here as im2col and a matrix product; exporting them op by op
would give ONNX a padded one-hot convolution and a reshape, correct but unreadable and slow.
Mapped by class name, so importing `nn` is not needed here. The model is exported in eval
mode: BatchNorm uses its running statistics and Dropout passes its input through.
"""

import numpy as np

from ._builder import ExportError


def _pair(value, what, layer):
    pair = (value, value) if isinstance(value, (int, np.integer)) else tuple(value)
    if len(pair) != 2 or not all(isinstance(v, (int, np.integer)) for v in pair):
        raise ExportError(f"onnx.export: {layer}'s {what} {value!r} is not an int or a pair of "
                          "ints")
    return [int(v) for v in pair]


def _linear(b, m, s):
    w = b.leaf(m.weight)
    if s.args[0].ndim == 2:
        inputs = [s.names[0], w] + ([b.leaf(m.bias)] if m.bias is not None else [])
        return b.node("Gemm", inputs, transB=1)
    out = b.node("MatMul", [s.names[0], b.node("Transpose", [w], perm=[1, 0])])
    return out if m.bias is None else b.node("Add", [out, b.leaf(m.bias)])


def _conv2d(b, m, s):
    kernel = _pair(m.kernel_size, "kernel_size", "Conv2d")
    stride = _pair(m.stride, "stride", "Conv2d")
    padding = _pair(m.padding, "padding", "Conv2d")
    dilation = _pair(getattr(m, "dilation", 1), "dilation", "Conv2d")
    inputs = [s.names[0], b.leaf(m.weight)] + ([b.leaf(m.bias)] if m.bias is not None else [])
    return b.node("Conv", inputs, kernel_shape=kernel, strides=stride, pads=padding * 2,
                  dilations=dilation, group=int(getattr(m, "groups", 1)))


def _max_pool2d(b, m, s):
    kernel = _pair(m.kernel_size, "kernel_size", "MaxPool2d")
    stride = _pair(m.stride, "stride", "MaxPool2d")
    padding = _pair(m.padding, "padding", "MaxPool2d")
    dilation = _pair(getattr(m, "dilation", 1), "dilation", "MaxPool2d")
    return b.node("MaxPool", s.names[:1], kernel_shape=kernel, strides=stride,
                  pads=padding * 2, dilations=dilation)


def _avg_pool2d(b, m, s):
    if getattr(m, "divisor_override", None) is not None:
        raise ExportError("onnx.export: AvgPool2d(divisor_override=...) has no ONNX form")
    kernel = _pair(m.kernel_size, "kernel_size", "AvgPool2d")
    stride = _pair(m.stride, "stride", "AvgPool2d")
    padding = _pair(m.padding, "padding", "AvgPool2d")
    return b.node("AveragePool", s.names[:1], kernel_shape=kernel, strides=stride,
                  pads=padding * 2, count_include_pad=int(bool(m.count_include_pad)))


def _batch_norm(b, m, s):
    if m.running_mean is None:
        raise ExportError("onnx.export: BatchNorm without running statistics "
                          "(track_running_stats=False) normalises with each batch's own "
                          "statistics, which ONNX's BatchNormalization does not do")
    n, dtype = m.num_features, m.running_mean._data.dtype
    scale = b.leaf(m.weight) if m.weight is not None else b.const(np.ones(n, dtype), "scale")
    shift = b.leaf(m.bias) if m.bias is not None else b.const(np.zeros(n, dtype), "shift")
    return b.node("BatchNormalization", [s.names[0], scale, shift, b.leaf(m.running_mean),
                                         b.leaf(m.running_var)], epsilon=float(m.eps))


def _layer_norm(b, m, s):
    dtype = s.outs[0]._data.dtype
    shape = m.normalized_shape
    scale = b.leaf(m.weight) if m.weight is not None else b.const(np.ones(shape, dtype))
    inputs = [s.names[0], scale] + ([b.leaf(m.bias)] if m.bias is not None else [])
    return b.node("LayerNormalization", inputs, axis=-len(shape), epsilon=float(m.eps))


def _flatten(b, m, s):
    if m.start_dim == 1 and m.end_dim in (-1, s.args[0].ndim - 1):
        return b.node("Flatten", s.names[:1], axis=1)
    shape = b.shape([out.shape for out in s.outs], "Flatten", s.input_name)
    return b.node("Reshape", [s.names[0], shape])


def _softmax(onnx_op):
    def emit(b, m, s):
        if m.dim is None:
            raise ExportError(f"onnx.export: {type(m).__name__}(dim=None) picks its axis "
                              "implicitly; give dim")
        return b.node(onnx_op, s.names[:1], axis=int(m.dim))
    return emit


def _embedding(b, m, s):
    indices = b.cast(s.names[0], s.args[0]._data.dtype, np.int64)
    return b.node("Gather", [b.leaf(m.weight), indices], axis=0)


def _simple(onnx_op, **attrs):
    def emit(b, m, s):
        return b.node(onnx_op, s.names[:1], **{k: f(m) for k, f in attrs.items()})
    return emit


MODULES = {
    "Linear": _linear, "Conv2d": _conv2d, "MaxPool2d": _max_pool2d, "AvgPool2d": _avg_pool2d,
    "BatchNorm1d": _batch_norm, "BatchNorm2d": _batch_norm, "LayerNorm": _layer_norm,
    "Flatten": _flatten, "Softmax": _softmax("Softmax"), "LogSoftmax": _softmax("LogSoftmax"),
    "Embedding": _embedding,
    "ReLU": _simple("Relu"), "Tanh": _simple("Tanh"), "Sigmoid": _simple("Sigmoid"),
    "LeakyReLU": _simple("LeakyRelu", alpha=lambda m: float(m.negative_slope)),
    "Dropout": _simple("Identity"), "Identity": _simple("Identity"),
}


def known(module):
    """The emitter for `module` if it is one of the nn layers mapped here (by exact class, so
    a subclass with its own forward is traced op by op instead)."""
    cls = type(module)
    return MODULES.get(cls.__name__) if cls.__module__.startswith("nn.") else None
