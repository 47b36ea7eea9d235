"""A throwaway PostgreSQL database and a ``tillflow serve`` process running on it."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx
import psycopg
from psycopg import sql

TILLFLOW = Path(sys.executable).with_name("tillflow")
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0


class BenchError(Exception):
    """The benchmark cannot go on; the message says why."""


@dataclass(frozen=True)
class Database:
    name: str
    url: str


@dataclass(frozen=True)
class Server:
    url: str
    pid: int


@contextmanager
def scratch_database(*, server_url: str) -> Iterator[Database]:
    """Create an empty database and drop it on the way out, whatever happened."""
    name = f"tillflow_bench_{secrets.token_hex(4)}"
    _admin(server_url, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield Database(name=name, url=f"{server_url}/{name}")
    finally:
        # FORCE: a client killed mid-run may still hold a connection.
        _admin(server_url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
               .format(sql.Identifier(name)))


def _admin(server_url: str, statement: sql.Composed) -> None:
    try:
        with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
            connection.execute(statement)
    except psycopg.OperationalError as exc:
        raise BenchError(f"PostgreSQL at {server_url}: {exc}") from None


def tillflow_env(database: Database, home: Path) -> dict[str, str]:
    return {**os.environ, "TILLFLOW_DATABASE_URL": database.url, "TILLFLOW_HOME": str(home)}


def tillflow(*args: str, env: dict[str, str]) -> str:
    """Run a ``tillflow`` command and return its output; a failure stops the benchmark."""
    done = subprocess.run([str(TILLFLOW), *args], env=env, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise BenchError(f"tillflow {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running_server(*, env: dict[str, str], workers: int, port: int) -> Iterator[Server]:
    """``tillflow serve`` in its own process group, stopped (all workers) on the way out."""
    with tempfile.TemporaryFile() as log:
        # A session of its own: Ctrl-C reaches only us, and we stop the whole group.
        process = subprocess.Popen(
            [str(TILLFLOW), "serve", "--port", str(port), "--workers", str(workers)],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_ready(process, url, log)
            yield Server(url=url, pid=process.pid)
        finally:
            _stop(process)


def _wait_ready(process: subprocess.Popen[bytes], url: str, log: IO[bytes]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise BenchError(f"tillflow serve exited:\n{log.read().decode(errors='replace')}")
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise BenchError(f"tillflow serve did not answer within {READY_TIMEOUT:.0f} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
