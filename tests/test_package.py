"""The package as a user meets it: its version, its typing marker, its licence and data
attribution, and the warning when another distribution also installs `autograd`."""

import os
import pathlib
import subprocess
import sys

import pytest

import autograd as ag
from autograd import _install_check

tomllib = pytest.importorskip("tomllib")  # Python 3.11+
ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_version_has_one_source():
    from autograd._version import __version__

    assert ag.__version__ == __version__
    assert [int(part) for part in __version__.split(".")[:2]]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["dynamic"] == ["version"]
    assert "version" not in project["project"]
    attr = project["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    assert attr == "autograd._version.__version__"
    assert f"## {__version__}" in (ROOT / "CHANGELOG.md").read_text()


def test_licence_data_attribution_and_typing_markers_ship():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "MIT" in project["project"]["license"]
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    data = project["tool"]["setuptools"]["package-data"]
    assert "README.md" in data["nn.data"]
    assert "CC BY 4.0" in (ROOT / "nn" / "data" / "README.md").read_text()
    for package in ("autograd", "nn", "optim"):
        assert data[package] == ["py.typed"] and (ROOT / package / "py.typed").exists()


def _fake_distribution(folder, name, top_level=None, record=None):
    info = folder / f"{name.replace('-', '_')}-1.9.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.9.1\n")
    if top_level is not None:
        (info / "top_level.txt").write_text(top_level)
    if record is not None:
        (info / "RECORD").write_text(record)
    return folder


def test_other_distribution_shipping_autograd_is_found(tmp_path):
    _fake_distribution(tmp_path, "autograd", top_level="autograd\n")
    _fake_distribution(tmp_path, "hatch-built", record="autograd/__init__.py,,\nx/y.py,,\n")
    _fake_distribution(tmp_path, "torchlike", record="torchlike/autograd/__init__.py,,\n")
    _fake_distribution(tmp_path, "chainrule", top_level="autograd\nnn\noptim\n")
    _fake_distribution(tmp_path, "nn", top_level="nn\n")
    found = _install_check.other_distributions(path=[str(tmp_path)])
    assert found == [("autograd", "1.9.1", ("autograd",)), ("hatch-built", "1.9.1", ("autograd",)),
                     ("nn", "1.9.1", ("nn",))]
    with pytest.warns(_install_check.DistributionClashWarning,
                      match=r"chainrule imports as 'autograd' and 'nn', and so does the installed "
                            r"distribution autograd 1\.9\.1 \(autograd\), hatch-built 1\.9\.1 "
                            r"\(autograd\), nn 1\.9\.1 \(nn\)\. .* separate virtual environment "
                            r".* `pip uninstall autograd hatch-built nn chainrule`"):
        _install_check.warn_about_other_distributions(path=[str(tmp_path)])


def test_no_warning_without_another_distribution(tmp_path):
    _fake_distribution(tmp_path, "chainrule", top_level="autograd\nnn\noptim\n")
    _install_check.warn_about_other_distributions(path=[str(tmp_path)])  # errors on warning
    assert _install_check.other_distributions() == []   # this environment is clean


def test_importing_autograd_warns_about_a_clash(tmp_path):
    site = _fake_distribution(tmp_path / "site", "autograd", top_level="autograd\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(site)])}
    result = subprocess.run([sys.executable, "-c", "import autograd"], env=env,
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "DistributionClashWarning" in result.stderr
    assert "installed distribution autograd 1.9.1 (autograd)" in result.stderr
