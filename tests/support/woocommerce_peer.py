"""A real WordPress 6.8.8 with WooCommerce 10.0.2 on loopback, for the WooCommerce tests.

``tests/peers/woocommerce/setup.sh`` builds the peer once into a cache folder outside the
clone: the WordPress tree, a certificate for IP:127.0.0.1, the dump of a freshly
installed shop and its REST key. A ``WooStack`` runs a private MariaDB, php-fpm and nginx
for a test session. ``new_shop`` loads the dump into a database of its own and serves it
on ports of its own (HTTPS, and plain HTTP, where WooCommerce refuses its keys), with a
queue runner that sends its webhooks within a second instead of WP-Cron's minute. Every
process is stopped by its PID.
"""

from __future__ import annotations

import getpass
import grp
import http.server
import itertools
import json
import os
import re
import signal
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.live_server import free_port
from support.peers import ROOT, shared_peers

HERE = ROOT / "tests" / "peers" / "woocommerce"
TARBALLS = ("wordpress-6.8.8.tar.gz", "woocommerce-10.0.2.tar.gz")
API = "/wp-json/wc/v3"
# How often each shop's queue runner looks for due actions (webhook deliveries).
QUEUE_EVERY = 0.5
# WooCommerce wants more memory than PHP's default; WordPress mails on new orders and
# accounts, and there is no mail server here.
PHP_SETTINGS = ("memory_limit=512M", "sendmail_path=cat >/dev/null")


def peer_files() -> tuple[Path, ...]:
    return tuple(shared_peers() / "woocommerce" / name for name in TARBALLS)


@dataclass(frozen=True)
class Build:
    """The cached peer: WordPress tree, certificate, clean dump and its REST key."""

    folder: Path
    consumer_key: str
    consumer_secret: str

    @property
    def wordpress(self) -> Path:
        return self.folder / "wordpress"

    @property
    def certificate(self) -> Path:
        return self.folder / "tls" / "cert.pem"


def install() -> Build:
    """Builds the peer when its cache folder is missing (half a minute), else finds it."""
    done = subprocess.run(["bash", str(HERE / "setup.sh")], check=True, timeout=1800,
                          stdout=subprocess.PIPE, text=True,
                          env={**os.environ, "TILLFLOW_SHARED_PEERS": str(shared_peers())})
    folder = Path(done.stdout.strip().splitlines()[-1])
    keys = json.loads((folder / "keys.json").read_text())
    return Build(folder, keys["consumer_key"], keys["consumer_secret"])


def _wait(ready: Callable[[], bool], *, timeout: float, failure: Callable[[], str]) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise RuntimeError(failure())
        time.sleep(0.05)


def _tail(path: Path) -> str:
    return path.read_text(errors="replace")[-3000:] if path.exists() else f"(no {path})"


class _Daemon:
    """A server process started here, its output in ``log``, stopped by its PID."""

    def __init__(self, args: list[str], log: Path, *, env: dict[str, str] | None = None
                 ) -> None:
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, env=env)

    def running(self) -> bool:
        return self.process.poll() is None

    def send(self, number: int) -> None:
        if self.running():
            os.kill(self.process.pid, number)

    def stop(self, *, how: int = signal.SIGTERM, timeout: float = 20.0) -> None:
        self.send(how)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()


def shop_url(port: int) -> str:
    return f"https://127.0.0.1:{port}"


@dataclass
class WooShop:
    """One shop: its database, its ports, its key, and the queue runner sending its
    webhooks."""

    name: str
    database: str
    port: int
    http_port: int
    consumer_key: str
    consumer_secret: str
    certificate: Path
    queue: _Daemon

    @property
    def url(self) -> str:
        return shop_url(self.port)

    @property
    def http_url(self) -> str:
        """The same shop over plain HTTP: WooCommerce refuses its REST keys there."""
        return f"http://127.0.0.1:{self.http_port}"

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.certificate))

    def client(self, *, timeout: float = 30.0) -> httpx.Client:
        """The REST API v3 over HTTPS with HTTP Basic auth, as the connector calls it."""
        return httpx.Client(base_url=self.url + API, auth=(self.consumer_key,
                                                           self.consumer_secret),
                            verify=self.ssl_context(), timeout=timeout)


