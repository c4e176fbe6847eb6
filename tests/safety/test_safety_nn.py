"""Bad inputs to `nn` answered clearly; checkpoints that never unpickle, save atomically, and
resume training bit-for-bit in fresh objects."""

import os
import pickle

import numpy as np
import pytest

import autograd as ag
import optim
from autograd import Tensor

nn = pytest.importorskip("nn")
if not all(hasattr(nn, name) for name in ("Linear", "CrossEntropyLoss", "save", "load")):
    pytest.skip("nn has not landed yet (no nn.Linear / nn.CrossEntropyLoss / nn.save)",
                allow_module_level=True)
import nn.functional as F  # noqa: E402

RNG = np.random.default_rng(0)
LOGITS = Tensor(RNG.standard_normal((4, 3)), requires_grad=True)
LABELS = np.array([0, 2, 1, 2])


def _labels(*values):
    return np.array(values)


CASES = [
    ("Linear input mismatch", lambda: nn.Linear(3, 2)(Tensor(np.ones((4, 5)))), ag.ShapeError,
     r"^linear: input of shape \(4, 5\) does not match weight of shape \(2, 3\): "
     r"expected \(\*, 3\)$"),
    ("cross_entropy float targets", lambda: F.cross_entropy(LOGITS, LABELS.astype(float)),
     TypeError, r"^cross_entropy: class targets must be integers \(class indices\), got dtype "
                r"float64"),
    ("CrossEntropyLoss float targets",
     lambda: nn.CrossEntropyLoss()(LOGITS, Tensor(np.array([0.0, 1.0, 2.0, 1.0]))), TypeError,
     r"cross_entropy: class targets must be integers .*got dtype float64"),
    ("cross_entropy class out of range", lambda: F.cross_entropy(LOGITS, _labels(0, 3, 1, 2)),
     IndexError, r"^cross_entropy: target 3 at position \(1,\) is out of range; expected "
                 r"0 <= target < 3$"),
    ("cross_entropy negative class", lambda: nn.CrossEntropyLoss()(LOGITS, _labels(0, 1, -1, 2)),
     IndexError, r"^cross_entropy: target -1 at position \(2,\) is out of range"),
    ("nll_loss class out of range",
     lambda: F.nll_loss(LOGITS.log_softmax(axis=1), _labels(0, 1, 2, 7)), IndexError,
     r"^nll_loss: target 7 at position \(3,\) is out of range"),
    ("cross_entropy batch mismatch", lambda: F.cross_entropy(LOGITS, _labels(0, 1, 2, 1, 0)),
     ag.ShapeError, r"^cross_entropy: input of shape \(4, 3\) needs a target of shape \(4,\), "
                    r"got \(5,\)$"),
    ("BCE input above 1",
     lambda: F.binary_cross_entropy(Tensor([0.5, 1.5]), Tensor([0.0, 1.0])), ValueError,
     r"^binary_cross_entropy: input must hold probabilities in \[0, 1\], got values from 0.5 "
     r"to 1.5"),
    ("BCELoss input below 0",
     lambda: nn.BCELoss()(Tensor(np.array([-0.25, 0.5])), Tensor(np.array([0.0, 1.0]))),
     ValueError, r"binary_cross_entropy: input must hold probabilities in \[0, 1\], got values "
                 r"from -0.25 to 0.5"),
    ("BCE input NaN",
     lambda: F.binary_cross_entropy(Tensor(np.array([np.nan, 0.5])), Tensor(np.array([0.0, 1.0]))),
     ValueError, r"binary_cross_entropy: input must hold probabilities in \[0, 1\].*NaN"),
    ("MSELoss target shape", lambda: nn.MSELoss()(Tensor(np.ones((4, 1))), Tensor(np.ones(4))),
     ag.ShapeError, r"^mse_loss: target shape \(4,\) does not match input shape \(4, 1\) "
                    r"\(targets are not broadcast\)$"),
    ("L1Loss target shape", lambda: nn.L1Loss()(Tensor(np.ones(4)), Tensor(np.ones((4, 1)))),
     ag.ShapeError, r"^l1_loss: target shape \(4, 1\) does not match input shape \(4,\)"),
    ("BCELoss target shape",
     lambda: nn.BCELoss()(Tensor(np.full((4, 1), 0.5)), Tensor(np.ones(4))), ag.ShapeError,
     r"^binary_cross_entropy: target shape \(4,\) does not match input shape \(4, 1\)"),
    ("BCEWithLogitsLoss target shape",
     lambda: nn.BCEWithLogitsLoss()(Tensor(np.ones((2, 3))), Tensor(np.ones(3))), ag.ShapeError,
     r"^binary_cross_entropy_with_logits: target shape \(3,\) does not match input shape "
     r"\(2, 3\)"),
    ("Dropout p above 1", lambda: nn.Dropout(1.5), ValueError,
     r"^Dropout: dropout probability has to be between 0 and 1, got 1.5$"),
    ("Dropout p below 0", lambda: nn.Dropout(p=-0.1), ValueError,
     r"^Dropout: dropout probability has to be between 0 and 1, got -0.1$"),
    ("F.dropout p above 1", lambda: F.dropout(Tensor(np.ones(3)), p=2.0), ValueError,
     r"^dropout: dropout probability has to be between 0 and 1, got 2.0$"),
]


