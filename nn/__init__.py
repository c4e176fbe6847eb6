"""Neural-network layers, losses, initialisers and checkpoints, shaped like `torch.nn`.

    import nn
    import nn.functional as F
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2))
    loss = F.cross_entropy(model(x), y)      # x (N, 2) float, y (N,) int
    loss.backward()                          # gradients in p.grad for p in model.parameters()
"""

from . import datasets, functional, init, utils
from .activations import ELU, GELU, GLU, Hardtanh, PReLU, SiLU, Softplus, Softsign
from .attention import MultiheadAttention
from .batches import DataLoader, batches
from .cells import GRUCell, LSTMCell, RNNCell
from .conv import Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d
from .init import manual_seed
from .layers import (
    Dropout,
    Embedding,
    Flatten,
    Identity,
    LayerNorm,
    LeakyReLU,
    Linear,
    LogSoftmax,
    ModuleDict,
    ModuleList,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Tanh,
)
from .losses import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HingeLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    OutOfRangeError,
)
from .module import IncompatibleKeys, Module, Parameter, StateDictError
from .more_losses import HuberLoss, KLDivLoss, MultiMarginLoss, SmoothL1Loss
from .recurrent import GRU, LSTM, RNN
from .serialization import load, save
from .summary import summary

__all__ = [
    "BCELoss", "BCEWithLogitsLoss", "BatchNorm1d", "Conv2d", "CrossEntropyLoss", "DataLoader",
    "Dropout", "Embedding", "Flatten", "HingeLoss", "Identity", "IncompatibleKeys", "L1Loss",
    "LayerNorm", "LeakyReLU", "Linear", "LogSoftmax", "MSELoss", "MaxPool2d", "Module",
    "ModuleDict", "ModuleList", "NLLLoss", "OutOfRangeError", "Parameter", "ReLU", "Sequential",
    "Sigmoid", "Softmax", "StateDictError", "Tanh", "batches", "datasets", "functional", "init",
    "load", "manual_seed", "save", "utils",
]

# Convolution-family, normalisation and lazy layers, module helpers and data loading.
from .layers import Dropout2d, Unflatten  # noqa: E402
from .lazy import (  # noqa: E402
    LazyBatchNorm1d,
    LazyBatchNorm2d,
    LazyConv2d,
    LazyLinear,
    LazyModuleMixin,
    UninitializedBuffer,
    UninitializedParameter,
)
from .normalization import BatchNorm1d, BatchNorm2d, InstanceNorm1d, InstanceNorm2d  # noqa: E402
from .pooling import (  # noqa: E402
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AvgPool1d,
    AvgPool2d,
    MaxPool1d,
    MaxPool2d,
)
from .resize import (  # noqa: E402
    CircularPad1d,
    CircularPad2d,
    ConstantPad1d,
    ConstantPad2d,
    PixelShuffle,
    PixelUnshuffle,
    ReflectionPad1d,
    ReflectionPad2d,
    ReplicationPad1d,
    ReplicationPad2d,
    Upsample,
    UpsamplingNearest2d,
    ZeroPad1d,
    ZeroPad2d,
)

__all__ += [
    "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AvgPool1d", "AvgPool2d", "BatchNorm2d",
    "CircularPad1d", "CircularPad2d", "ConstantPad1d", "ConstantPad2d", "Conv1d", "ConvTranspose1d",
    "ConvTranspose2d", "Dropout2d", "InstanceNorm1d", "InstanceNorm2d", "LazyBatchNorm1d",
    "LazyBatchNorm2d", "LazyConv2d", "LazyLinear", "LazyModuleMixin", "MaxPool1d", "PixelShuffle",
    "PixelUnshuffle", "ReflectionPad1d", "ReflectionPad2d", "ReplicationPad1d", "ReplicationPad2d",
    "Unflatten", "UninitializedBuffer", "UninitializedParameter", "Upsample", "UpsamplingNearest2d",
    "ZeroPad1d", "ZeroPad2d",
]
__all__ += [
    "ELU", "GELU", "GLU", "GRU", "GRUCell", "Hardtanh", "HuberLoss", "KLDivLoss", "LSTM",
    "LSTMCell", "MultiMarginLoss", "MultiheadAttention", "PReLU", "RNN", "RNNCell", "SiLU",
    "SmoothL1Loss", "Softplus", "Softsign",
]
__all__ += ["summary"]
