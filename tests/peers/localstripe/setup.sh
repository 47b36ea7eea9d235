#!/usr/bin/env bash
# Creates the localstripe peer's own virtualenv in the peers' cache and prints its folder.
# Idempotent: does nothing when the venv exists and was built from this requirements.txt.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../cache.sh"
requirements="$here/requirements.txt"
venv="$(peer_dir localstripe "$requirements")"
peer_lock localstripe

if [[ ! -x "$venv/bin/python" || ! -f "$venv/.ready" ]]; then
    rm -rf "$venv"
    "${PYTHON:-python3}" -m venv "$venv" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
        --requirement "$requirements" >&2
    "$venv/bin/python" -c "import localstripe.server"
    touch "$venv/.ready"
fi
echo "$venv"
