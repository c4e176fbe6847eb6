"""Optimizers and learning-rate schedules, shaped like `torch.optim`.

Each optimizer updates `p._data` in place with NumPy, following PyTorch's documented update
rule, so the same gradients give the same trajectory; schedules live in `optim.lr_scheduler`.
"""

from . import lr_scheduler
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["Optimizer", "SGD", "Adadelta", "Adagrad", "RMSprop", "Adam", "AdamW", "lr_scheduler"]
