"""Installed third-party peers: each ``tests/peers/NAME/setup.sh`` installs its peer into
the peers' cache outside the clone (``TILLFLOW_PEERS_HOME``, by default
``~/.cache/tillflow-peers``) and prints the folder, which tests then run it from."""

from __future__ import annotations

import functools
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol, TypeVar

PEERS = Path(__file__).resolve().parents[1] / "peers"


@functools.cache
def installed(name: str, *args: str, timeout: float = 900) -> Path:
    """Install peer ``name`` if its cached folder is missing; answers that folder."""
    done = subprocess.run(["bash", str(PEERS / name / "setup.sh"), *args], check=True,
                          timeout=timeout, stdout=subprocess.PIPE, text=True)
    return Path(done.stdout.strip().splitlines()[-1])


class Server(Protocol):
    def start(self) -> None: ...

    def stop(self) -> None: ...


S = TypeVar("S", bound=Server)


@contextmanager
def started_once(make: Callable[[str], S]) -> Iterator[Callable[[str], S]]:
    """Servers made by ``make(key)`` and started on first asking, one per key, all stopped
    when the block ends: a session's peer of each version or backend its tests ask for."""
    started: dict[str, S] = {}

    def server(key: str) -> S:
        if key not in started:
            found = make(key)
            found.start()
            started[key] = found
        return started[key]

    try:
        yield server
    finally:
        for found in started.values():
            found.stop()