class WooStack:
    """MariaDB, php-fpm and nginx for one test session, serving any number of shops."""

    def __init__(self, build: Build, folder: Path) -> None:
        self.build = build
        self.folder = folder
        self.mysql_socket = folder / "mysql.sock"
        self.fpm_socket = folder / "php-fpm.sock"
        self.sites = folder / "nginx" / "shops"
        self._daemons: list[_Daemon] = []
        self._mariadb: _Daemon | None = None
        self._nginx: _Daemon | None = None
        self._shops: list[WooShop] = []
        self._numbers = itertools.count()

    def start(self) -> None:
        self.sites.mkdir(parents=True)
        (self.folder / "nginx" / "temp").mkdir()
        try:
            self._start_mariadb()
            self._start_php_fpm()
            self._start_nginx()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        for shop in self._shops:
            shop.queue.stop()
        self._shops.clear()
        for daemon in reversed(self._daemons):
            # nginx and php-fpm finish what they serve on SIGQUIT; MariaDB shuts down on TERM.
            daemon.stop(how=signal.SIGTERM if daemon is self._mariadb else signal.SIGQUIT)
        self._daemons.clear()

    # -- the servers ---------------------------------------------------------------------

    def _start_mariadb(self) -> None:
        data = self.folder / "mariadb"
        user = getpass.getuser()
        subprocess.run(["mariadb-install-db", "--no-defaults", f"--user={user}",
                        f"--datadir={data}", "--auth-root-authentication-method=normal",
                        "--skip-test-db"], check=True, capture_output=True, timeout=300)
        # Throwaway data: durability traded for speed (each shop is a fresh load).
        daemon = _Daemon(["mariadbd", "--no-defaults", f"--user={user}", f"--datadir={data}",
                          f"--socket={self.mysql_socket}", f"--port={free_port()}",
                          "--bind-address=127.0.0.1", "--skip-name-resolve", "--skip-log-bin",
                          "--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0",
                          "--innodb-buffer-pool-size=256M"],
                         self.folder / "mariadb.log")
        self._mariadb = daemon
        self._daemons.append(daemon)
        _wait(lambda: self._sql_answers(daemon), timeout=60,
              failure=lambda: f"MariaDB did not start: {_tail(daemon.log)}")

    def _sql_answers(self, daemon: _Daemon) -> bool:
        if not daemon.running():
            raise RuntimeError(f"MariaDB exited: {_tail(daemon.log)}")
        return self.mysql_socket.exists() and subprocess.run(
            self._client("-e", "select 1"), capture_output=True, check=False).returncode == 0

    def _client(self, *arguments: str) -> list[str]:
        return ["mariadb", "--no-defaults", "-uroot", f"--socket={self.mysql_socket}",
                *arguments]

    def sql(self, statement: str) -> None:
        subprocess.run(self._client("-e", statement), check=True, capture_output=True,
                       timeout=60)

    def _start_php_fpm(self) -> None:
        config = self.folder / "php-fpm.conf"
        config.write_text(_php_fpm_config(self.folder, self.fpm_socket))
        root = ["-R"] if os.geteuid() == 0 else []
        daemon = _Daemon(["php-fpm8.2", "--nodaemonize", "--fpm-config", str(config), *root],
                         self.folder / "php-fpm.out")
        self._daemons.append(daemon)
        _wait(self.fpm_socket.exists, timeout=30,
              failure=lambda: f"php-fpm did not start: {_tail(self.folder / 'php-fpm.log')}")

    def _start_nginx(self) -> None:
        config = self.folder / "nginx" / "nginx.conf"
        config.write_text(_nginx_config(self.folder, self.sites))
        pid = self.folder / "nginx.pid"
        self._nginx = _Daemon(["nginx", *self._nginx_options(), "-g", "daemon off;"],
                              self.folder / "nginx.out")
        self._daemons.append(self._nginx)
        _wait(pid.exists, timeout=30,
              failure=lambda: f"nginx did not start: {_tail(self.folder / 'nginx-error.log')}")

    def _nginx_options(self) -> list[str]:
        nginx = self.folder / "nginx"
        return ["-p", f"{nginx}/", "-c", str(nginx / "nginx.conf"),
                "-e", str(self.folder / "nginx-error.log")]

    def _reload_nginx(self) -> None:
        assert self._nginx is not None, "the stack is not started"
        subprocess.run(["nginx", *self._nginx_options(), "-t", "-q"], check=True,
                       capture_output=True, timeout=30)
        self._nginx.send(signal.SIGHUP)

    # -- shops ---------------------------------------------------------------------------

    def new_shop(self, name: str) -> WooShop:
        """A fresh shop loaded from the clean dump, served on ports of its own, with its
        queue runner going; ready when its REST API answers with the key."""
        slug = re.sub(r"[^a-z0-9]+", "_", name.lower())
        database = f"shop_{next(self._numbers)}_{slug}"[:64]
        self.sql(f"create database `{database}`")
        with (self.build.folder / "clean.sql").open("rb") as dump:
            subprocess.run(self._client(database), stdin=dump, check=True,
                           capture_output=True, timeout=300)
        port, http_port = free_port(), free_port()
        (self.sites / f"{database}.conf").write_text(
            _shop_server(self, database, port=port, http_port=http_port))
        self._reload_nginx()
        queue = _Daemon(["php", *(f"-d{setting}" for setting in PHP_SETTINGS),
                         str(HERE / "queue.php")],
                        self.folder / f"{database}-queue.log", env=self._cli_env(database, port))
        shop = WooShop(name=name, database=database, port=port, http_port=http_port,
                       consumer_key=self.build.consumer_key,
                       consumer_secret=self.build.consumer_secret,
                       certificate=self.build.certificate, queue=queue)
        self._shops.append(shop)
        _wait(lambda: _answers(shop), timeout=60, failure=lambda: (
            f"the shop did not answer: {_tail(self.folder / 'nginx-error.log')}"
            f"{_tail(self.folder / 'php-errors.log')}"))
        _wait(lambda: b"queue runner ready" in queue.log.read_bytes(), timeout=60,
              failure=lambda: f"the queue runner did not start: {_tail(queue.log)}")
        return shop

    def close_shop(self, shop: WooShop) -> None:
        shop.queue.stop()
        # Its database stays for the session (a look after a failure); requests still
        # in flight, such as WP-Cron's own, would fail on a dropped one.
        (self.sites / f"{shop.database}.conf").unlink(missing_ok=True)
        self._reload_nginx()
        self._shops.remove(shop)

    def _cli_env(self, database: str, port: int) -> dict[str, str]:
        """What wp-config.php reads for a command-line script on a shop."""
        return {**os.environ, "WORDPRESS": str(self.build.wordpress),
                "TILLFLOW_WOO_DB": database,
                "TILLFLOW_WOO_DB_HOST": f"localhost:{self.mysql_socket}",
                "TILLFLOW_WOO_URL": shop_url(port), "TILLFLOW_WOO_RUN": str(self.folder),
                "TILLFLOW_WOO_QUEUE_EVERY": str(QUEUE_EVERY)}


