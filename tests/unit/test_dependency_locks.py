"""The lock files install exactly what the pyproject files pin (`scripts/lock` rewrites them)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ROOT / "pyproject.toml"
SIMULATORS = ROOT / "simulators" / "pyproject.toml"
RUNTIME_LOCK = ROOT / "requirements" / "runtime.lock"
DEV_LOCK = ROOT / "requirements" / "dev.lock"
PIN = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>[^\s;\\]+)")


def _asked(pyproject: Path, *, extra: str | None = None) -> dict[str, str]:
    project = tomllib.loads(pyproject.read_text())["project"]
    lines = project["optional-dependencies"][extra] if extra else project["dependencies"]
    asked: dict[str, str] = {}
    for line in lines:
        requirement = Requirement(line)
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"{pyproject.name}: {line} is not pinned exactly"
        asked[canonicalize_name(requirement.name)] = specifier.version
    return asked


def _pinned(lock: Path) -> dict[str, str]:
    matches = (PIN.match(line) for line in lock.read_text().splitlines())
    return {canonicalize_name(m["name"]): m["version"] for m in matches if m}


def _disagreements(asked: dict[str, str], pinned: dict[str, str]) -> dict[str, tuple[str, str]]:
    return {name: (version, pinned.get(name, "missing")) for name, version in asked.items()
            if pinned.get(name) != version}


def test_the_runtime_lock_pins_what_the_product_and_the_simulators_ask_for() -> None:
    runtime = _pinned(RUNTIME_LOCK)
    assert _disagreements(_asked(PRODUCT), runtime) == {}
    assert _disagreements(_asked(SIMULATORS), runtime) == {}


def test_the_dev_lock_keeps_every_runtime_pin_and_pins_the_dev_extra() -> None:
    dev = _pinned(DEV_LOCK)
    assert _disagreements(_pinned(RUNTIME_LOCK), dev) == {}
    assert _disagreements(_asked(PRODUCT, extra="dev"), dev) == {}


def test_the_runtime_lock_leaves_the_dev_tools_out() -> None:
    assert _asked(PRODUCT, extra="dev").keys() & _pinned(RUNTIME_LOCK).keys() == set()


def test_the_locks_name_no_package_index_and_hash_every_pin() -> None:
    for lock in (RUNTIME_LOCK, DEV_LOCK):
        lines = [line.strip() for line in lock.read_text().splitlines()]
        # An index, find-links or trusted-host option would tie the lock to one machine.
        options = [line for line in lines
                   if line.startswith("-") and not line.startswith("--hash=sha256:")]
        assert options == [], lock.name
        assert [line for line in lines if "://" in line] == [], lock.name
        unhashed = [line for line, after in zip(lines, [*lines[1:], ""], strict=True)
                    if PIN.match(line) and not after.startswith("--hash=sha256:")]
        assert unhashed == [], lock.name
