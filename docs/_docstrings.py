"""The docs build's reading of docstrings: plain text as written, never misread as markup."""

import re

_TRAILING_UNDERSCORE = re.compile(r"(?<=\w)_(?!\w)")


def plain_text_docstrings(app, what, name, obj, options, lines):
    """Show the engine's plain-text docstrings as written, not as reStructuredText.

    They are written for `help()`: formulas in Unicode (`x Wᵀ + b`, `|x - t|`) and columns
    aligned with spaces. reST would read `*` and `|` as markup and an aligned table as stray
    indentation. So a paragraph aligned with runs of spaces, or indented unevenly, is shown as
    a literal block, exactly as typed; elsewhere `*` and `|` outside backticks are escaped.
    Paragraphs of reST that Napoleon generated (`:param ...`) or doctests are left alone.
    """
    out, block, after = [], [], [""]

    def flush():
        if not block:
            return
        first = block[0].lstrip()
        indents = {len(line) - len(line.lstrip()) for line in block}
        aligned = any("  " in line.strip() for line in block)
        if first.startswith((":", "..", ">>>")) or after[0].endswith("::"):
            out.extend(block)  # reST already, or the literal block a "::" announced
        elif aligned or len(indents) > 1:
            out.extend(["::", ""] + ["    " + line for line in block])
        else:
            out.extend(_escape(line) for line in block)
        after[0] = block[-1].rstrip()
        block.clear()

    for line in lines:
        if line.strip():
            block.append(line)
        else:
            flush()
            out.append(line)
    flush()
    lines[:] = out


def _escape(line):
    """`*`, `|` and a trailing `_` (`xavier_uniform_`, a reference in reST) made literal."""
    parts = line.split("`")
    for i in range(0, len(parts), 2):  # outside backticks
        text = parts[i].replace("\\", "\\\\").replace("*", "\\*").replace("|", "\\|")
        parts[i] = _TRAILING_UNDERSCORE.sub(r"\\_", text)
    return "`".join(parts)
