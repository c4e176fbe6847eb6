"""nn.save / nn.load: round trips of state dicts and nested checkpoints, no pickle ever,
clear errors for bad files, and atomic replacement."""

import os
import zipfile

import numpy as np
import pytest

import autograd as ag
import nn
from autograd import Tensor


def model():
    return nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))


def test_state_dict_round_trip(tmp_path):
    src = model()
    src(Tensor(np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)))
    path = tmp_path / "model.npz"
    nn.save(src.state_dict(), path)
    loaded = nn.load(path)
    assert list(loaded) == list(src.state_dict())
    dst = model()
    dst.load_state_dict(loaded)
    for key, value in src.state_dict().items():
        np.testing.assert_array_equal(dst.state_dict()[key], value, err_msg=key)
        assert loaded[key].dtype == value.dtype
    with np.load(path, allow_pickle=False) as plain:  # a plain .npz that NumPy reads too
        np.testing.assert_array_equal(plain["0.weight"], src[0].weight.numpy())


def test_nested_checkpoint_keeps_structure_and_python_scalars(tmp_path):
    checkpoint = {
        "model": {"w": np.arange(6.0).reshape(2, 3), "t": Tensor(np.ones(2))},
        "optimizer": {
            "state": {0: {"step": 3, "exp_avg": np.zeros(2, np.float32)}, 1: {}},
            "param_groups": [{"lr": 0.001, "betas": (0.9, 0.999), "nesterov": False,
                              "params": [0, 1], "name": None, "tag": "main"}],
        },
        "epoch": 7,
        "best": float("inf"),
        "loss": np.float32(0.25),
        "flags": [True, 2, 3.5],
    }
    path = tmp_path / "ckpt.npz"
    nn.save(checkpoint, path)
    back = nn.load(path)
    assert back["epoch"] == 7 and type(back["epoch"]) is int
    assert back["best"] == float("inf") and type(back["best"]) is float
    assert back["flags"] == [True, 2, 3.5] and type(back["flags"][0]) is bool
    assert back["loss"] == np.float32(0.25) and back["loss"].dtype == np.float32
    group = back["optimizer"]["param_groups"][0]
    assert group == {"lr": 0.001, "betas": (0.9, 0.999), "nesterov": False, "params": [0, 1],
                     "name": None, "tag": "main"}
    assert set(back["optimizer"]["state"]) == {0, 1}  # int keys stay ints
    assert back["optimizer"]["state"][0]["step"] == 3
    np.testing.assert_array_equal(back["model"]["w"], checkpoint["model"]["w"])
    np.testing.assert_array_equal(back["model"]["t"], np.ones(2))
    with zipfile.ZipFile(path) as z:  # the separator is "/"
        assert "optimizer/state/0/exp_avg.npy" in z.namelist()


def test_save_refuses_object_arrays_and_unknown_types(tmp_path):
    path = tmp_path / "x.npz"
    with pytest.raises(TypeError, match="object array"):
        nn.save({"a": np.array([{"x": 1}], dtype=object)}, path)
    with pytest.raises(TypeError, match="cannot save a set"):
        nn.save({"a": {1, 2}}, path)
    with pytest.raises(ValueError, match="must not contain '/'"):
        nn.save({"a/b": np.zeros(1)}, path)
    with pytest.raises(TypeError, match="expected a dict"):
        nn.save([np.zeros(1)], path)
    assert not path.exists() and os.listdir(tmp_path) == []  # nothing was written