def _answers(shop: WooShop) -> bool:
    try:
        with shop.client(timeout=10) as client:
            return client.get("").status_code == 200
    except httpx.TransportError:
        return False


def _php_fpm_config(folder: Path, listen: Path) -> str:
    user = getpass.getuser()
    settings = "\n".join(f"php_admin_value[{name}] = \"{value}\""
                         for name, value in (setting.split("=", 1) for setting in PHP_SETTINGS))
    return f"""[global]
pid = {folder}/php-fpm.pid
error_log = {folder}/php-fpm.log
daemonize = no

[shops]
user = {user}
group = {grp.getgrgid(os.getegid()).gr_name}
listen = {listen}
pm = static
pm.max_children = 4
request_terminate_timeout = 120
catch_workers_output = yes
php_admin_flag[log_errors] = on
php_admin_value[error_log] = {folder}/php-errors.log
{settings}
"""


def _nginx_config(folder: Path, sites: Path) -> str:
    # As root, nginx's workers would otherwise run as nobody, who cannot read the cache.
    user = "user root;" if os.geteuid() == 0 else ""
    temp = folder / "nginx" / "temp"
    return f"""{user}
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {folder}/nginx-access.log;
    client_body_temp_path {temp}/body;
    fastcgi_temp_path {temp}/fastcgi;
    proxy_temp_path {temp}/proxy;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    client_max_body_size 64m;
    include {sites}/*.conf;
}}
"""


