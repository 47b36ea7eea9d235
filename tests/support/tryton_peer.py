"""A real trytond on loopback for the ERP tests: installed once, started once per session
and backend, a database per test.

``tests/peers/tryton/setup.sh`` builds the peer's own virtualenv and an initialised
database snapshot in the peers' cache, and with ``postgresql`` the same database as a
PostgreSQL template. A ``TrytonServer`` runs ``trytond -c CONF`` on a free loopback port
for the session; each ``TrytonPeer`` copies the snapshot with SQLite's backup API into the
server's folder under a name of its own (or creates a PostgreSQL database from that
template), which trytond serves at ``/NAME/``, and reaches it through a gate of its own
that can be closed and opened again on the same port and data, as an outage would.
"""

from __future__ import annotations

import itertools
import os
import socket
import sqlite3
import subprocess
import uuid
from collections import Counter
from decimal import Decimal
from pathlib import Path

import httpx
import psycopg
from psycopg import sql

from support.api import Api
from support.peer_cache import installed
from support.port_gate import PortGate
from support.waiting import wait_until
from tillflow.connectors.tryton.accounting import TrytonAccounting
from tillflow.connectors.tryton.rpc import TrytonClient

ROOT = Path(__file__).resolve().parents[2]
DATABASE = "tillflow"
PG_URI = os.environ.get("TRYTON_PG_URI", "postgresql://postgres@127.0.0.1:5432/")
USERNAME = "admin"
PASSWORD = "admin"  # the throwaway peer's admin, set by setup.sh


def install(*, postgresql: bool = False) -> Path:
    """The peer's folder (virtualenv and SQLite snapshot); with ``postgresql``, the
    PostgreSQL template database too (its name in the folder's ``pg_template``)."""
    return installed("tryton", *(["postgresql"] if postgresql else []))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class TrytonServer:
    """One trytond for the session on a backend (SQLite: a folder of database files;
    PostgreSQL: the server's databases), serving every test's database by its name."""

    def __init__(self, folder: Path, *, backend: str = "sqlite") -> None:
        self.folder = folder
        self.backend = backend
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.loaded: set[str] = set()
        folder.mkdir(parents=True)
        if backend == "postgresql":
            self.template = (install(postgresql=True) / "pg_template").read_text().strip()
            storage = f"uri = {PG_URI}\n"
        else:
            self.template = DATABASE
            (folder / "db").mkdir()
            storage = f"uri = sqlite://\npath = {folder / 'db'}\n"
        self.config = folder / "trytond.conf"
        self.config.write_text(
            f"[database]\n{storage}"
            f"[web]\nlisten = 127.0.0.1:{self.port}\n"
            "[session]\nauthentication_timeout = 3600\n"
        )

    def create_database(self) -> str:
        """A copy of the initialised database under a new name."""
        name = f"{self.template}_{uuid.uuid4().hex[:10]}"
        if self.backend == "postgresql":
            with psycopg.connect(PG_URI + "postgres", autocommit=True) as admin:
                admin.execute(sql.SQL("create database {} template {}").format(
                    sql.Identifier(name), sql.Identifier(self.template)))
                # Throwaway data: trytond's commits need not wait for the disk.
                admin.execute(sql.SQL("alter database {} set synchronous_commit = off")
                              .format(sql.Identifier(name)))
        else:
            with sqlite3.connect(install() / "snapshot" / f"{DATABASE}.sqlite") as source, \
                    sqlite3.connect(self.folder / "db" / f"{name}.sqlite") as target:
                source.backup(target)
        return name

    def drop_database(self, name: str) -> None:
        if self.backend == "postgresql":
            with psycopg.connect(PG_URI + "postgres", autocommit=True) as admin:
                admin.execute(sql.SQL("drop database if exists {} with (force)").format(
                    sql.Identifier(name)))
        else:
            (self.folder / "db" / f"{name}.sqlite").unlink(missing_ok=True)

    def start(self) -> None:
        with (self.folder / "trytond.log").open("ab") as log:
            self.process = subprocess.Popen(
                [str(install() / "venv" / "bin" / "trytond"), "-c", str(self.config)],
                stdout=log, stderr=log,
            )
        wait_until(self._serving, timeout=30, interval=0.1,
                   message="trytond did not answer")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def _serving(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"trytond exited: see {self.folder / 'trytond.log'}")
        try:  # any answer: the databases are loaded on their first request
            httpx.get(f"http://127.0.0.1:{self.port}/", timeout=2.0)
        except httpx.TransportError:
            return False
        return True


