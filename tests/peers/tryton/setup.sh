#!/usr/bin/env bash
# Creates the Tryton peer in the peers' cache and prints its folder: its own virtualenv,
# then a database initialised once (modules activated, a company with chart, fiscal years
# and taxes) and kept as a snapshot that tests restore; `setup.sh postgresql` also builds
# the same database in PostgreSQL, as the template database named in the folder's
# `pg_template` file. Idempotent: does nothing when they were built from these files (and
# this year, since the fiscal years are set around today).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../cache.sh"
peer="$(peer_dir tryton "$here/requirements.txt" "$here/init_business.py")"
peer_lock tryton
venv="$peer/venv"
snapshot="$peer/snapshot"
requirements="$here/requirements.txt"
venv_stamp="$venv/.requirements.sha256"
snapshot_stamp="$snapshot/.stamp"
wanted_venv="$(sha256sum "$requirements" | cut -d' ' -f1)"
wanted_snapshot="$(cat "$requirements" "$here/init_business.py" | sha256sum | cut -d' ' -f1)-$(date +%Y)"

if [[ ! -x "$venv/bin/python" || ! -f "$venv_stamp" || "$(cat "$venv_stamp")" != "$wanted_venv" ]]; then
    rm -rf "$venv"
    "${PYTHON:-python3}" -m venv "$venv" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
        --requirement "$requirements" >&2
    "$venv/bin/python" -c "import trytond, proteus"
    echo "$wanted_venv" > "$venv_stamp"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf 'admin\n' > "$work/password"

# initialise CONFIG DATABASE: activate the modules, then give it a business that posts.
initialise() {
    TRYTONPASSFILE="$work/password" "$venv/bin/trytond-admin" -c "$1" -d "$2" \
        -u account_invoice sale stock product product_attribute --activate-dependencies \
        --email admin@example.com >"$work/admin.log" 2>&1 || { cat "$work/admin.log"; exit 1; }
    # The configuration from the environment: trytond picks its backend when imported.
    TRYTOND_CONFIG="$1" "$venv/bin/python" "$here/init_business.py" "$1" "$2"
}

if [[ ! -f "$snapshot_stamp" || "$(cat "$snapshot_stamp")" != "$wanted_snapshot" ]]; then
    rm -rf "$snapshot"
    mkdir -p "$work/db"
    cat > "$work/trytond.conf" <<CONF
[database]
uri = sqlite://
path = $work/db
CONF
    touch "$work/db/tillflow.sqlite"
    initialise "$work/trytond.conf" tillflow >&2
    mkdir -p "$snapshot"
    cp "$work/db/tillflow.sqlite" "$snapshot/tillflow.sqlite"
    echo "$wanted_snapshot" > "$snapshot_stamp"
fi

# With "postgresql": the same business in a PostgreSQL template database each test
# copies, named after what built it, kept while its stamp matches and it exists.
if [[ "${1:-}" == "postgresql" ]]; then
    pg="${TRYTON_PG_URI:-postgresql://postgres@127.0.0.1:5432/}"
    template="tillflow_tryton_$(echo "$wanted_snapshot" | sha256sum | cut -c1-10)"
    pg_stamp="$peer/postgresql.stamp"
    exists="$(psql "${pg}postgres" -tAc "select 1 from pg_database where datname = '$template'")"
    if [[ "$exists" != "1" || ! -f "$pg_stamp" || "$(cat "$pg_stamp")" != "$wanted_snapshot" ]]; then
        psql "${pg}postgres" -qc "drop database if exists $template with (force)" >&2
        psql "${pg}postgres" -qc "create database $template encoding 'UTF8' template template0" >&2
        printf '[database]\nuri = %s\n' "$pg" > "$work/trytond-pg.conf"
        initialise "$work/trytond-pg.conf" "$template" >&2
        echo "$wanted_snapshot" > "$pg_stamp"
    fi
    echo "$template" > "$peer/pg_template"
fi
echo "$peer"