def _shop_server(stack: WooStack, database: str, *, port: int, http_port: int) -> str:
    """One shop's server: its ports, and the FastCGI parameters wp-config.php reads."""
    tls = stack.build.folder / "tls"
    return f"""server {{
    listen 127.0.0.1:{port} ssl;
    listen 127.0.0.1:{http_port};
    ssl_certificate {tls}/cert.pem;
    ssl_certificate_key {tls}/key.pem;
    root {stack.build.wordpress};
    index index.php;
    location / {{ try_files $uri $uri/ /index.php?$args; }}
    location ~ \\.php$ {{
        try_files $uri =404;
        include /etc/nginx/fastcgi_params;
        fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
        # Debian's parameters send the host without its port; WordPress needs the port.
        fastcgi_param HTTP_HOST $host:$server_port;
        fastcgi_param TILLFLOW_WOO_DB {database};
        fastcgi_param TILLFLOW_WOO_DB_HOST localhost:{stack.mysql_socket};
        fastcgi_param TILLFLOW_WOO_RUN {stack.folder};
        fastcgi_pass unix:{stack.fpm_socket};
        fastcgi_read_timeout 120s;
    }}
}}
"""


# -- the REST API's own description ------------------------------------------------------

# The routes the connector uses and the simulator serves; ``<id>`` stands for any
# record's id.
SCHEMA_ROUTES = ("products", "products/<id>", "products/batch", "products/<id>/variations",
                 "products/<id>/variations/<id>", "products/<id>/variations/batch", "orders",
                 "orders/<id>", "orders/<id>/refunds", "orders/<id>/refunds/<id>",
                 "customers", "customers/<id>", "webhooks", "webhooks/<id>",
                 "settings/products/woocommerce_manage_stock")
SCHEMA_FILE = ROOT / "tests" / "fixtures" / "woocommerce" / "rest-v3.json"
# Stands for the shop's own address, so that what two shops answer compares equal.
SITE = "https://shop.example"


def rest_schema(shop: WooShop) -> dict[str, Any]:
    """The ``/wp-json/wc/v3`` index and each route's OPTIONS answer (its schema and the
    arguments of each method), as the shop describes them."""
    with shop.client() as client:
        index = _json(client.get(""))
        routes = {route: _json(client.options("/" + route.replace("<id>", "1")))
                  for route in SCHEMA_ROUTES}
    described: dict[str, Any] = json.loads(
        json.dumps({"index": index, "routes": routes}).replace(shop.url, SITE))
    return described


def _json(response: httpx.Response) -> Any:
    response.raise_for_status()
    return response.json()


# -- webhooks -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    received: float  # time.monotonic()
    headers: dict[str, str]  # names in lower case
    body: bytes


class WebhookReceiver:
    """Records what the shop POSTs to it, and answers 200."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.deliveries: list[Delivery] = []
        self._arrived = threading.Condition()

    def record(self, delivery: Delivery) -> None:
        with self._arrived:
            self.deliveries.append(delivery)
            self._arrived.notify_all()

    def wait_for(self, match: Callable[[Delivery], bool], *, timeout: float) -> Delivery:
        """The first delivery that ``match`` accepts, waiting up to ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                found = next((d for d in self.deliveries if match(d)), None)
                if found is not None:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    topics = [d.headers.get("x-wc-webhook-topic") for d in self.deliveries]
                    raise AssertionError(f"no such delivery in {timeout} s; received {topics}")
                self._arrived.wait(left)


