"""The embedded store's files are its owner's only: the folder 0700, the database and its
WAL and shared-memory files 0600, even where the process's umask would open them wider."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from tillflow.db.engine import build_engine
from tillflow.settings import Settings


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.usefixtures("open_umask")
def test_database_wal_and_shm_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "tillflow.db"
    engine = build_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
        connection.execute(text("INSERT INTO t VALUES (1)"))
    files = [path, path.with_name("tillflow.db-wal"), path.with_name("tillflow.db-shm")]
    assert all(f.exists() for f in files)
    assert {f.name: _mode(f) for f in files} == {f.name: 0o600 for f in files}
    engine.dispose()


@pytest.mark.usefixtures("open_umask")
def test_a_database_left_readable_is_closed_down(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    path.touch(mode=0o644)
    path.chmod(0o644)
    build_engine(f"sqlite:///{path}").dispose()
    assert _mode(path) == 0o600


@pytest.mark.usefixtures("open_umask")
def test_home_folder_is_owner_only(tmp_path: Path) -> None:
    settings = Settings.from_env({"TILLFLOW_HOME": str(tmp_path / "home")})
    settings.ensure_home()
    assert _mode(settings.home) == 0o700
    settings.home.chmod(0o755)
    settings.ensure_home()
    assert _mode(settings.home) == 0o700
