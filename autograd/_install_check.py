"""A warning at import when another installed distribution also ships an `autograd` package.

chainrule imports as `autograd`, and so does HIPS autograd (the `autograd` distribution on
PyPI). pip installs both into the same `site-packages/autograd/` folder without a word: the one
installed last overwrites the other's `__init__.py`, and uninstalling either deletes files the
other needs. Code then runs against a mixture of the two. Nothing can prevent it from here, but
saying so at import turns a baffling ImportError later into a clear instruction now.

The check reads each installed distribution's `top_level.txt` (or its RECORD when it has none)
as raw text: about 10 ms for 140 distributions, where `importlib.metadata
.packages_distributions()` parses every file list and takes over 100 ms.
"""

import importlib.metadata
import re
import warnings

OWN = "chainrule"
_RECORD_LINE = re.compile(r"^autograd/", re.MULTILINE)


class DistributionClashWarning(UserWarning):
    """Another installed distribution writes into the same `autograd` package folder."""


def _normalise(name):
    return re.sub(r"[-_.]+", "-", name or "").lower()


def _ships_autograd(dist):
    top_level = dist.read_text("top_level.txt")
    if top_level is not None:
        return "autograd" in top_level.split()
    return bool(_RECORD_LINE.search(dist.read_text("RECORD") or ""))


def other_distributions(path=None):
    """`(name, version)` of every installed distribution but chainrule that ships `autograd`."""
    found = {}
    for dist in importlib.metadata.distributions(**({} if path is None else {"path": path})):
        try:
            if not _ships_autograd(dist):
                continue
            name = dist.metadata["Name"]
        except (OSError, UnicodeDecodeError, KeyError):
            continue
        if _normalise(name) != OWN:
            found.setdefault(_normalise(name), (name, dist.version))
    return sorted(found.values())


def warn_about_other_distributions(path=None):
    others = other_distributions(path)
    if not others:
        return
    names = ", ".join(f"{name} {version}" for name, version in others)
    uninstall = " ".join(name for name, _ in others)
    warnings.warn(
        f"chainrule imports as 'autograd', and so does the installed distribution {names}. "
        "pip lets them overwrite each other's files in the same 'autograd' folder, so this "
        "import may mix code from both. Use a separate virtual environment for chainrule, or "
        f"run `pip uninstall {uninstall} chainrule` and then reinstall chainrule.",
        DistributionClashWarning, stacklevel=3)


warn_about_other_distributions()
