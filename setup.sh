#!/usr/bin/env bash
# Set up a development environment for chainrule on a fresh Debian machine.
# Idempotent: safe to run again; installs into ./.venv and touches nothing global
# except Debian's graphviz package (for the `dot` renderer), when it is missing.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

PYTHON="${PYTHON:-python3}"
VENV=.venv

if [ ! -x "$VENV/bin/python" ]; then
    echo "setup.sh: creating $VENV"
    "$PYTHON" -m venv "$VENV"
fi

"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
echo "setup.sh: installing chainrule (editable) with the dev extras"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[dev]"

# Graphviz's `dot` renders graph pictures; DOT text (autograd.viz.to_dot) works without it.
if ! command -v dot >/dev/null 2>&1; then
    echo "setup.sh: installing Debian's graphviz for the 'dot' program"
    SUDO=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            SUDO=(sudo -n)
        else
            SUDO=(none)
        fi
    fi
    if [ "${SUDO[0]:-}" = none ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "setup.sh: WARNING: cannot install graphviz (need root or sudo, and apt-get);" \
             "graph pictures will not render, DOT text still works" >&2
    elif ! { "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
             && "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
                apt-get install -y -qq graphviz >/dev/null; }; then
        echo "setup.sh: WARNING: apt-get install graphviz failed;" \
             "graph pictures will not render, DOT text still works" >&2
    fi
fi

echo "setup.sh: done. Run the tests with: $VENV/bin/python -m pytest"