def test_load_refuses_pickles_object_arrays_truncated_and_foreign_files(tmp_path):
    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, ok=np.zeros(2), bad=np.array([None, {"evil": 1}], dtype=object))
    with pytest.raises(ValueError, match=r"pickled\.npz.*'bad' is an object array"):
        nn.load(pickled)

    good = tmp_path / "good.npz"
    nn.save({"w": np.arange(1000.0)}, good)
    data = good.read_bytes()
    for cut in (len(data) // 2, len(data) - 10, 30):
        truncated = tmp_path / f"truncated{cut}.npz"
        truncated.write_bytes(data[:cut])
        with pytest.raises(ValueError, match=f"truncated{cut}.npz"):
            nn.load(truncated)

    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0xFF  # a damaged byte inside the array: the CRC catches it
    corrupt = tmp_path / "corrupt.npz"
    corrupt.write_bytes(bytes(flipped))
    with pytest.raises(ValueError, match=r"corrupt\.npz.*corrupt"):
        nn.load(corrupt)

    text = tmp_path / "notes.npz"
    text.write_text("not an archive at all")
    with pytest.raises(ValueError, match=r"notes\.npz.*not a readable \.npz"):
        nn.load(text)
    raw_pickle = tmp_path / "raw.pkl"
    raw_pickle.write_bytes(b"\x80\x04\x95\x05\x00\x00\x00\x00\x00\x00\x00K\x01.")
    with pytest.raises(ValueError, match="raw.pkl"):
        nn.load(raw_pickle)
    single = tmp_path / "single.npy"
    np.save(single, np.zeros(3))
    with pytest.raises(ValueError, match="single .npy array"):
        nn.load(single)
    with pytest.raises(FileNotFoundError):
        nn.load(tmp_path / "missing.npz")


def test_failed_save_keeps_the_old_file_and_leaves_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    nn.save({"w": np.ones(3)}, path)
    before = path.read_bytes()

    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        nn.save({"w": np.zeros(3)}, path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.npz"]
    np.testing.assert_array_equal(nn.load(path)["w"], np.ones(3))
    nn.save({"w": np.zeros(3)}, str(path))  # and a later save replaces it whole
    np.testing.assert_array_equal(nn.load(path)["w"], np.zeros(3))


def test_plain_npz_without_manifest_loads_flat(tmp_path):
    path = tmp_path / "plain.npz"
    np.savez(path, a=np.ones(2), b=np.arange(3))
    loaded = nn.load(path)
    assert sorted(loaded) == ["a", "b"]


def test_training_state_survives_a_checkpoint(tmp_path):
    previous = ag.get_default_dtype()
    ag.set_default_dtype(np.float64)
    try:
        nn.manual_seed(0)
        src, dst = model(), model()
        src.eval()
        x = Tensor(np.random.default_rng(1).standard_normal((4, 3)))
        nn.save({"model": src.state_dict(), "epoch": 1}, tmp_path / "c.npz")
        ckpt = nn.load(tmp_path / "c.npz")
        dst.load_state_dict(ckpt["model"])
        dst.eval()
        np.testing.assert_array_equal(dst(x).numpy(), src(x).numpy())
    finally:
        ag.set_default_dtype(previous)


def test_optimizer_and_scheduler_state_round_trip(tmp_path):
    optim = pytest.importorskip("optim")
    layer = nn.Linear(3, 2)
    opt = optim.Adam(layer.parameters(), lr=1e-3)
    sched = optim.lr_scheduler.StepLR(opt, step_size=2)
    for _ in range(3):
        loss = (layer(Tensor(np.ones((4, 3), np.float32))) ** 2).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
    nn.save({"model": layer.state_dict(), "optimizer": opt.state_dict(),
             "scheduler": sched.state_dict(), "epoch": 3}, tmp_path / "ckpt.npz")
    back = nn.load(tmp_path / "ckpt.npz")
    fresh = nn.Linear(3, 2)
    fresh.load_state_dict(back["model"])
    opt2 = optim.Adam(fresh.parameters(), lr=1e-3)
    opt2.load_state_dict(back["optimizer"])
    assert opt2.state_dict()["param_groups"] == opt.state_dict()["param_groups"]
    for i, state in opt.state_dict()["state"].items():
        for key, value in state.items():
            np.testing.assert_array_equal(opt2.state_dict()["state"][i][key], value)
    assert back["scheduler"] == sched.state_dict() and back["epoch"] == 3
