#!/usr/bin/env bash
# Builds a real Odoo for the ERP tests from the packed sources in ../shared/peers/odoo:
#
#   tests/peers/odoo/setup.sh VERSION...      VERSION 17 or 19
#
# For each version, in ${XDG_CACHE_HOME:-~/.cache}/tillflow-peers/odoo-VERSION-<hash of the
# tarball, the Python and what this script adds to its requirements>/ (outside the clone, so every
# clone and CI run on the machine reuses it): the sources, a virtualenv of the Python that
# version supports, a database initialised once with sale_management, stock and account,
# and from it a template seeded by seed.py, named for the version and a hash of the seed so
# that a changed seed builds a new one. Prints, per version, the path of a JSON file
# describing the template (how to run the server, the admin's login, password and API
# key), which tests/support/odoo_peer.py reads. Each step is skipped when its result
# exists; a version whose tarball is absent is reported and skipped (its tests skip too).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
shared="${TILLFLOW_SHARED_PEERS:-$root/../shared/peers}"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/tillflow-peers"
modules=sale_management,stock,account
# Odoo 17 still imports pkg_resources, which setuptools 81 removed.
extra_requirements=("setuptools<81")
# What python-ldap and psycopg2 build against (compiled from source on install).
build_packages=(gcc libldap2-dev libsasl2-dev libpq-dev)
psql_admin=(env PGOPTIONS=--client-min-messages=warning
            psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA)

log() { printf 'odoo peer: %s\n' "$*" >&2; }

short_hash() { sha256sum | cut -c1-12; }

python_version() {
    case "$1" in
        17) echo 3.11 ;;
        19) echo 3.12 ;;
        *) log "unknown Odoo version $1 (17 or 19)"; exit 2 ;;
    esac
}

# The interpreter for a Python version: on PATH, else one pyenv built. It names its own
# executable, as a pyenv shim on PATH may only fail or point elsewhere.
find_python() {
    local candidate found
    local ask='import sys; print("%d.%d" % sys.version_info[:2], sys.executable)'
    for candidate in "python$1" "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$1".*/bin/"python$1"; do
        found="$("$candidate" -c "$ask" 2>/dev/null || true)"
        if [[ "$found" == "$1 "* ]]; then
            echo "${found#* }"
            return
        fi
    done
    log "Odoo needs Python $1: install it (pyenv install $1) or put python$1 on PATH"
    exit 1
}

apt_install() {
    if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
        log "missing Debian packages: $* (install them as root)"
        exit 1
    fi
    log "installing $*"
    apt-get update -qq -o DPkg::Lock::Timeout=600
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        -o DPkg::Lock::Timeout=600 "$@" >/dev/null
}

