"""A real Odoo 17 or 19 on loopback for the ERP tests: built once, started once per session,
a database per test module.

``tests/peers/odoo/setup.sh VERSION`` builds a version once per machine, outside the clone
(its sources, its own virtualenv, a seeded template database: see that script) and
prints the path of a JSON file describing it. An ``OdooServer`` runs that version for the
session; each ``OdooPeer`` makes a database of its own from the template (``CREATE
DATABASE ... TEMPLATE`` and a copy of the template's filestore) and reaches the server
through a gate of its own. ``stop()`` and ``start()`` close and open the gate, keeping the
port and the data, as an outage would; ``remove()`` drops the database.
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

from support.port_gate import PortGate

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


class OdooServer:
    """One Odoo process of a version for the whole session, serving every test database
    made from its template (and only those)."""

    def __init__(self, install: OdooInstall, folder: Path) -> None:
        self.install = install
        self.folder = folder
        self.port = free_port()
        self.log = folder / "odoo.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def filestore(self, database: str) -> Path:
        return self.folder / "data" / "filestore" / database

    def start(self, *, timeout: float = 120.0) -> None:
        command = [
            str(self.install.python), str(self.install.odoo_bin), "-c", str(self.install.config),
            "--data-dir", str(self.folder / "data"),
            "--db-filter", f"^{self.install.template}_[0-9a-f]+$", "--no-database-list",
            "--http-interface", "127.0.0.1", "--http-port", str(self.port),
            # Scheduled jobs would run on the tests' databases at times of their own.
            "--max-cron-threads", "0",
        ]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Odoo exited: {self.log.read_text()[-3000:]}")
            try:
                rpc(self.url, "common", "version")
                return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError(f"Odoo was not serving in time: {self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        """SIGTERM by PID: Odoo ends its requests and closes its connections, which takes a
        few seconds; SIGKILL only if it hangs."""
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


class OdooPeer:
    """A database of its own on the session's Odoo, reached through a gate of its own so
    that ``stop()`` and ``start()`` make an outage (same port, same data) without stopping
    the server the other tests use; nothing is written before ``create()``."""

    def __init__(self, server: OdooServer) -> None:
        self.server = server
        self.install = server.install
        self.database = f"{self.install.template}_{uuid.uuid4().hex[:8]}"
        self.gate = PortGate(server.port)

    @property
    def version(self) -> str:
        return self.install.version

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.gate.port}"

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
            # Throwaway data: Odoo's commits need not wait for the disk.
            admin.execute(sql.SQL("alter database {} set synchronous_commit = off").format(
                sql.Identifier(self.database)))
        shutil.copytree(self.install.filestore, self.server.filestore(self.database))

    def start(self, *, timeout: float = 120.0) -> None:
        """Reachable again; the first start waits for Odoo to load the database."""
        self.gate.open()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.rpc("common", "authenticate", self.database, self.login,
                            self.password, {}):
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"Odoo did not serve {self.database} in time: "
                           f"{self.server.log.read_text()[-3000:]}")

    def stop(self) -> None:
        """Unreachable: connections refused, as from a stopped server."""
        self.gate.close()

    def remove(self) -> None:
        self.stop()
        with psycopg.connect(POSTGRES, autocommit=True) as admin:
            admin.execute(sql.SQL("drop database if exists {} with (force)").format(
                sql.Identifier(self.database)))
        shutil.rmtree(self.server.filestore(self.database), ignore_errors=True)

    def rpc(self, service: str, method: str, *args: Any) -> Any:
        """One JSON-RPC call (``/jsonrpc``); Odoo's error is raised as ``OdooRpcError``."""
        return rpc(self.url, service, method, *args)


def rpc(url: str, service: str, method: str, *args: Any) -> Any:
    reply = httpx.post(f"{url}/jsonrpc", timeout=60, json={
        "jsonrpc": "2.0", "method": "call", "id": 1,
        "params": {"service": service, "method": method, "args": list(args)}})
    reply.raise_for_status()
    answer: dict[str, Any] = reply.json()
    if "error" in answer:
        raise OdooRpcError(answer["error"])
    return answer["result"]


class OdooRpcError(Exception):
    """Odoo's JSON-RPC error, as its exception's name and message."""

    def __init__(self, error: dict[str, Any]) -> None:
        data = error.get("data") or {}
        super().__init__(f"{data.get('name', 'Odoo')}: {data.get('message') or error}")