@pytest.mark.parametrize("thunk, error, pattern", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_bad_input_is_answered(thunk, error, pattern):
    with pytest.raises(error, match=pattern):
        thunk()


# --- load_state_dict ---------------------------------------------------------------------------
def small_model():
    return nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))


def test_load_state_dict_names_every_problem_at_once_and_changes_nothing():
    model = small_model()
    before = {k: v.copy() for k, v in model.state_dict().items()}
    bad = {k: np.zeros_like(v) for k, v in before.items()}
    del bad["2.bias"]                                   # missing
    bad["3.weight"] = np.zeros((2, 2))                  # unexpected
    bad["0.weight"] = np.zeros((5, 3))                  # mis-shaped
    with pytest.raises(RuntimeError) as info:
        model.load_state_dict(bad)
    message = str(info.value)
    assert 'Missing key(s) in state_dict: "2.bias"' in message
    assert 'Unexpected key(s) in state_dict: "3.weight"' in message
    assert ("size mismatch for 0.weight: copying a param with shape (5, 3) from checkpoint, the "
            "shape in current model is (4, 3)") in message
    assert isinstance(info.value, ValueError)          # also a ValueError, by design
    for key, value in model.state_dict().items():      # nothing was half-loaded
        np.testing.assert_array_equal(value, before[key])


# --- nn.load on hostile or broken files --------------------------------------------------------
def _checkpoint(tmp_path):
    path = tmp_path / "model.npz"
    nn.save(small_model().state_dict(), path)
    return path