ensure_build_packages() {
    local python="$1" missing=() package
    for package in "${build_packages[@]}"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    # A Debian-built interpreter keeps its C headers in a package of their own.
    if ! "$python" -c 'import os, sys, sysconfig
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))'; then
        missing+=("$(basename "$python")-dev")
    fi
    if ((${#missing[@]})); then apt_install "${missing[@]}"; fi
}

database_exists() {
    [[ "$("${psql_admin[@]}" -c "select 1 from pg_database where datname = '$1'")" == 1 ]]
}

ensure_role() {
    # Odoo refuses to run as a superuser; its own role creates the databases it initialises.
    if [[ "$("${psql_admin[@]}" -c "select 1 from pg_roles where rolname = 'odoo'")" != 1 ]]; then
        "${psql_admin[@]}" -c "create role odoo login createdb password 'odoo'"
    fi
}

# install VERSION TARBALL DIR: the sources, the virtualenv and the server's configuration.
install() {
    local version="$1" tarball="$2" dir="$3" python started
    [[ -f "$dir/installed" ]] && return
    python="$(find_python "$(python_version "$version")")"
    ensure_build_packages "$python"
    started=$SECONDS
    rm -rf "$dir"
    mkdir -p "$dir/odoo" "$dir/data"
    tar -xzf "$tarball" -C "$dir/odoo" --strip-components=1
    "$python" -m venv "$dir/venv"
    "$dir/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        --requirement "$dir/odoo/requirements.txt" "${extra_requirements[@]}"
    local addons="$dir/odoo/odoo/addons"  # the sdist layout keeps every addon there
    [[ -d "$dir/odoo/addons" ]] && addons="$dir/odoo/addons,$addons"  # the git layout
    cat > "$dir/odoo.conf" <<CONF
[options]
addons_path = $addons
data_dir = $dir/data
db_host = 127.0.0.1
db_port = 5432
db_user = odoo
db_password = odoo
CONF
    touch "$dir/installed"
    log "Odoo $version installed in $((SECONDS - started)) s"
}

odoo() {
    local dir="$1"
    shift
    (cd "$dir/odoo" && "$dir/venv/bin/python" odoo-bin "$@")
}

# initialise DIR DATABASE: the modules, once, without demo data.
initialise() {
    local dir="$1" database="$2" started=$SECONDS
    [[ -f "$dir/$database.initialised" ]] && database_exists "$database" && return
    "${psql_admin[@]}" -c "drop database if exists $database with (force)"
    rm -rf "$dir/data/filestore/$database"
    odoo "$dir" -c "$dir/odoo.conf" -d "$database" -i "$modules" --without-demo=all \
        --stop-after-init --max-cron-threads=0 --logfile "$dir/$database.log" ||
        { log "initialising $database failed: see $dir/$database.log"; exit 1; }
    touch "$dir/$database.initialised"
    log "$database initialised in $((SECONDS - started)) s"
}

# seed DIR VERSION BASE TEMPLATE: a copy of the initialised database, seeded by seed.py.
seed() {
    local dir="$1" version="$2" base="$3" template="$4" started=$SECONDS key
    [[ -f "$dir/$template.json" ]] && database_exists "$template" && return
    "${psql_admin[@]}" -c "drop database if exists $template with (force)"
    "${psql_admin[@]}" -c "create database $template template $base owner odoo"
    rm -rf "$dir/data/filestore/$template"
    cp -a "$dir/data/filestore/$base" "$dir/data/filestore/$template"
    key="$(mktemp)"
    TILLFLOW_ODOO_API_KEY_FILE="$key" odoo "$dir" shell -c "$dir/odoo.conf" -d "$template" \
        --no-http --max-cron-threads=0 --logfile "$dir/$template.log" < "$here/seed.py" ||
        { log "seeding $template failed: see $dir/$template.log"; exit 1; }
    cat > "$dir/$template.json" <<JSON
{"version": "$version", "python": "$dir/venv/bin/python", "odoo_bin": "$dir/odoo/odoo-bin",
 "config": "$dir/odoo.conf", "filestore": "$dir/data/filestore/$template",
 "template": "$template", "login": "admin", "password": "admin", "api_key": "$(cat "$key")"}
JSON
    rm -f "$key"
    log "$template seeded in $((SECONDS - started)) s"
}

main() {
    local version tarball digest dir base template
    (($#)) || { log "usage: setup.sh VERSION... (17, 19)"; exit 2; }
    mkdir -p "$cache"
    for version in "$@"; do
        python_version "$version" >/dev/null
        tarball="$shared/odoo/odoo-$version.tar.gz"
        if [[ ! -f "$tarball" ]]; then
            log "skipped Odoo $version: $tarball is missing"
            continue
        fi
        digest="$( { sha256sum < "$tarball"; python_version "$version"
                     printf '%s\n' "${extra_requirements[@]}"; } | short_hash)"
        dir="$cache/odoo-$version-$digest"
        base="tillflow_odoo${version}_init_$(echo "$digest $modules" | short_hash)"
        template="tillflow_odoo${version}_$(
            { echo "$digest $modules"; cat "$here/seed.py"; } | short_hash)"
        # One build at a time per version, whichever clone or test session asks.
        exec 9>"$cache/odoo-$version.lock"
        flock 9
        install "$version" "$tarball" "$dir"
        ensure_role
        initialise "$dir" "$base"
        seed "$dir" "$version" "$base" "$template"
        exec 9>&-
        echo "$dir/$template.json"
    done
}

main "$@"
