"""Installed third-party peers: each ``tests/peers/NAME/setup.sh`` installs its peer into
the peers' cache outside the clone (``TILLFLOW_PEERS_HOME``, by default
``~/.cache/tillflow-peers``) and prints the folder, which tests then run it from."""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path

PEERS = Path(__file__).resolve().parents[1] / "peers"


@functools.cache
def installed(name: str, *args: str, timeout: float = 900) -> Path:
    """Install peer ``name`` if its cached folder is missing; answers that folder."""
    done = subprocess.run(["bash", str(PEERS / name / "setup.sh"), *args], check=True,
                          timeout=timeout, stdout=subprocess.PIPE, text=True)
    return Path(done.stdout.strip().splitlines()[-1])
