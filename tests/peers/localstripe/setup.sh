#!/usr/bin/env bash
# Creates the localstripe peer's own virtualenv at <repo>/.peers/localstripe.
# Idempotent: does nothing when the venv exists and was built from this requirements.txt.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
venv="$root/.peers/localstripe"
requirements="$here/requirements.txt"
stamp="$venv/.requirements.sha256"
wanted="$(sha256sum "$requirements" | cut -d' ' -f1)"

if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
    exit 0
fi

rm -rf "$venv"
"${PYTHON:-python3}" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
    --requirement "$requirements"
"$venv/bin/python" -c "import localstripe.server"
echo "$wanted" > "$stamp"
