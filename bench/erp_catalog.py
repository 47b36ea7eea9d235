"""ERP catalog: lag from a product change in tillflow to the ERP showing it, and the drain
of a backlog of product changes after an outage.

Prints figures; not a test. See bench/README.md ("ERP catalog").

1. Lag: ``--changes`` changes made one after another through the HTTP API (each of
   ``--skus`` products created, then renamed, repriced, given new barcodes, another tax
   rate, deactivated and brought back, in turn) while a worker thread (the journal
   consumer and the poster, as ``tillflow worker`` runs them) sends them to the ERP; each
   timed from the API call to the ERP showing the product as tillflow has it (the ERP
   read every 50 ms). Prints p50/p99/max.
2. Backlog: with the ERP down, ``--backlog`` products are created and queued; then it
   starts and the poster's drain is timed (products/s).

Against trytond (the tests' peer), the Odoo simulator over JSON-2 and, where the packed
peers hold it (``../shared/peers/odoo/odoo-19.tar.gz``, ``TILLFLOW_SHARED_PEERS``), a
real Odoo 19.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the peers' and the API's test helpers

from support.api import Api  # noqa: E402
from support.erp_catalog import (  # noqa: E402
    OdooShelf,
    Shelf,
    TrytonShelf,
    changed_and_seen,
    ean13,
    erp_worker,
)
from support.odoo_peer import OdooPeer  # noqa: E402
from support.odoo_peer import install as install_odoo  # noqa: E402
from support.peers import shared_peers  # noqa: E402
from support.tryton_peer import PASSWORD, USERNAME, TrytonPeer  # noqa: E402
from support.tryton_peer import install as install_tryton  # noqa: E402
from tillflow.api.app import create_app  # noqa: E402
from tillflow.connectors import available  # noqa: E402
from tillflow.connectors.odoo.client import JSON2, OdooClient  # noqa: E402
from tillflow.connectors.tryton.rpc import TrytonClient  # noqa: E402
from tillflow.db.engine import build_engine  # noqa: E402
from tillflow.db.setup import initialise  # noqa: E402
from tillflow.db.uow import SqlStore, engine_of  # noqa: E402
from tillflow.erp.adapters import accounting_for  # noqa: E402
from tillflow.erp.consumer import JournalConsumer  # noqa: E402
from tillflow.erp.poster import PostingRunner  # noqa: E402
from tillflow.services.context import ServiceContext  # noqa: E402
from tillflow.sync.consumers import ConsumerRunner  # noqa: E402
from tillflow_simulators.odoo.simulator import (  # noqa: E402
    DEFAULT_API_KEY,
    DEFAULT_DATABASE,
    DEFAULT_LOGIN,
    OdooSimulator,
)


@dataclass
class Erp:
    """One ERP to measure: how to connect tillflow to it, read it, stop and start it."""

    label: str
    platform: str
    settings: dict[str, Any]
    secrets: dict[str, str]
    shelf: Shelf
    stop: Callable[[], None]
    start: Callable[[], None]


@contextmanager
def scratch_store(folder: Path) -> Iterator[Api]:
    folder.mkdir(parents=True)
    engine = build_engine(f"sqlite:///{folder / 'tillflow.db'}")
    ctx = ServiceContext(SqlStore(engine), initialise(engine), connectors=available.registry())
    try:
        with TestClient(create_app(ctx, max_body_bytes=1 << 20)) as client:
            yield Api(client, ctx)
    finally:
        engine_of(ctx.store).dispose()


def change(api: Api, sku: str, step: int, serial: int) -> Callable[[], Any]:
    """The ``step``-th change of a product; ``serial`` keeps barcodes unique."""
    path = f"/products/{sku}"
    changes: list[Callable[[], Any]] = [
        lambda: api.ok(api.post("/products", {"sku": sku, "name": "Tea", "price": "3.50",
                                              "tax_rate": "0.08"}), 201),
        lambda: api.ok(api.patch(path, {"name": f"Tea {serial}"})),
        lambda: api.ok(api.patch(path, {"price": f"{3 + serial % 7}.{serial % 100:02d}"})),
        lambda: api.ok(api.patch(path, {"barcodes": [ean13(f"29{serial:010d}")]})),
        lambda: api.ok(api.patch(path, {"tax_rate": "0.20"})),
        lambda: api.ok(api.patch(path, {"active": False})),
        lambda: api.ok(api.patch(path, {"active": True, "tax_rate": "0.08"})),
    ]
    return changes[0] if step == 0 else changes[1 + (step - 1) % (len(changes) - 1)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def lag(folder: Path, erp: Erp, *, changes: int, skus: int) -> None:
    with scratch_store(folder) as api:
        api.ok(api.post("/connections", {"name": "erp", "platform": erp.platform,
                                         "settings": erp.settings, "secrets": erp.secrets}),
               201)
        lags: list[float] = []
        with erp_worker(api.ctx):
            for serial in range(changes):
                sku = f"L{serial % skus:03d}"
                lags.append(changed_and_seen(api, erp.shelf,
                                             change(api, sku, serial // skus, serial), sku))
    print(f"{erp.label}: {len(lags)} changes of {skus} products, each seen in the ERP after "
          f"p50 {percentile(lags, 0.5):.2f} s, p99 {percentile(lags, 0.99):.2f} s, "
          f"max {max(lags):.2f} s")


def backlog(folder: Path, erp: Erp, *, count: int) -> None:
    with scratch_store(folder) as api:
        api.ok(api.post("/connections", {"name": "erp", "platform": erp.platform,
                                         "settings": erp.settings, "secrets": erp.secrets}),
               201)
        erp.stop()
        for serial in range(count):
            api.ok(api.post("/products", {"sku": f"Q{serial:05d}", "name": f"Item {serial}",
                                          "price": "1.00", "tax_rate": "0.08"}), 201)
        booker = ConsumerRunner(api.ctx, [JournalConsumer()], batch=500)
        while booker.run_once():
            pass
        booker.release()
        erp.start()
        poster = PostingRunner(api.ctx, accounting_for, batch=500)
        began = time.monotonic()
        while poster.run_once():
            pass
        drained = time.monotonic() - began
        poster.close()
        state = api.ok(api.get("/erp/erp/health"))
    print(f"{erp.label}: a backlog of {count} new products drained in {drained:.1f} s "
          f"({state['posted'] / drained:.1f} products/s; {state['posted']} posted, "
          f"{state['failed']} dead, {state['pending']} pending)")


def tryton_erp(folder: Path) -> AbstractContextManager[Erp]:
    @contextmanager
    def running() -> Iterator[Erp]:
        peer = TrytonPeer(folder)
        peer.start()
        client = TrytonClient(url=peer.url, username=USERNAME, password=PASSWORD)
        try:
            yield Erp("trytond", "tryton", {
                "url": peer.url, "database": peer.database, "poll_seconds": 0},
                {"username": USERNAME, "password": PASSWORD}, TrytonShelf(client),
                peer.stop, peer.start)
        finally:
            client.close()
            peer.remove()
    return running()


def simulator_erp() -> AbstractContextManager[Erp]:
    @contextmanager
    def running() -> Iterator[Erp]:
        odoo = OdooSimulator()
        odoo.start()
        client = OdooClient(url=odoo.url, database=DEFAULT_DATABASE, username=DEFAULT_LOGIN,
                            secret=DEFAULT_API_KEY, protocol=JSON2)
        try:
            yield Erp("Odoo simulator (JSON-2)", "odoo", {
                "url": odoo.url, "database": DEFAULT_DATABASE, "protocol": JSON2,
                "poll_seconds": 0}, {"username": DEFAULT_LOGIN, "api_key": DEFAULT_API_KEY},
                OdooShelf(client), odoo.stop, odoo.start)
        finally:
            client.close()
            odoo.stop()
    return running()


def odoo_erp(folder: Path) -> AbstractContextManager[Erp]:
    @contextmanager
    def running() -> Iterator[Erp]:
        peer = OdooPeer(install_odoo("19"), folder)
        peer.create()
        peer.start()
        client = OdooClient(url=peer.url, database=peer.database, username=peer.login,
                            secret=peer.api_key, protocol=JSON2)
        try:
            yield Erp("Odoo 19 (JSON-2)", "odoo", {
                "url": peer.url, "database": peer.database, "protocol": JSON2,
                "poll_seconds": 0}, {"username": peer.login, "api_key": peer.api_key},
                OdooShelf(client), peer.stop, peer.start)
        finally:
            client.close()
            peer.remove()
    return running()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument("--skus", type=int, default=10)
    parser.add_argument("--backlog", type=int, default=200)
    args = parser.parse_args()
    install_tryton()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        erps: list[Callable[[str], AbstractContextManager[Erp]]] = [
            lambda part: tryton_erp(folder / f"trytond-{part}"),
            lambda part: simulator_erp()]
        if (shared_peers() / "odoo" / "odoo-19.tar.gz").exists():
            erps.append(lambda part: odoo_erp(folder / f"odoo-{part}"))
        for index, erp_for in enumerate(erps):
            with erp_for("lag") as erp:
                lag(folder / f"lag-{index}", erp, changes=args.changes, skus=args.skus)
            with erp_for("backlog") as erp:
                backlog(folder / f"backlog-{index}", erp, count=args.backlog)


if __name__ == "__main__":
    main()
