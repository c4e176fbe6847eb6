"""A warning at import when another installed distribution also ships an `autograd`, `nn` or
`optim` package.

chainrule imports as `autograd`, `nn` and `optim`, and so do other distributions: HIPS autograd
(the `autograd` distribution on PyPI), and small `nn` and `optim` ones. pip installs two of
them into the same `site-packages/autograd/` folder without a word: the one installed last
overwrites the other's `__init__.py`, and uninstalling either deletes files the other needs.
Code then runs against a mixture of the two. Nothing can prevent it from here, but saying so at
import turns a baffling ImportError later into a clear instruction now.

The check reads each installed distribution's `top_level.txt` (or its RECORD when it has none)
as raw text: about 10 ms for 140 distributions, where `importlib.metadata
.packages_distributions()` parses every file list and takes over 100 ms.
"""

import importlib.metadata
import re
import warnings

OWN = "chainrule"
PACKAGES = ("autograd", "nn", "optim")
_RECORD_LINE = re.compile(r"^(autograd|nn|optim)/", re.MULTILINE)


class DistributionClashWarning(UserWarning):
    """Another installed distribution writes into the same `autograd` package folder."""


def _normalise(name):
    return re.sub(r"[-_.]+", "-", name or "").lower()


def _shipped(dist):
    """Which of chainrule's import packages `dist` installs files into."""
    top_level = dist.read_text("top_level.txt")
    if top_level is not None:
        return sorted(set(top_level.split()) & set(PACKAGES))
    return sorted(set(_RECORD_LINE.findall(dist.read_text("RECORD") or "")))


def other_distributions(path=None):
    """`(name, version, packages)` of every installed distribution but chainrule that ships
    one of the packages `autograd`, `nn`, `optim`."""
    found = {}
    for dist in importlib.metadata.distributions(**({} if path is None else {"path": path})):
        try:
            shipped = _shipped(dist)
            if not shipped:
                continue
            name = dist.metadata["Name"]
        except (OSError, UnicodeDecodeError, KeyError):
            continue
        if _normalise(name) != OWN:
            found.setdefault(_normalise(name), (name, dist.version, tuple(shipped)))
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
