"""The third-party servers packed beside the repository, and the rule for tests needing one.

They are packed in ``../shared/peers`` next to the repository's root (the environment
variable ``TILLFLOW_SHARED_PEERS`` names the folder instead, e.g. for a worktree elsewhere).
A clone without them skips the tests that need one, with a reason naming the missing
file. CI has them, so under ``CI=true`` a missing peer fails the test instead: a real-peer
test can never pass there by being skipped.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def shared_peers() -> Path:
    return Path(os.environ.get("TILLFLOW_SHARED_PEERS") or ROOT.parent / "shared" / "peers")


def require_peer_files(*paths: Path) -> None:
    """Skips the calling test or fixture when a peer's packed file is absent; fails it
    instead under ``CI=true``."""
    missing = next((path for path in paths if not path.exists()), None)
    if missing is None:
        return
    reason = f"the packed peer {missing} is missing"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must run the real-peer tests)", pytrace=False)
    pytest.skip(reason)


def requires_peer(path: str) -> Path:
    """``path`` inside the packed peers, once ``require_peer_files`` lets the test run."""
    found = shared_peers() / path
    require_peer_files(found)
    return found
