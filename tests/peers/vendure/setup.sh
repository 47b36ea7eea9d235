#!/usr/bin/env bash
# Installs the Vendure peer in the peers' cache from the committed lock file (npm ci) and
# prints its folder. Idempotent: does nothing when it was built from these very files.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../cache.sh"
peer="$(peer_dir vendure "$here/package.json" "$here/package-lock.json" "$here/.npmrc")"
peer_lock vendure

if [[ -f "$peer/.ready" && -d "$peer/node_modules/@vendure/core" ]]; then
    echo "$peer"
    exit 0
fi
command -v npm >/dev/null || { echo "the Vendure peer needs Node.js 20+ and npm" >&2; exit 1; }

rm -rf "$peer"
mkdir -p "$peer"
cp "$here/package.json" "$here/package-lock.json" "$here/.npmrc" "$peer/"
(cd "$peer" && npm ci --no-audit --no-fund --loglevel=error) >&2
node -e "require('$peer/node_modules/@vendure/core/package.json')"
touch "$peer/.ready"
echo "$peer"