_ADDRESSES = itertools.count()


class TrytonPeer:
    """A test's own copy of the initialised database on the session's trytond, reached
    through a gate of its own: ``stop()`` and ``start()`` make an outage (same port, same
    data) without stopping the server the other tests use."""

    def __init__(self, server: TrytonServer) -> None:
        self.server = server
        self.backend = server.backend
        self.database = server.create_database()
        # trytond keeps its list of databases per host name for its session timeout, and
        # serves none made after it listed them: each test calls it by an address of its own.
        number = next(_ADDRESSES)
        self.gate = PortGate(server.port, host=f"127.1.{number // 250}.{number % 250 + 1}")

    @property
    def url(self) -> str:
        return f"http://{self.gate.host}:{self.gate.port}/{self.database}/"

    def start(self) -> None:
        """Reachable; the first start has trytond load the database."""
        self.gate.open()
        if self.database not in self.server.loaded:
            # trytond 8.2 loads a database named by no ``-d`` on a request to its ``/r/``
            # routes (answered 404 here); a login first finds it empty, and stays so.
            httpx.get(f"{self.url}r/tillflow", timeout=120.0)
            self.server.loaded.add(self.database)
        wait_until(self._serving, timeout=60, interval=0.1,
                   message=f"trytond did not serve {self.database}")

    def stop(self) -> None:
        """Unreachable: connections refused, as from a stopped server."""
        self.gate.close()

    def remove(self) -> None:
        self.stop()
        self.server.drop_database(self.database)

    def _serving(self) -> bool:
        body = {"id": 0, "method": "common.db.login",
                "params": [USERNAME, {"password": PASSWORD}]}
        try:
            reply = httpx.post(self.url + "rpc/", json=body, timeout=10.0)
        except httpx.TransportError:
            return False
        return reply.status_code == 200 and bool(reply.json().get("result"))


# Where Tryton's universal chart (as the peer sets it up) books each tillflow role.
TRYTON_CODES = {"revenue:0.08": "4.1.1", "revenue:0.2": "4.1.1", "tax:0.08": "6.3.6",
                "tax:0.2": "6.3.6", "tender:cash": "1.1.1", "tender:card": "1.1.8",
                "cash_transfer": "1.1.3", "over_short": "6.2.8"}


def connect(api: Api, peer: TrytonPeer, *, posting: str, name: str = "erp",
            sales: str = "invoice") -> None:
    api.ok(api.post("/connections", {
        "name": name, "platform": "tryton",
        "settings": {"url": peer.url, "database": peer.database, "posting": posting,
                     "sales": sales,
                     "accounts": {"tender:card": "1.1.8"}},
        "secrets": {"username": USERNAME, "password": PASSWORD}}), 201)


def tryton(peer: TrytonPeer) -> TrytonAccounting:
    return TrytonAccounting(TrytonClient(url=peer.url, username=USERNAME, password=PASSWORD))


RECEIVABLE = "1.2.1"  # the universal chart's receivable: where invoices meet payments


def tryton_lines(ledger: TrytonAccounting, reference: str) -> Counter[tuple[str, Decimal, Decimal]]:
    """What Tryton booked for a document: its moves, or its invoice and the invoice's
    payments, less the receivable lines by which the payments settle the invoice."""
    lines = ledger.moves(reference)
    settled = [x for x in lines if x["account."]["code"] == RECEIVABLE]
    assert sum(x["debit"] - x["credit"] for x in settled) == 0
    return Counter((line["account."]["code"], line["debit"], line["credit"])
                   for line in lines if line["account."]["code"] != RECEIVABLE)


def invoices(ledger: TrytonAccounting) -> list[tuple[str, str, Decimal]]:
    """(reference, state, total) of Tryton's customer invoices, oldest first."""
    found = ledger.client.model("account.invoice", "search_read", [], 0, None,
                                [("id", "ASC")], ["description", "state", "total_amount"])
    return [(x["description"].split()[0], x["state"], x["total_amount"]) for x in found]
