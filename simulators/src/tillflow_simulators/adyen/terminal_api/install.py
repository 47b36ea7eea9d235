"""Fetch the pinned official package into the cache once and export its models as JSON.

The cache folder is named after a digest of the files here, so a new pin gets a new
folder; ``TILLFLOW_SIMULATORS_CACHE`` moves the cache (default: the user's cache folder).
Concurrent first runs wait on a file lock instead of installing twice.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
_FILES = ("package.json", "package-lock.json", ".npmrc", "export-models.js")
MODELS = "terminal-models.json"


class ModelsUnavailableError(RuntimeError):
    """The official models could not be installed (no Node.js or npm, no registry)."""


def cache_root() -> Path:
    configured = os.environ.get("TILLFLOW_SIMULATORS_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tillflow-simulators"


def _digest() -> str:
    sha = hashlib.sha256()
    for name in _FILES:
        sha.update((HERE / name).read_bytes())
    return sha.hexdigest()[:16]


def models_path() -> Path:
    """The exported models, installing the official package first if need be."""
    folder = cache_root() / f"adyen-terminal-api-{_digest()}"
    target = folder / MODELS
    if target.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.exists():
            _install(folder, target)
    return target


def _install(folder: Path, target: Path) -> None:
    for name in _FILES:
        shutil.copyfile(HERE / name, folder / name)
    npm, node = shutil.which("npm"), shutil.which("node")
    if npm is None or node is None:
        raise ModelsUnavailableError("the Adyen simulator needs Node.js and npm to read "
                                     "Adyen's official Terminal API models")
    try:
        # Fixed arguments, the tools found on PATH: nothing here comes from a request.
        subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund",  # noqa: S603
                        "--loglevel=error"], cwd=folder, check=True, timeout=300,
                       capture_output=True)
        exported = subprocess.run([node, "export-models.js"], cwd=folder,  # noqa: S603
                                  check=True, timeout=60, capture_output=True).stdout
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        raise ModelsUnavailableError(
            f"installing @adyen/api-library failed: {detail.decode(errors='replace')[-500:]}"
        ) from exc
    partial = target.with_suffix(".partial")
    partial.write_bytes(exported)
    partial.replace(target)


def main() -> None:
    """``python -m tillflow_simulators.adyen.terminal_api.install``: prepare the cache."""
    print(models_path())


if __name__ == "__main__":
    main()
