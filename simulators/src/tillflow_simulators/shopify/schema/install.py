"""Fetches Shopify's Admin API introspection results into a cache folder, once per machine.

The schemas come from the npm package ``@shopify/dev-mcp`` (``dist/data/admin_*.json.gz``),
pinned with its integrity in ``npm/package-lock.json`` beside this module. Only that one
tarball is needed, so ``npm pack`` fetches it (not the package's 300 dependencies); the
tarball is checked against the lock file's integrity before anything is extracted.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

PACKAGE = "@shopify/dev-mcp"
SCHEMA_MEMBER_PREFIX = "package/dist/data/admin_"
NPM_FILES = ("package.json", "package-lock.json", ".npmrc")
NPM_TIMEOUT = 300.0
COMPLETE = ".complete"


class SchemaUnavailable(RuntimeError):
    """Shopify's schemas are not in the cache and could not be fetched."""


@dataclass(frozen=True)
class Pin:
    version: str
    integrity: str


def pinned() -> Pin:
    lock = json.loads(_npm_folder().joinpath("package-lock.json").read_text(encoding="utf-8"))
    entry = lock["packages"][f"node_modules/{PACKAGE}"]
    return Pin(version=entry["version"], integrity=entry["integrity"])


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tillflow-simulators"


def schema_folder() -> Path:
    """The folder holding ``admin_<version>.json.gz``, fetched on first use."""
    pin = pinned()
    target = cache_root() / f"shopify-dev-mcp-{pin.version}"
    if (target / COMPLETE).exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(target.parent / f".{target.name}.lock"):
        # Another process may have finished while this one waited for the lock.
        if not (target / COMPLETE).exists():
            _install(pin, target)
    return target


@contextlib.contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _install(pin: Pin, target: Path) -> None:
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".fetch-") as work:
        folder = Path(work)
        for name in NPM_FILES:
            shutil.copyfile(str(_npm_folder().joinpath(name)), folder / name)
        tarball = _pack(pin, folder)
        _check_integrity(tarball, pin)
        staging = folder / "schemas"
        _extract_schemas(tarball, staging)
        (staging / COMPLETE).write_text(f"{PACKAGE}@{pin.version}\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)


def _pack(pin: Pin, folder: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise SchemaUnavailable(
            f"npm is needed once to fetch Shopify's Admin API schemas ({PACKAGE}@{pin.version})"
        )
    command = [npm, "pack", f"{PACKAGE}@{pin.version}", "--pack-destination", str(folder),
               "--silent", "--ignore-scripts"]
    try:
        subprocess.run(command, cwd=folder, check=True, capture_output=True,  # noqa: S603
                       timeout=NPM_TIMEOUT)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        stderr = getattr(exc, "stderr", b"") or b""
        raise SchemaUnavailable(
            f"npm pack {PACKAGE}@{pin.version} failed: {stderr.decode(errors='replace')}"
        ) from exc
    found = sorted(folder.glob("*.tgz"))
    if len(found) != 1:
        raise SchemaUnavailable(f"npm pack {PACKAGE}@{pin.version} left no single tarball")
    return found[0]


def _check_integrity(tarball: Path, pin: Pin) -> None:
    algorithm, _, expected = pin.integrity.partition("-")
    digest = hashlib.new(algorithm, tarball.read_bytes()).digest()
    if base64.b64encode(digest).decode("ascii") != expected:
        raise SchemaUnavailable(
            f"{tarball.name} does not match the integrity pinned in package-lock.json"
        )


def _extract_schemas(tarball: Path, staging: Path) -> None:
    staging.mkdir()
    with tarfile.open(tarball, "r:gz") as archive:
        for member in archive.getmembers():
            source = archive.extractfile(member) if _is_schema(member) else None
            if source is None:
                continue
            with source, (staging / Path(member.name).name).open("wb") as sink:
                shutil.copyfileobj(source, sink)
    if not any(staging.glob("admin_*.json.gz")):
        raise SchemaUnavailable(f"{tarball.name} holds no admin_*.json.gz schema")


def _is_schema(member: tarfile.TarInfo) -> bool:
    name = member.name
    return (member.isfile() and name.startswith(SCHEMA_MEMBER_PREFIX)
            and name.endswith(".json.gz") and "/" not in name[len(SCHEMA_MEMBER_PREFIX):])


def _npm_folder() -> Traversable:
    return resources.files("tillflow_simulators.shopify.schema").joinpath("npm")
