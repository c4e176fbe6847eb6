"""PyTorch's module-level names, gathered for `import autograd as torch`.

The package re-exports everything here. `tensor` (the factory) shadows the `tensor.py`
submodule's name on the package, as `torch.tensor` is a function; the engine's own modules
import `Tensor` from the submodule, which stays loaded under `autograd.tensor` in sys.modules.
"""

import math
import types

from . import autograd as autograd  # torch.autograd.grad -> autograd.autograd.grad
from . import func as func  # torch.func's transforms
from . import random as random  # torch.random.manual_seed; (kept out of __all__, as in torch)
from . import serialize
from .autograd import (
    grad,  # the engine's grad, plus PyTorch's allow_unused
    gradgradcheck,
)
from .creation import (
    BoolTensor,
    ByteTensor,
    CharTensor,
    DoubleTensor,
    FloatTensor,
    HalfTensor,
    IntTensor,
    LongTensor,
    ShortTensor,
    Variable,
    as_tensor,
    from_numpy,
    tensor,
)
from .devices import (
    accelerator,
    amp,
    autocast,
    backends,
    cuda,
    device,
    distributed,
    get_default_device,
    set_default_device,
)
from .dtype_names import *  # noqa: F403  (float32 = float, int64 = long, bfloat16, ...)
from .dtype_names import __all__ as _dtype_names
from .factories import (
    arange,
    empty,
    empty_like,
    eye,
    full,
    full_like,
    linspace,
    multinomial,
    normal,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    randperm,
    zeros,
    zeros_like,
)
from .function import Function
from .mode import inference_mode, is_inference_mode_enabled
from .predicates import allclose, equal, is_tensor
from .random import (
    Generator,
    default_generator,
    get_rng_state,
    initial_seed,
    manual_seed,
    seed,
    set_rng_state,
)
from .serialize import load, save
from .settings import (
    are_deterministic_algorithms_enabled,
    get_float32_matmul_precision,
    get_num_threads,
    set_float32_matmul_precision,
    set_num_threads,
    set_printoptions,
    use_deterministic_algorithms,
)

serialization = types.ModuleType("autograd.serialization", "save/load, and safe_globals "
                                 "(a no-op: nothing is ever unpickled).")
serialization.__dict__.update(save=save, load=load, safe_globals=serialize.safe_globals,
                              add_safe_globals=serialize.add_safe_globals)

from ._version import __version__  # noqa: E402  (one source: autograd/_version.py)

inf, nan, pi, e = math.inf, math.nan, math.pi, math.e

__all__ = [
    "__version__", "accelerator", "allclose", "amp", "arange",
    "are_deterministic_algorithms_enabled", "as_tensor", "autocast", "backends",
    "BoolTensor", "ByteTensor", "CharTensor", "cuda", "default_generator", "device",
    "distributed", "DoubleTensor", "e", "empty", "empty_like", "equal", "eye", "FloatTensor",
    "from_numpy", "full", "full_like", "Function", "Generator", "get_default_device",
    "get_float32_matmul_precision", "get_num_threads", "get_rng_state", "grad",
    "gradgradcheck", "HalfTensor", "inf", "inference_mode", "initial_seed", "IntTensor",
    "is_inference_mode_enabled", "is_tensor", "linspace", "load", "LongTensor", "manual_seed",
    "multinomial", "nan", "normal", "ones", "ones_like", "pi", "rand", "rand_like", "randint",
    "randn", "randn_like", "randperm", "save", "seed", "serialization",
    "set_default_device", "set_float32_matmul_precision", "set_num_threads",
    "set_printoptions", "set_rng_state", "ShortTensor", "tensor",
    "use_deterministic_algorithms", "Variable", "zeros", "zeros_like",
    *_dtype_names,
]
