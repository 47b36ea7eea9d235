#!/usr/bin/env bash
# Installs the Vendure peer under <repo>/.peers/vendure from the committed lock file
# (npm ci). Idempotent: does nothing when the folder was built from these very files.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
peer="$root/.peers/vendure"
stamp="$peer/.stamp"
wanted="$(cat "$here/package.json" "$here/package-lock.json" "$here/.npmrc" | sha256sum | cut -d' ' -f1)"

if [[ -f "$stamp" && "$(cat "$stamp")" == "$wanted" && -d "$peer/node_modules/@vendure/core" ]]; then
    exit 0
fi
command -v npm >/dev/null || { echo "the Vendure peer needs Node.js 20+ and npm" >&2; exit 1; }

rm -rf "$peer"
mkdir -p "$peer"
cp "$here/package.json" "$here/package-lock.json" "$here/.npmrc" "$peer/"
(cd "$peer" && npm ci --no-audit --no-fund --loglevel=error)
node -e "require('$peer/node_modules/@vendure/core/package.json')"
echo "$wanted" > "$stamp"