def test_load_truncated_file(tmp_path):
    good = _checkpoint(tmp_path).read_bytes()
    for cut in (len(good) // 2, len(good) - 10, 30):
        path = tmp_path / f"cut{cut}.npz"
        path.write_bytes(good[:cut])
        with pytest.raises(ValueError, match=rf"^load: '.*cut{cut}\.npz' is not a readable "
                                             r"\.npz file"):
            nn.load(path)


def test_load_corrupted_member(tmp_path):
    """A flipped byte inside an array's data fails the zip CRC: refused, not returned."""
    good = bytearray(_checkpoint(tmp_path).read_bytes())
    good[len(good) // 3] ^= 0xFF
    path = tmp_path / "flipped.npz"
    path.write_bytes(bytes(good))
    with pytest.raises(ValueError, match=r"^load: '.*flipped\.npz'"):
        nn.load(path)


def test_load_a_file_that_is_not_npz(tmp_path):
    path = tmp_path / "notes.npz"
    path.write_text("these are not the arrays you are looking for\n")
    with pytest.raises(ValueError, match=r"^load: '.*notes\.npz' is not a readable \.npz file"):
        nn.load(path)


class _Payload:
    """Unpickling this creates a marker file: proof that something unpickled it."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_load_never_unpickles_an_npz_with_object_arrays(tmp_path):
    marker = tmp_path / "UNPICKLED"
    path = tmp_path / "evil.npz"
    np.savez(path, weight=np.ones(3), payload=np.array([_Payload(marker)], dtype=object))
    assert not marker.exists()
    with pytest.raises(ValueError, match=r"^load: '.*evil\.npz': entry 'payload' is an object "
                                         r"array, which only pickle could load; refusing$"):
        nn.load(path)
    assert not marker.exists()


def test_load_never_unpickles_a_plain_pickle(tmp_path):
    marker = tmp_path / "UNPICKLED"
    path = tmp_path / "evil_pickle.npz"
    path.write_bytes(pickle.dumps({"weight": _Payload(marker)}))
    with pytest.raises(ValueError, match=r"^load: '.*evil_pickle\.npz' is not a readable"):
        nn.load(path)
    assert not marker.exists()


def test_save_refuses_object_arrays(tmp_path):
    path = tmp_path / "never-written.npz"
    with pytest.raises(TypeError, match=r"save: 'w' is an object array"):
        nn.save({"w": np.array([object()], dtype=object)}, path)
    assert list(tmp_path.iterdir()) == []


# --- atomic save -------------------------------------------------------------------------------
def _break_midway(monkeypatch):
    """Make every array writer NumPy offers write a few bytes and then fail, as a full disk."""
    def broken(file, *args, **kwargs):
        if hasattr(file, "write"):
            file.write(b"\x93NUMPY half an array")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np.lib.format, "write_array", broken)
    monkeypatch.setattr(np, "save", broken)
    monkeypatch.setattr(np, "savez", broken)
    monkeypatch.setattr(np, "savez_compressed", broken)


@pytest.mark.parametrize("failure", ["write fails midway", "os.replace fails"])
def test_failed_save_leaves_the_previous_checkpoint_intact(tmp_path, monkeypatch, failure):
    path = _checkpoint(tmp_path)
    old_bytes = path.read_bytes()
    old = nn.load(path)
    newer = {k: v + 1.0 for k, v in old.items()}
    with monkeypatch.context() as m:
        if failure == "write fails midway":
            _break_midway(m)
        else:
            def refuse(*args, **kwargs):
                raise OSError(5, "Input/output error")

            m.setattr(os, "replace", refuse)
            m.setattr(os, "rename", refuse)
        with pytest.raises(OSError):
            nn.save(newer, path)
    assert path.read_bytes() == old_bytes
    for key, value in nn.load(path).items():
        np.testing.assert_array_equal(value, old[key])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"], "temporary files left"
    nn.save(newer, path)                                # and a later save still works
    np.testing.assert_array_equal(nn.load(path)["0.weight"], newer["0.weight"])


# --- resume bit-for-bit ------------------------------------------------------------------------
def _batch(step):
    rng = np.random.default_rng(1000 + step)
    x = rng.standard_normal((16, 3)).astype(np.float32)
    return Tensor(x), Tensor(np.sin(x[:, :2] * 2.0))


def _train(model, opt, steps, start):
    losses = []
    for step in range(start, start + steps):
        x, y = _batch(step)
        loss = F.mse_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


def test_resume_from_checkpoint_continues_bit_for_bit(tmp_path):
    nn.manual_seed(0)
    model = small_model()
    opt = optim.Adam(model.parameters(), lr=0.01, betas=(0.8, 0.99), amsgrad=True)
    _train(model, opt, 7, start=0)
    path = tmp_path / "ckpt.npz"
    nn.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "step": 7}, path)
    uninterrupted = _train(model, opt, 8, start=7)

    nn.manual_seed(123)                                  # fresh objects, different init
    fresh = small_model()
    fresh_opt = optim.Adam(fresh.parameters(), lr=0.5)   # hyperparameters come from the file
    ckpt = nn.load(path)
    fresh.load_state_dict(ckpt["model"])
    fresh_opt.load_state_dict(ckpt["optimizer"])
    assert ckpt["step"] == 7
    assert fresh_opt.param_groups[0]["lr"] == 0.01
    assert tuple(fresh_opt.param_groups[0]["betas"]) == (0.8, 0.99)
    resumed = _train(fresh, fresh_opt, 8, start=7)

    assert resumed == uninterrupted
    for (name, a), (_, b) in zip(model.state_dict().items(), fresh.state_dict().items()):
        np.testing.assert_array_equal(a, b, err_msg=name)
    for a, b in zip(opt.state.values(), fresh_opt.state.values()):
        assert a["step"] == b["step"] == 15
        for key in ("exp_avg", "exp_avg_sq", "max_exp_avg_sq"):
            np.testing.assert_array_equal(a[key], b[key], err_msg=key)
