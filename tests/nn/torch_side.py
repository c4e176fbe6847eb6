"""Comparison with PyTorch for modules with several inputs and outputs (recurrent layers,
attention): the same weights (through test_nn_torch.copy_weights), then every output, every
input gradient and every parameter gradient of Σ_k <out_k, u_k>."""

import numpy as np
from test_nn_torch import copy_weights

import autograd as ag


def flat(out):
    """Nested tuples of outputs as a flat list, None dropped."""
    if isinstance(out, (tuple, list)):
        return [t for item in out for t in flat(item)]
    return [] if out is None else [out]


def compare_module(torch, ours, theirs, *inputs, atol=1e-10, **kwargs):
    """ours(*inputs, **kwargs) against theirs on the same inputs (ndarrays, or pairs of
    ndarrays for an LSTM state); returns the two flat output lists."""
    theirs = copy_weights(ours, theirs)

    def wrap(value, make):
        if isinstance(value, tuple):
            return tuple(wrap(v, make) for v in value)
        if isinstance(value, np.ndarray) and value.dtype.kind == "f":
            return make(value)
        return value

    ours_in = [wrap(x, lambda a: ag.Tensor(a, requires_grad=True)) for x in inputs]
    theirs_in = [wrap(x, lambda a: torch.tensor(a, requires_grad=True)) for x in inputs]
    t_kwargs = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    outs, touts = flat(ours(*ours_in, **kwargs)), flat(theirs(*theirs_in, **t_kwargs))
    assert len(outs) == len(touts)
    loss, tloss = 0.0, 0.0
    for k, (o, t) in enumerate(zip(outs, touts)):
        np.testing.assert_allclose(o.numpy(), t.detach().numpy(), atol=atol, err_msg=f"out {k}")
        u = np.cos(np.arange(o.numel()) * 0.7 + k).reshape(o.shape)
        loss = loss + (o * ag.Tensor(u)).sum()
        tloss = tloss + (t * torch.tensor(u)).sum()
    loss.backward()
    tloss.backward()
    for k, (x, tx) in enumerate(zip(flat(ours_in), flat(theirs_in))):
        if isinstance(x, ag.Tensor) and x.requires_grad:
            np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), atol=atol,
                                       err_msg=f"input {k} gradient")
    tparams = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), tparams[name].grad.numpy(), atol=atol,
                                   err_msg=f"{name} gradient")
    return outs, touts
