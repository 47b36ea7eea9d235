"""The Vendure plugin's own tests (``integrations/vendure-plugin/test``, Node's test
runner): delivery retries with backoff and one delivery id, signatures, refusals, and
payload readers that never throw on unloaded relations."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

PLUGIN = Path(__file__).resolve().parents[3] / "integrations" / "vendure-plugin"


@pytest.mark.skipif(shutil.which("node") is None, reason="the plugin's tests need Node.js")
def test_plugin_sender_and_payloads() -> None:
    run = subprocess.run(["node", "--test", "test/"], cwd=PLUGIN, capture_output=True,
                         text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "# fail 0" in run.stdout
