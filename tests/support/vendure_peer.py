"""A real Vendure 3.7 on loopback, with tillflow's plugin, for the Vendure tests.

``tests/peers/vendure/setup.sh`` installs the server from the committed lock file into
the peers' cache (see ``support.peer_cache``). The first start anywhere seeds a database
(zones, tax, shipping, the dummy payment method) and keeps it beside the installed peer
as ``seed.sqlite``; each ``VendurePeer`` starts from a copy of it on a free loopback
port, waits for the start script's own ready line (``/health`` answers before Vendure
is usable) and is stopped by its PID. ``restart()`` keeps the port and the data, as an outage would.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from support.peer_cache import installed
from support.waiting import wait_until
from tillflow.connectors.vendure.client import VendureClient
from tillflow.connectors.vendure.provision import provision_api_key

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "tests" / "peers" / "vendure"
READY = b"tillflow-vendure-peer ready"
WEBHOOK_SECRET = "vendure-whsec"
SUPERADMIN = "superadmin"
PASSWORD = "tillflow-peer-admin"  # the throwaway loopback peer's, as seeded


def install() -> Path:
    """The installed peer's folder (node_modules, and the seed database once made)."""
    return installed("vendure", timeout=600)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class VendurePeer:
    def __init__(self, folder: Path, *, webhook_url: str | None = None,
                 webhook_secret: str = WEBHOOK_SECRET, retry_base_ms: int = 200) -> None:
        self.folder = folder
        self.port = free_port()
        self.password = PASSWORD
        self.webhook_url = webhook_url
        self.webhook_secret = webhook_secret
        self.retry_base_ms = retry_base_ms
        self.database = folder / "vendure.sqlite"
        self.log = folder / "vendure.log"
        self.process: subprocess.Popen[bytes] | None = None
        folder.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, timeout: float = 60.0) -> None:
        if not self.database.exists() and _seed_is_current():
            shutil.copyfile(install() / "seed.sqlite", self.database)
        env = {**os.environ, "NODE_PATH": str(install() / "node_modules"),
               "VENDURE_PORT": str(self.port), "VENDURE_DB": str(self.database),
               "VENDURE_SUPERADMIN_PASSWORD": self.password,
               "VENDURE_DISABLE_TELEMETRY": "true",
               "TILLFLOW_RETRY_BASE_MS": str(self.retry_base_ms)}
        if self.webhook_url:
            env.update(TILLFLOW_WEBHOOK_URL=self.webhook_url,
                       TILLFLOW_WEBHOOK_SECRET=self.webhook_secret)
        offset = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(["node", str(HERE / "start.js")], env=env,
                                            stdout=out, stderr=subprocess.STDOUT,
                                            cwd=self.folder)
        self._wait_ready(offset, timeout)

    def _wait_ready(self, offset: int, timeout: float) -> None:
        def ready() -> bool:
            assert self.process is not None
            with self.log.open("rb") as log:
                log.seek(offset)
                if READY in log.read():
                    return True
            if self.process.poll() is not None:
                raise RuntimeError(f"Vendure exited: {self.log.read_text()[-3000:]}")
            return False

        wait_until(ready, timeout=timeout, interval=0.1,
                   message=lambda: f"Vendure was not ready: {self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        """SIGTERM by PID (Vendure closes and saves its database), SIGKILL if it hangs."""
        if self.process is None:
            return
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def admin(self) -> VendureClient:
        """An Admin API client signed in as the superadmin."""
        client = VendureClient(self.url)
        client.execute("mutation($u: String!, $p: String!) { login(username: $u, password: $p)"
                       " { ... on CurrentUser { id } } }", {"u": SUPERADMIN, "p": self.password})
        return client

    def shop(self) -> VendureClient:
        """A Shop API client: one customer session (its own cookie-less bearer token)."""
        return VendureClient(self.url, path="/shop-api")

    def api_key(self) -> str:
        with self.admin() as admin:
            return provision_api_key(admin, name="tillflow tests")


def _seed_is_current() -> bool:
    seed = install() / "seed.sqlite"
    return seed.exists() and (install() / "seed.stamp").read_text() == _seed_stamp()


def _seed_stamp() -> str:
    digest = hashlib.sha256()
    for name in ("start.js", "vendure-config.js", "package-lock.json"):
        digest.update((HERE / name).read_bytes())
    return digest.hexdigest()


def ensure_seed(folder: Path) -> None:
    """Seed a database once and keep it; later peers copy it instead of seeding again."""
    if _seed_is_current():
        return
    peer = VendurePeer(folder)
    peer.start(timeout=120)
    peer.stop()
    shutil.copyfile(peer.database, install() / "seed.sqlite")
    (install() / "seed.stamp").write_text(_seed_stamp())


def graphql(client: VendureClient, query: str, **variables: Any) -> dict[str, Any]:
    return client.execute(query, variables)


class WebhookRelay:
    """Where the plugin posts: a fixed loopback address that outlives one test's tillflow.
    It forwards each delivery to ``target`` (``copies`` times: duplicates on purpose)
    and answers 503 while there is no target, as a tillflow that is down would."""

    def __init__(self) -> None:
        self.target: str | None = None
        self.copies = 1
        self.forwarded = 0
        self.refused = 0
        self._lock = threading.Lock()

    def forward(self, path: str, headers: dict[str, str], body: bytes) -> int:
        with self._lock:
            target, copies = self.target, self.copies
        if target is None:
            with self._lock:
                self.refused += 1
            return 503
        parts = urlsplit(target)
        status = 503
        for _ in range(copies):
            connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1",
                                                    parts.port or 80, timeout=10)
            try:
                connection.request("POST", path, body=body, headers=headers)
                status = connection.getresponse().status
            except OSError:
                status = 503
            finally:
                connection.close()
        with self._lock:
            self.forwarded += 1
        return status


@contextmanager
def webhook_relay() -> Iterator[tuple[WebhookRelay, str]]:
    relay = WebhookRelay()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() not in ("host", "connection", "content-length")}
            status = relay.forward(self.path, headers, body)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the tests count deliveries on the relay."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield relay, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class Vendure:
    """A running peer, the relay its plugin posts to, and a scoped API key."""

    peer: VendurePeer
    relay: WebhookRelay
    api_key: str

    def admin(self) -> VendureClient:
        return self.peer.admin()

    def attach(self, url: str) -> None:
        """The tillflow at ``url`` receives the plugin's webhooks from now on."""
        self.relay.copies = 1
        self.relay.target = url
