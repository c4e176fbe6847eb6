"""A warning at import when another installed distribution also ships an `autograd`, `nn` or
`optim` package.

chainrule imports as `autograd`, `nn` and `optim`, and so do other distributions: HIPS autograd
(the `autograd` distribution on PyPI), and small `nn` and `optim` ones. pip installs two of
them into the same `site-packages/autograd/` folder without a word: the one installed last
overwrites the other's `__init__.py`, and uninstalling either deletes files the other needs.
Code then runs against a mixture of the two. Nothing can prevent it from here, but saying so at
import turns a baffling ImportError later into a clear instruction now.

The check lists the `*.dist-info` and `*.egg-info` folders on `sys.path` and reads each one's
`top_level.txt` (or its RECORD when it has none) as raw text: a few milliseconds for 140
distributions. `importlib.metadata.packages_distributions()` answers the same question, but
importing it and parsing every file list costs over 100 ms on every `import autograd`.
"""

import os
import re
import sys
import warnings

OWN = "chainrule"
PACKAGES = ("autograd", "nn", "optim")


class DistributionClashWarning(UserWarning):
    """Another installed distribution writes into the same `autograd` package folder."""


def _normalise(name):
    return re.sub(r"[-_.]+", "-", name or "").lower()


def _read(folder, name):
    try:
        with open(os.path.join(folder, name), "rb") as f:
            return f.read()
    except OSError:
        return None


def _shipped(folder):
    """Which of chainrule's import packages the distribution in `folder` installs."""
    top_level = _read(folder, "top_level.txt")
    if top_level is not None:
        return sorted(set(top_level.decode("utf-8", "replace").split()) & set(PACKAGES))
    record = b"\n" + (_read(folder, "RECORD") or b"")  # one "path,hash,size" line per file
    return [p for p in PACKAGES if b"\n" + p.encode() + b"/" in record]


def _name_and_version(folder):
    """From the metadata's `Name:` and `Version:` lines (PEP 566), else the folder's name."""
    fields = {}
    text = _read(folder, "METADATA") or _read(folder, "PKG-INFO") or b""
    for line in text.decode("utf-8", "replace").splitlines():
        if not line.strip():
            break  # the headers end at the first blank line
        key, _, value = line.partition(":")
        fields.setdefault(key.strip().lower(), value.strip())
    stem = os.path.basename(folder).rsplit(".", 1)[0]
    name, _, version = stem.partition("-")
    return fields.get("name", name), fields.get("version", version.split("-")[0])


def other_distributions(path=None):
    """`(name, version, packages)` of every installed distribution but chainrule that ships
    one of the packages `autograd`, `nn`, `optim` (searching `path`, or `sys.path`)."""
    found = {}
    for entry in dict.fromkeys(sys.path if path is None else path):
        try:
            names = os.listdir(entry or ".")
        except OSError:  # a zip file, a missing folder
            continue
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            folder = os.path.join(entry or ".", name)
            shipped = _shipped(folder)
            if not shipped:
                continue
            dist, version = _name_and_version(folder)
            if _normalise(dist) != OWN:
                found.setdefault(_normalise(dist), (dist, version, tuple(shipped)))
    return sorted(found.values())


def warn_about_other_distributions(path=None):
    others = other_distributions(path)
    if not others:
        return
    packages = sorted({p for _, _, shipped in others for p in shipped}, key=PACKAGES.index)
    names = ", ".join(f"{name} {version} ({', '.join(shipped)})"
                      for name, version, shipped in others)
    uninstall = " ".join(name for name, _, _ in others)
    folders = " and ".join(f"'{p}'" for p in packages)
    warnings.warn(
        f"chainrule imports as {folders}, and so does the installed distribution {names}. pip "
        f"lets them overwrite each other's files in the same {folders} folder, so this import "
        "may mix code from both. Use a separate virtual environment for chainrule, or run "
        f"`pip uninstall {uninstall} chainrule` and then reinstall chainrule.",
        DistributionClashWarning, stacklevel=3)


warn_about_other_distributions()
