"""nn.save / nn.load against hostile files and file-system corners: zip bombs, members that are
not .npy arrays, malformed manifests, oversized headers, permissions, symlinks, leftovers of
killed saves, and error messages that name the file the user asked for."""

import io
import json
import os
import stat
import subprocess
import sys
import textwrap
import time
import zipfile

import numpy as np
import pytest

import nn


def _zip(path, members, compression=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def _npy(array):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.asarray(array), allow_pickle=False)
    return buffer.getvalue()


# --- hostile archives ---------------------------------------------------------------------------
def test_zip_bomb_is_refused_before_inflating(tmp_path):
    """256 MB of zeros deflate to about 0.25 MB; loading must refuse, not allocate 256 MB."""
    path = tmp_path / "bomb.npz"
    np.savez_compressed(path, a=np.zeros(2**25))          # 2**25 float64 = 256 MiB
    assert path.stat().st_size < 2**20
    with pytest.raises(ValueError, match=r"^load: '.*bomb\.npz': entry 'a' would inflate "
                                         r"to 268,435,[0-9]+ bytes from a file of"):
        nn.load(path)


def test_small_compressed_archive_still_loads(tmp_path):
    path = tmp_path / "small.npz"
    np.savez_compressed(path, w=np.arange(1000.0))
    np.testing.assert_array_equal(nn.load(path)["w"], np.arange(1000.0))


def test_member_that_is_not_npy_is_a_value_error(tmp_path):
    """NumPy hands such a member back as raw bytes; a checkpoint never holds one."""
    path = _zip(tmp_path / "odd.npz", {"w.npy": _npy(np.ones(2)),
                                       "a.npy": b"\x80\x04K\x01." + b"x" * 20})
    with pytest.raises(ValueError, match=r"^load: '.*odd\.npz': entry 'a' is not a \.npy "
                                         r"array"):
        nn.load(path)
    path = _zip(tmp_path / "readme.npz", {"w.npy": _npy(np.ones(2)), "README.txt": b"hello"})
    with pytest.raises(ValueError, match=r"entry 'README\.txt' is not a \.npy array"):
        nn.load(path)


def test_oversized_npy_header_is_named_as_such_not_as_object_array(tmp_path):
    header = b"{'descr': '<f8', 'fortran_order': False, 'shape': (2,), " + b" " * 20000 + b"}"
    header += b" " * (-(len(header) + 13) % 64) + b"\n"
    member = b"\x93NUMPY\x02\x00" + len(header).to_bytes(4, "little") + header + bytes(16)
    path = _zip(tmp_path / "big.npz", {"a.npy": member})
    with pytest.raises(ValueError, match=r"^load: '.*big\.npz': entry 'a' has a \.npy header "
                                         r"of [0-9,]+ bytes") as info:
        nn.load(path)
    assert "object array" not in str(info.value)


def test_declared_shape_larger_than_the_member_is_refused(tmp_path):
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (10**9,)})
    path = _zip(tmp_path / "liar.npz", {"a.npy": header.getvalue() + bytes(32)})
    with pytest.raises(ValueError, match=r"^load: '.*liar\.npz': entry 'a' declares shape "
                                         r"\(1000000000,\) of float64 .* holds only 32 bytes"):
        nn.load(path)


@pytest.mark.parametrize("manifest, why", [
    ("[" * 5000 + "]" * 5000, "deep nesting"),
    ('{"dict": 5}', "a dict that is not a list of pairs"),
    ('{"array": ["a"]}', "an array name that is not a string"),
    ('{"dict": [[1, 2, 3]]}', "a pair of three"),
    ('{"dict": [[{"k": 1}, {"value": 1}]]}', "a key that is neither str nor int"),
    ('{"list": {"value": 1}}', "a list body that is not a list"),
    ('{"value": [1, 2]}', "a value that is not a scalar"),
    ('{"tuple": [' * 3000 + '{"value": 1}' + "]}" * 3000, "deep but valid-looking nesting"),
    ("not json", "not JSON at all"),
])
def test_hostile_manifest_is_a_value_error_naming_the_file(tmp_path, manifest, why):
    path = _zip(tmp_path / "manifest.npz", {"__manifest__.npy": _npy(np.array(manifest)),
                                            "a.npy": _npy(np.ones(2))})
    with pytest.raises(ValueError, match=r"^load: '.*manifest\.npz'"):
        nn.load(path)