@contextmanager
def webhook_receiver() -> Iterator[WebhookReceiver]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            receiver.record(Delivery(time.monotonic(),
                                     {k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the tests read the deliveries."""

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver = WebhookReceiver(f"http://127.0.0.1:{server.server_address[1]}/webhooks/woo")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# -- the fields of WooCommerce's answers ---------------------------------------------------

# What WooCommerce 10.0.2 returns without describing it in the route's schema, and what it
# describes for the view context but leaves out of such a record; seen on the real shop.
UNDESCRIBED = {"products/<id>/variations": {"date_created_gmt", "date_modified_gmt", "name",
                                            "parent_id"},
               "orders": {"currency_symbol"}}
NOT_SHOWN = {"settings/products/woocommerce_manage_stock": {"options", "placeholder", "tip"}}
# Fields whose values WooCommerce writes in another type than its schema says (an integer
# described as a string; an image id that is "" for a line without a product image).
MISDESCRIBED = {"shipping_class_id", "line_items.image.id"}
_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,), "date-time": (str,), "integer": (int,), "number": (int, float),
    "boolean": (bool,), "array": (list,), "object": (dict,)}


def field_problems(route: str, record: dict[str, Any]) -> list[str]:
    """How ``record``, an answer of ``route`` (the fixture's name for it), differs from
    the schema WooCommerce gives for the route: fields it does not describe, described
    fields it lacks, and values of another JSON type (null stands for any unset value)."""
    schema = json.loads(SCHEMA_FILE.read_text())["routes"][route]["schema"]
    shown = {k: v for k, v in schema["properties"].items()
             if "view" in v.get("context", ["view"])}
    problems = [f"{route}: {name} is not described"
                for name in sorted(set(record) - set(shown) - UNDESCRIBED.get(route, set())
                                   - {"_links"}) if name not in schema["properties"]]
    problems += [f"{route}: {name} is missing"
                 for name in sorted(set(shown) - set(record) - NOT_SHOWN.get(route, set()))]
    for name, value in record.items():
        if name in shown:
            problems += _typed(f"{route}: {name}", name, value, shown[name])
    return problems


def _typed(where: str, path: str, value: Any, rule: dict[str, Any]) -> list[str]:
    kinds = rule.get("type")
    allowed = [kinds] if isinstance(kinds, str) else list(kinds or [])
    if (value is None or path in MISDESCRIBED or not allowed
            or any(k not in _JSON_TYPES for k in allowed)):
        return []
    fits = [k for k in allowed if isinstance(value, _JSON_TYPES[k])
            and not (k in ("integer", "number") and isinstance(value, bool))]
    if not fits:
        return [f"{where} is {type(value).__name__}, described as {kinds}"]
    found: list[str] = []
    if isinstance(value, dict) and "properties" in rule:
        for name, item in value.items():
            if name in rule["properties"]:
                found += _typed(f"{where}.{name}", f"{path}.{name}", item,
                                rule["properties"][name])
    if isinstance(value, list) and isinstance(rule.get("items"), dict):
        for n, item in enumerate(value):
            found += _typed(f"{where}[{n}]", path, item, rule["items"])
    return found


def sample_records(api: httpx.Client, prefix: str) -> dict[str, list[dict[str, Any]]]:
    """One answer of each described route, made through the REST API (a simulator's or a
    real shop's): a product, a variation, an order with a refund, customers (the
    administrator among them), a webhook and the stock management setting."""
    def made(response: httpx.Response) -> dict[str, Any]:
        assert response.status_code in (200, 201), response.text
        body: dict[str, Any] = response.json()
        return body

    item = made(api.post("/products", json={
        "name": f"{prefix} mug", "sku": f"{prefix}-MUG", "regular_price": "4.50",
        "manage_stock": True, "stock_quantity": 5}))
    parent = made(api.post("/products", json={
        "name": f"{prefix} tee", "type": "variable",
        "attributes": [{"name": "Size", "options": ["S", "M"], "variation": True}]}))
    variation = made(api.post(f"/products/{parent['id']}/variations", json={
        "sku": f"{prefix}-TEE-S", "regular_price": "9.00",
        "attributes": [{"name": "Size", "option": "S"}]}))
    order = made(api.post("/orders", json={
        "set_paid": True, "billing": {"email": f"{prefix.lower()}@example.com"},
        "line_items": [{"product_id": item["id"], "quantity": 2}]}))
    refund = made(api.post(f"/orders/{order['id']}/refunds", json={
        "amount": "1.00", "api_refund": False, "line_items": [
            {"id": order["line_items"][0]["id"], "quantity": 1, "refund_total": "1.00"}]}))
    customer = made(api.post("/customers", json={"email": f"{prefix.lower()}-c@example.com"}))
    hook = made(api.post("/webhooks", json={
        "topic": "order.created", "delivery_url": f"http://127.0.0.1:9/{prefix}"}))
    users = api.get("/customers", params={"role": "all", "per_page": 100}).json()
    return {"products": [item, parent], "products/<id>/variations": [variation],
            "orders": [made(api.get(f"/orders/{order['id']}"))],
            "orders/<id>/refunds": [refund], "customers": [customer, *users],
            "webhooks": [hook], "settings/products/woocommerce_manage_stock": [
                made(api.get("/settings/products/woocommerce_manage_stock"))]}


# The param of a fixture that gives the real shop, asked for by name
# (``request.getfixturevalue("woo_shop")``), which the collection cannot see: its tests
# run on the worker that started the shop.
REAL_WOO = pytest.param("real", marks=pytest.mark.xdist_group("woocommerce"))
