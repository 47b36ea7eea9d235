#!/usr/bin/env bash
# Creates the Tryton peer under <repo>/.peers/tryton: its own virtualenv, then a database
# initialised once (modules activated, a company with chart, fiscal years and taxes) and
# kept as a snapshot that tests restore. Idempotent: does nothing when both were built
# from these files (and this year, since the fiscal years are set around today).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
peer="$root/.peers/tryton"
venv="$peer/venv"
snapshot="$peer/snapshot"
requirements="$here/requirements.txt"
venv_stamp="$venv/.requirements.sha256"
snapshot_stamp="$snapshot/.stamp"
wanted_venv="$(sha256sum "$requirements" | cut -d' ' -f1)"
wanted_snapshot="$(cat "$requirements" "$here/init_business.py" | sha256sum | cut -d' ' -f1)-$(date +%Y)"

if [[ ! -x "$venv/bin/python" || ! -f "$venv_stamp" || "$(cat "$venv_stamp")" != "$wanted_venv" ]]; then
    rm -rf "$venv"
    "${PYTHON:-python3}" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
        --requirement "$requirements"
    "$venv/bin/python" -c "import trytond, proteus"
    echo "$wanted_venv" > "$venv_stamp"
fi

if [[ -f "$snapshot_stamp" && "$(cat "$snapshot_stamp")" == "$wanted_snapshot" ]]; then
    exit 0
fi

rm -rf "$snapshot"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/db"
cat > "$work/trytond.conf" <<CONF
[database]
uri = sqlite://
path = $work/db
CONF
touch "$work/db/tillflow.sqlite"
printf 'admin\n' > "$work/password"
TRYTONPASSFILE="$work/password" "$venv/bin/trytond-admin" -c "$work/trytond.conf" -d tillflow \
    -u account_invoice sale stock product --activate-dependencies \
    --email admin@example.com >"$work/admin.log" 2>&1 || { cat "$work/admin.log"; exit 1; }
"$venv/bin/python" "$here/init_business.py" "$work/trytond.conf" tillflow
mkdir -p "$snapshot"
cp "$work/db/tillflow.sqlite" "$snapshot/tillflow.sqlite"
echo "$wanted_snapshot" > "$snapshot_stamp"