def test_duplicate_members_are_refused(tmp_path):
    path = tmp_path / "twice.npz"
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(path, "w") as z:
        z.writestr("a.npy", _npy(np.ones(2)))
        z.writestr("a.npy", _npy(np.zeros(2)))
    with pytest.raises(ValueError, match=r"entry 'a' appears twice"):
        nn.load(path)


# --- permissions, symlinks, leftovers -----------------------------------------------------------
@pytest.fixture
def umask022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_new_checkpoint_gets_the_mode_open_would_give(tmp_path, umask022):
    path = tmp_path / "model.npz"
    nn.save({"w": np.ones(2)}, path)
    with open(tmp_path / "plain.bin", "w"):
        pass
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "plain.bin").stat().st_mode) == 0o644


def test_existing_checkpoint_keeps_its_mode(tmp_path, umask022):
    path = tmp_path / "model.npz"
    nn.save({"w": np.ones(2)}, path)
    os.chmod(path, 0o640)
    nn.save({"w": np.zeros(2)}, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    np.testing.assert_array_equal(nn.load(path)["w"], np.zeros(2))


def test_saving_through_a_symlink_updates_the_target(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    target = run / "ckpt.npz"
    nn.save({"w": np.ones(2)}, target)
    link = tmp_path / "latest.npz"
    link.symlink_to(target)
    nn.save({"w": np.full(2, 7.0)}, link)
    assert link.is_symlink()
    np.testing.assert_array_equal(nn.load(target)["w"], np.full(2, 7.0))
    assert sorted(p.name for p in run.iterdir()) == ["ckpt.npz"]


def test_killed_save_leaves_a_temp_file_that_the_next_save_removes(tmp_path):
    """A save killed between writing and renaming leaves its temporary file; the next save to
    the same path removes it once its writer is gone, and leaves a live writer's file alone."""
    path = tmp_path / "ckpt.npz"
    script = textwrap.dedent(f"""
        import os, numpy as np, nn
        def die(*args, **kwargs):
            os._exit(9)            # as abrupt as SIGKILL: no cleanup runs
        os.replace = die
        nn.save({{"w": np.ones(3)}}, {str(path)!r})
    """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    assert subprocess.run([sys.executable, "-c", script], env=env).returncode == 9
    stale = [p for p in tmp_path.iterdir() if p.name != "ckpt.npz"]
    assert len(stale) == 1 and stale[0].name.startswith(".ckpt.npz.")
    old = time.time() - 3600
    os.utime(stale[0], (old, old))
    live = tmp_path / f".ckpt.npz.{os.getpid()}-inflight.tmp"   # another thread's save
    live.write_bytes(b"partial")
    os.utime(live, (old, old))
    unrelated = tmp_path / ".other.npz.1-x.tmp"
    unrelated.write_bytes(b"")

    nn.save({"w": np.zeros(3)}, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["ckpt.npz", live.name, unrelated.name])
    np.testing.assert_array_equal(nn.load(path)["w"], np.zeros(3))


def test_save_error_names_the_target_not_the_temp_file(tmp_path):
    path = tmp_path / "missing-folder" / "model.npz"
    with pytest.raises(FileNotFoundError) as info:
        nn.save({"w": np.ones(2)}, path)
    message = str(info.value)
    assert "model.npz" in message and ".tmp" not in message
    assert "missing-folder" in message


def test_manifest_survives_the_round_trip_for_nested_checkpoints(tmp_path):
    """The stricter manifest check still accepts everything save writes."""
    ckpt = {"model": {"w": np.ones(2)}, "optimizer": {"state": {0: {"step": 3}},
            "param_groups": [{"lr": 0.1, "betas": (0.9, 0.99), "params": [0]}]},
            "epoch": 2, "name": None, "flags": [True, 1.5, "x"]}
    nn.save(ckpt, tmp_path / "c.npz")
    back = nn.load(tmp_path / "c.npz")
    assert back["optimizer"]["param_groups"] == ckpt["optimizer"]["param_groups"]
    assert back["optimizer"]["state"] == {0: {"step": 3}}
    assert back["flags"] == [True, 1.5, "x"] and back["name"] is None
    with zipfile.ZipFile(tmp_path / "c.npz") as z:
        tree = json.loads(str(np.load(z.open("__manifest__.npy"))))
    assert set(tree) == {"dict"}
