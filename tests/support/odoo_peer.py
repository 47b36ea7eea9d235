"""A real Odoo 17 or 19 on loopback for the ERP tests: built once, copied per test module.

``tests/peers/odoo/setup.sh VERSION`` builds a version once per machine, outside the clone
(its sources, its own virtualenv, a seeded template database: see that script) and
prints the path of a JSON file describing it. Each ``OdooPeer`` makes a database of its
own from the template (``CREATE DATABASE ... TEMPLATE`` and a copy of the template's
filestore) and serves only that database on a free loopback port. ``stop()`` and
``start()`` keep the port and the data, as an outage would; ``remove()`` stops the server
and drops the database.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
SETUP = ROOT / "tests" / "peers" / "odoo" / "setup.sh"
VERSIONS = ("17", "19")
POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"  # where setup.sh builds
OWNER = "odoo"  # the role Odoo connects as (it refuses a superuser)


@dataclass(frozen=True)
class OdooInstall:
    """One version as ``setup.sh`` built it."""

    version: str
    python: Path
    odoo_bin: Path
    config: Path
    filestore: Path
    template: str
    login: str
    password: str
    api_key: str

    @classmethod
    def read(cls, path: Path) -> OdooInstall:
        found: dict[str, str] = json.loads(path.read_text())
        return cls(version=found["version"], python=Path(found["python"]),
                   odoo_bin=Path(found["odoo_bin"]), config=Path(found["config"]),
                   filestore=Path(found["filestore"]), template=found["template"],
                   login=found["login"], password=found["password"],
                   api_key=found["api_key"])


def install(version: str) -> OdooInstall:
    """``version`` built where the cache lacks it: minutes on a bare machine, under a
    second once it is there."""
    done = subprocess.run(["bash", str(SETUP), version], check=True, stdout=subprocess.PIPE,
                          text=True, timeout=3600)
    return OdooInstall.read(Path(done.stdout.split()[-1]))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class OdooPeer:
    """An Odoo server on a copy of the template; nothing is written before ``create()``."""

    def __init__(self, install: OdooInstall, folder: Path) -> None:
        self.install = install
        self.folder = folder
        self.port = free_port()
        self.database = f"{install.template}_{uuid.uuid4().hex[:8]}"
        self.log = folder / "odoo.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def version(self) -> str:
        return self.install.version

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def login(self) -> str:
        return self.install.login

    @property
    def password(self) -> str:
        return self.install.password

    @property
    def api_key(self) -> str:
        return self.install.api_key

    def create(self) -> None:
        """The database and its filestore, copied from the template's."""
        with psycopg.connect(POSTGRES, autocommit=True) as admin:
            admin.execute(sql.SQL("create database {} template {} owner {}").format(
                sql.Identifier(self.database), sql.Identifier(self.install.template),
                sql.Identifier(OWNER)))
        shutil.copytree(self.install.filestore, self.folder / "data" / "filestore" / self.database)

    def start(self, *, timeout: float = 120.0) -> None:
        command = [
            str(self.install.python), str(self.install.odoo_bin), "-c", str(self.install.config),
            "--data-dir", str(self.folder / "data"), "-d", self.database,
            "--db-filter", f"^{self.database}$", "--no-database-list",
            "--http-interface", "127.0.0.1", "--http-port", str(self.port),
            # Scheduled jobs would run on the test's database at times of their own.
            "--max-cron-threads", "0",
        ]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        self._wait_until_serving(time.monotonic() + timeout)

    def stop(self) -> None:
        """SIGTERM by PID: Odoo ends its requests and closes its connections, which takes a
        few seconds; SIGKILL only if it hangs. The port is free once it has exited."""
        if self.process is None:
            return
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def remove(self) -> None:
        self.stop()
        with psycopg.connect(POSTGRES, autocommit=True) as admin:
            admin.execute(sql.SQL("drop database if exists {} with (force)").format(
                sql.Identifier(self.database)))

    def rpc(self, service: str, method: str, *args: Any) -> Any:
        """One JSON-RPC call (``/jsonrpc``); Odoo's error is raised as ``OdooRpcError``."""
        reply = httpx.post(f"{self.url}/jsonrpc", timeout=60, json={
            "jsonrpc": "2.0", "method": "call", "id": 1,
            "params": {"service": service, "method": method, "args": list(args)}})
        reply.raise_for_status()
        answer: dict[str, Any] = reply.json()
        if "error" in answer:
            raise OdooRpcError(answer["error"])
        return answer["result"]

    def _wait_until_serving(self, deadline: float) -> None:
        """Until the admin can sign in: the HTTP port opens before the database's
        registry has loaded, so an answer on the port alone is not enough."""
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"Odoo exited: {self.log.read_text()[-3000:]}")
            try:
                if self.rpc("common", "authenticate", self.database, self.login,
                            self.password, {}):
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"Odoo was not serving in time: {self.log.read_text()[-3000:]}")


class OdooRpcError(Exception):
    """Odoo's JSON-RPC error, as its exception's name and message."""

    def __init__(self, error: dict[str, Any]) -> None:
        data = error.get("data") or {}
        super().__init__(f"{data.get('name', 'Odoo')}: {data.get('message') or error}")
