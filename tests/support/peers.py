"""What the real-peer tests need from the workplace: the third-party servers packed in
``../shared/peers`` beside the repository (``TILLFLOW_SHARED_PEERS`` names another place,
e.g. for a worktree elsewhere)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def shared_peers() -> Path:
    return Path(os.environ.get("TILLFLOW_SHARED_PEERS") or ROOT.parent / "shared" / "peers")


def require_peer_files(*paths: Path) -> None:
    """Skips the test when a peer's packed files are absent (a clone outside the
    workplace). CI has them, so under ``CI=true`` their absence fails the run instead."""
    missing = next((path for path in paths if not path.exists()), None)
    if missing is None:
        return
    reason = f"real peer not available: {missing} is missing"
    if os.environ.get("CI") == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)
