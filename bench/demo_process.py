"""Running ``tillflow demo`` as a process for the benches that time it from outside."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import httpx


def demo_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment without the caller's own tillflow settings, homed in ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TILLFLOW_")}
    return {**env, "TILLFLOW_HOME": str(home), **extra}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def admin_token(demo: subprocess.Popen[str]) -> str:
    """The admin token the demo prints once it has seeded its store."""
    assert demo.stdout is not None
    for line in demo.stdout:
        if line.startswith("admin token:"):
            return line.split(":", 1)[1].strip()
    raise SystemExit(f"tillflow demo exited with {demo.wait()}")


def wait_until_serving(url: str) -> None:
    for _ in range(200):
        try:
            httpx.get(f"{url}/api/v1/health", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("tillflow demo never answered")
