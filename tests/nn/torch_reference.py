"""Side-by-side checks with PyTorch shared by the nn tests: give a torch module our weights,
then compare values and gradients. Without PyTorch, `torch` is None and the tests marked
`needs_torch` skip; the rest of a test file still runs."""

import numpy as np
import pytest

from autograd import Tensor

try:
    import torch
except ImportError:
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="PyTorch is not installed")


def rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def copy_weights(ours, theirs):
    """Give the torch module our parameters and buffers (same names, same shapes)."""
    theirs = theirs.double()  # first, so that loading float64 values loses nothing
    theirs.load_state_dict({k: torch.tensor(v) for k, v in ours.state_dict().items()})
    return theirs


def compare(ours, theirs, x, atol=1e-10):
    """Forward values, input gradient and parameter gradients, for the loss Σ out·u."""
    theirs = copy_weights(ours, theirs)
    floating = x.dtype.kind == "f"
    xt, tx = Tensor(x, requires_grad=floating), torch.tensor(x, requires_grad=floating)
    out, tout = ours(xt), theirs(tx)  # one step each: batch norm's running stats move once
    np.testing.assert_allclose(out.numpy(), tout.detach().numpy(), atol=atol)
    u = rand(*out.shape, seed=7)
    (out * Tensor(u)).sum().backward()
    (tout * torch.tensor(u)).sum().backward()
    if floating:
        np.testing.assert_allclose(xt.grad.numpy(), tx.grad.numpy(), atol=atol)
    theirs_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), theirs_params[name].grad.numpy(), atol=atol,
                                   err_msg=name)
    for name, value in theirs.state_dict().items():  # running statistics too
        np.testing.assert_allclose(ours.state_dict()[name], value.numpy(), atol=atol,
                                   err_msg=name)
