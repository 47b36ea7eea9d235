# Sourced by each peer's setup.sh: where installed peers are kept, outside the clone, so a
# fresh clone (CI) reuses them. A peer's folder is named after what built it, so a changed
# pin or seed gets a folder of its own and an unchanged one is never rebuilt.
peers_home="${TILLFLOW_PEERS_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/tillflow-peers}"

# peer_dir NAME FILE...: the folder of peer NAME built from these files.
peer_dir() {
    local name="$1"
    shift
    echo "$peers_home/$name-$(cat "$@" | sha256sum | cut -c1-12)"
}

# peer_lock NAME: hold NAME's lock until the calling script ends, so that test sessions
# running at once (xdist workers, other clones) never build the same peer together.
peer_lock() {
    mkdir -p "$peers_home"
    exec 9>"$peers_home/$1.lock"
    flock 9
}
