""".safetensors through nn.save / nn.load: round trips, the same atomic-write rules as .npz, and
weights that PyTorch opens (and that come back from PyTorch) with no conversion."""

import os
import stat

import numpy as np
import pytest

import autograd as ag
import nn
from autograd import Tensor

safetensors_numpy = pytest.importorskip("safetensors.numpy")


def mlp():
    return nn.Sequential(nn.Linear(64, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 10))


def cnn():
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(4 * 4 * 4, 10))


def _trained(model, shape):
    x = Tensor(np.random.default_rng(0).standard_normal(shape).astype(np.float32))
    model(x)  # a training-mode pass moves BatchNorm's running statistics off their start
    model.eval()
    return model


def test_round_trip_keeps_keys_order_dtypes_and_values(tmp_path):
    src = _trained(mlp(), (8, 64))
    path = tmp_path / "mlp.safetensors"
    nn.save(src.state_dict(), path)
    back = nn.load(path)
    assert list(back) == list(src.state_dict())
    for key, value in src.state_dict().items():
        assert back[key].dtype == value.dtype and back[key].shape == value.shape, key
        np.testing.assert_array_equal(back[key], value, err_msg=key)
    assert back["1.num_batches_tracked"].shape == () and back["1.num_batches_tracked"] == 1
    dst = mlp()
    dst.load_state_dict(back)
    dst.eval()
    x = Tensor(np.ones((2, 64), np.float32))
    np.testing.assert_array_equal(dst(x).numpy(), src(x).numpy())


def test_the_file_is_plain_safetensors(tmp_path):
    """Any safetensors reader opens it; the engine's Tensors are stored as their arrays."""
    path = tmp_path / "w.safetensors"
    nn.save({"w": Tensor(np.arange(6.0).reshape(2, 3)).T, "b": np.zeros(3, np.float32)}, path)
    plain = safetensors_numpy.load_file(str(path))
    np.testing.assert_array_equal(plain["w"], np.arange(6.0).reshape(2, 3).T)
    assert plain["b"].dtype == np.float32


def test_nested_checkpoints_are_refused_with_the_way_out(tmp_path):
    path = tmp_path / "ckpt.safetensors"
    with pytest.raises(TypeError, match=r"'model' is a dict; a \.safetensors file holds a flat "
                                        r"dict of arrays .* to a \.npz path instead"):
        nn.save({"model": {"w": np.ones(2)}, "epoch": 3}, path)
    with pytest.raises(TypeError, match=r"non-empty str names .* the key 0"):
        nn.save({0: np.ones(2)}, path)
    with pytest.raises(TypeError, match="cannot write this dict as .safetensors"):
        nn.save({"s": np.array(["text"])}, path)
    assert list(tmp_path.iterdir()) == []


def test_broken_file_is_a_value_error_naming_it(tmp_path):
    path = tmp_path / "w.safetensors"
    nn.save({"w": np.ones(100)}, path)
    path.write_bytes(path.read_bytes()[:-7])
    with pytest.raises(ValueError, match=r"^load: '.*w\.safetensors' is not a readable "
                                         r"\.safetensors file"):
        nn.load(path)
    with pytest.raises(FileNotFoundError):
        nn.load(tmp_path / "missing.safetensors")


def test_same_atomic_write_and_permission_rules_as_npz(tmp_path, monkeypatch):
    old = os.umask(0o022)
    try:
        path = tmp_path / "w.safetensors"
        nn.save({"w": np.ones(2)}, path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
        before = path.read_bytes()
        with monkeypatch.context() as m:
            def refuse(*args, **kwargs):
                raise OSError(5, "Input/output error")

            m.setattr(os, "replace", refuse)
            with pytest.raises(OSError, match=r"cannot write '.*w\.safetensors'"):
                nn.save({"w": np.zeros(2)}, path)
        assert path.read_bytes() == before
        assert [p.name for p in tmp_path.iterdir()] == ["w.safetensors"]
    finally:
        os.umask(old)


# --- PyTorch opens these files, and writes files that open here ---------------------------------
def _torch_twin(torch, kind):
    tnn = torch.nn
    if kind == "mlp":
        return tnn.Sequential(tnn.Linear(64, 32), tnn.BatchNorm1d(32), tnn.ReLU(),
                              tnn.Linear(32, 10))
    return tnn.Sequential(tnn.Conv2d(1, 4, 3, padding=1), tnn.ReLU(), tnn.MaxPool2d(2),
                          tnn.Flatten(), tnn.Linear(4 * 4 * 4, 10))


CASES = [("mlp", mlp, (5, 64)), ("cnn", cnn, (5, 1, 8, 8))]


@pytest.mark.parametrize("kind, build, shape", CASES)
def test_pytorch_loads_our_file_strictly_and_computes_the_same(tmp_path, kind, build, shape):
    torch = pytest.importorskip("torch")
    safetensors_torch = pytest.importorskip("safetensors.torch")
    ours = _trained(build(), shape)
    path = tmp_path / f"{kind}.safetensors"
    nn.save(ours.state_dict(), path)

    theirs = _torch_twin(torch, kind)
    result = theirs.load_state_dict(safetensors_torch.load_file(str(path)), strict=True)
    assert result.missing_keys == [] and result.unexpected_keys == []
    theirs.eval()
    x = np.random.default_rng(1).standard_normal(shape).astype(np.float32)
    with torch.no_grad():
        expected = theirs(torch.from_numpy(x)).numpy()
    with ag.no_grad():
        got = ours(Tensor(x)).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kind, build, shape", CASES)
def test_we_load_a_file_pytorch_wrote(tmp_path, kind, build, shape):
    torch = pytest.importorskip("torch")
    safetensors_torch = pytest.importorskip("safetensors.torch")
    torch.manual_seed(0)
    theirs = _torch_twin(torch, kind)
    theirs(torch.randn(*shape))
    theirs.eval()
    path = tmp_path / f"{kind}-torch.safetensors"
    safetensors_torch.save_file(theirs.state_dict(), str(path))

    ours = build()
    result = ours.load_state_dict(nn.load(path))
    assert result.missing_keys == [] and result.unexpected_keys == []
    ours.eval()
    x = np.random.default_rng(2).standard_normal(shape).astype(np.float32)
    with torch.no_grad():
        expected = theirs(torch.from_numpy(x)).numpy()
    with ag.no_grad():
        got = ours(Tensor(x)).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
