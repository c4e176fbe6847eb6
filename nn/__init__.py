"""Neural-network layers, losses, initialisers and checkpoints, shaped like `torch.nn`.

    import nn
    import nn.functional as F
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2))
    loss = F.cross_entropy(model(x), y)      # x (N, 2) float, y (N,) int
    loss.backward()                          # gradients in p.grad for p in model.parameters()
"""

from . import datasets, functional, init, utils
from .batches import DataLoader, batches
from .conv import Conv2d, MaxPool2d
from .init import manual_seed
from .layers import (
    BatchNorm1d,
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
__all__ += ["summary"]
