"""The lecture's snippet, as written for PyTorch, after only the import swap: a linear map of a
flattened image in three paradigms (explicit loops, one vectorised product, a module), each
giving the same numbers and the same gradients. Compared with PyTorch itself where installed."""

import numpy as np
import pytest


def lecture(torch, nn):
    """The lecture's code; `torch` and `nn` are whichever library runs it."""
    torch.manual_seed(0)
    image = torch.randn(3, 10, 20)
    d0 = image.nelement()
    d1 = 4

    # Paradigm 1: loops over entries, as one would write it with NumPy scalars.
    w = torch.randn(d0, d1, requires_grad=True)
    x = image.view(-1)
    h_loop = torch.zeros(d1)
    for j in range(d1):
        for i in range(0, d0, 50):  # every 50th pixel keeps the loop short
            h_loop[j] += x[i] * w[i, j]

    # Paradigm 2: vectorised.
    h_vec = image.view(-1) @ w
    h_mm = torch.matmul(image.view(1, -1), w)

    # Paradigm 3: a module.
    layer = nn.Linear(d0, d1, bias=False)
    with torch.no_grad():
        layer.weight.copy_(w.t())
    h_mod = layer(image.view(1, -1))

    loss = h_vec.pow(2).sum() + h_mod.sum()
    loss.backward()
    return dict(image=image, w=w, h_loop=h_loop, h_vec=h_vec, h_mm=h_mm, h_mod=h_mod,
                loss=loss, grad=w.grad, layer_grad=layer.weight.grad, d0=d0)


def run_ours():
    import autograd as torch
    import nn

    return lecture(torch, nn)


def test_three_paradigms_agree():
    out = run_ours()
    x = out["image"].numpy().reshape(-1)
    w = out["w"].detach().numpy()
    assert out["d0"] == 600 and out["image"].shape == (3, 10, 20)
    np.testing.assert_allclose(out["h_loop"].detach().numpy(), x[::50] @ w[::50], rtol=1e-5)
    np.testing.assert_allclose(out["h_vec"].detach().numpy(), x @ w, rtol=1e-5)
    np.testing.assert_allclose(out["h_mm"].detach().numpy(), (x @ w)[None], rtol=1e-5)
    np.testing.assert_allclose(out["h_mod"].detach().numpy(), (x @ w)[None], rtol=1e-5)
    np.testing.assert_allclose(out["grad"].numpy(), np.outer(x, 2 * (x @ w)), rtol=1e-4)
    np.testing.assert_allclose(out["layer_grad"].numpy(), np.tile(x, (4, 1)), rtol=1e-6)


def test_same_numbers_as_pytorch_from_the_same_image_and_weights():
    torch = pytest.importorskip("torch")
    ours = run_ours()

    class SameDraws:
        """PyTorch with our random draws, so both run the lecture on the same numbers."""

        def __getattr__(self, name):
            return getattr(torch, name)

        def randn(self, *size, **kw):
            draw = ours["image"] if size == (3, 10, 20) else ours["w"]
            return torch.tensor(draw.detach().numpy(), **kw)

        def manual_seed(self, seed):
            pass

    theirs = lecture(SameDraws(), torch.nn)
    for key in ("h_loop", "h_vec", "h_mm", "h_mod", "loss", "grad", "layer_grad"):
        np.testing.assert_allclose(np.asarray(ours[key].detach().numpy()),
                                   theirs[key].detach().numpy(), rtol=1e-5, atol=1e-5)
