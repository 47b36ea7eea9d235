#!/usr/bin/env bash
# Builds the WooCommerce peer once: WordPress 6.8.8 with WooCommerce 10.0.2 (from
# ../shared/peers/woocommerce beside the clone, or $TILLFLOW_SHARED_PEERS), a self-signed certificate for IP:127.0.0.1, and the dump of
# a freshly installed shop with its REST key. Everything lands in a cache folder outside
# the clone, named for the versions and a hash of the files it is built from, so every
# clone on the machine reuses it. Installs the Debian packages it runs on when missing
# (as root). Prints the cache folder; idempotent.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
shared="${TILLFLOW_SHARED_PEERS:-$root/../shared/peers}/woocommerce"
wordpress_tar="$shared/wordpress-6.8.8.tar.gz"
woocommerce_tar="$shared/woocommerce-10.0.2.tar.gz"
packages=(php8.2-cli php8.2-fpm php8.2-opcache php8.2-mysql php8.2-xml php8.2-mbstring
          php8.2-curl php8.2-gd php8.2-intl php8.2-zip php8.2-bcmath nginx mariadb-server
          mariadb-client openssl)

# Without them (a clone outside the workplace) there is nothing to build; the tests that
# need the peer say so when they run.
for tarball in "$wordpress_tar" "$woocommerce_tar"; do
    [[ -f "$tarball" ]] || { echo "no $tarball: the WooCommerce peer is not built" >&2; exit 0; }
done

install_packages() {
    local missing=() package output
    for package in "${packages[@]}"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    if [[ "$(id -u)" != 0 ]]; then
        echo "the WooCommerce peer needs: apt-get install ${missing[*]}" >&2
        exit 1
    fi
    # apt-get update gives up at once while another apt run holds the lists: try again.
    for _ in $(seq 60); do
        output="$(apt-get update -qq 2>&1)" && break
        [[ "$output" == *"Could not get lock"* ]] || { echo "$output" >&2; exit 1; }
        sleep 5
    done
    # No service of these packages may start at install (nginx would take port 80):
    # the tests start their own.
    local guard=""
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        guard=/usr/sbin/policy-rc.d
        printf '#!/bin/sh\nexit 101\n' > "$guard" && chmod +x "$guard"
    fi
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
        --no-install-recommends "${missing[@]}" >&2 || { [[ -z "$guard" ]] || rm -f "$guard"; exit 1; }
    [[ -z "$guard" ]] || rm -f "$guard"
}

install_packages

stamp="$( { cat "$here/setup.sh" "$here/install.php" "$here/wp-config.php" \
                "$here/tillflow-loopback.php"
            stat -c '%n %s' "$wordpress_tar" "$woocommerce_tar" | sed 's|.*/||'; } \
          | sha256sum | cut -c1-12)"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/tillflow-peers"
cache="$cache_root/woocommerce-10.0.2-$stamp"
mkdir -p "$cache_root"

# One build at a time on a machine; a second caller waits for it and finds it done.
exec 9>"$cache_root/woocommerce.lock"
flock 9
if [[ -f "$cache/ready" ]]; then
    echo "$cache"
    exit 0
fi

build="$cache.partial"
work="$(mktemp -d /tmp/tillflow-woo-setup.XXXXXX)"
mariadb_pid=""
cleanup() {
    if [[ -n "$mariadb_pid" ]]; then kill "$mariadb_pid" 2>/dev/null; wait "$mariadb_pid" || true; fi
    rm -rf "$work" "$build"
}
trap cleanup EXIT
rm -rf "$build"
mkdir -p "$build/wordpress" "$build/tls"

echo "building the WooCommerce peer in $cache" >&2
wordpress="$build/wordpress"
plugin="$wordpress/wp-content/plugins/woocommerce"
tar -xzf "$wordpress_tar" -C "$wordpress"
mkdir -p "$plugin" "$wordpress/wp-content/mu-plugins"
tar -xzf "$woocommerce_tar" -C "$plugin"
# The class is WPCacheEngine but the file WpCacheEngine.php: the autoloader looks for the
# class's own spelling, and turning HPOS on fails without it on a case-sensitive disk.
cp "$plugin/src/Caching/WpCacheEngine.php" "$plugin/src/Caching/WPCacheEngine.php"
cp "$here/wp-config.php" "$wordpress/wp-config.php"
cp "$here/tillflow-loopback.php" "$wordpress/wp-content/mu-plugins/"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
    -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
    -keyout "$build/tls/key.pem" -out "$build/tls/cert.pem" 2>/dev/null

# A MariaDB of the set-up's own, on a socket only, for the time of the install.
user="$(id -un)"
socket="$work/mysql.sock"
mariadb-install-db --no-defaults --user="$user" --datadir="$work/data" \
    --auth-root-authentication-method=normal --skip-test-db >"$work/install-db.log" 2>&1 \
    || { cat "$work/install-db.log" >&2; exit 1; }
mariadbd --no-defaults --user="$user" --datadir="$work/data" --socket="$socket" \
    --skip-networking --skip-log-bin --log-error="$work/mariadb.log" >>"$work/mariadb.log" 2>&1 &
mariadb_pid=$!
for _ in $(seq 100); do
    mariadb --no-defaults -uroot -S "$socket" -e 'select 1' >/dev/null 2>&1 && break
    kill -0 "$mariadb_pid" 2>/dev/null || { cat "$work/mariadb.log" >&2; exit 1; }
    sleep 0.2
done
mariadb --no-defaults -uroot -S "$socket" -e 'create database wordpress'

export WORDPRESS="$wordpress" TILLFLOW_WOO_DB=wordpress TILLFLOW_WOO_DB_HOST="localhost:$socket" \
       TILLFLOW_WOO_URL=https://127.0.0.1 TILLFLOW_WOO_RUN="$work"
php=(php -d memory_limit=512M -d "sendmail_path=cat >/dev/null")
"${php[@]}" "$here/install.php" core >&2
"${php[@]}" "$here/install.php" plugin >&2
"${php[@]}" "$here/install.php" store "$build/keys.json" >&2
mariadb-dump --no-defaults -uroot -S "$socket" --single-transaction --skip-dump-date \
    wordpress > "$build/clean.sql"

touch "$build/ready"
rm -rf "$cache"
mv "$build" "$cache"
echo "$cache"
