"""ERP posting: lag from sale to visible in the ERP, and the drain of a backlog.

Prints figures; not a test. See bench/README.md ("ERP posting").

1. Posting lag: sales recorded at ``--rate`` per second for ``--seconds`` while a worker
   thread books and posts them to a real trytond (the test suite's peer) as paid
   invoices; a watcher polls Tryton's invoices and notes when each sale's is paid.
   Prints p50/p99/max lag.
2. Backlog drain: the ERP is down while ``--backlog`` sales are recorded and booked; then
   it comes back and the worker drains the posting_queue. Timed against the Odoo simulator
   (tillflow's own cost plus a fast ERP) and against trytond with ``--tryton-backlog``.

With ``--platform xero`` or ``--platform quickbooks``: posting to SaaS books at their
real limits instead (``bench/erp_books.py``). With ``--platform odoo``: the lag and the
drain against the real Odoo 19 (or ``--odoo-version 17``) of the test suite's peers,
beside the rate of the same Odoo calls made without tillflow (``bench/erp_odoo.py``).
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the trytond peer's helpers live with the tests
sys.path.insert(0, str(ROOT))

from bench import erp_books  # noqa: E402
from support.tryton_peer import PASSWORD, USERNAME, TrytonPeer, install  # noqa: E402
from tillflow.connectors import available  # noqa: E402
from tillflow.connectors.tryton.rpc import TrytonClient  # noqa: E402
from tillflow.db.engine import build_engine  # noqa: E402
from tillflow.db.setup import initialise  # noqa: E402
from tillflow.db.tables_accounting import erp_postings  # noqa: E402
from tillflow.db.uow import SqlStore, engine_of  # noqa: E402
from tillflow.erp import posting_queue  # noqa: E402
from tillflow.erp.adapters import accounting_for  # noqa: E402
from tillflow.erp.consumer import JournalConsumer  # noqa: E402
from tillflow.erp.poster import PostingRunner  # noqa: E402
from tillflow.services import catalog, connections, inventory, locations  # noqa: E402
from tillflow.services.context import SYSTEM, ServiceContext  # noqa: E402
from tillflow.services.sales import (  # noqa: E402
    SaleLineRequest,
    SaleRequest,
    TenderRequest,
    record_sale,
)
from tillflow.sync.consumers import ConsumerRunner  # noqa: E402
from tillflow_simulators.odoo.simulator import (  # noqa: E402
    DEFAULT_API_KEY,
    DEFAULT_DATABASE,
    DEFAULT_LOGIN,
    OdooSimulator,
)


def store(folder: Path, *, location: str = "S1") -> ServiceContext:
    """A scratch store selling tea at ``location`` (its code numbers the sales, so stores
    posting to one ERP keep their documents apart)."""
    folder.mkdir(parents=True)
    engine = build_engine(f"sqlite:///{folder / 'tillflow.db'}")
    ctx = ServiceContext(SqlStore(engine), initialise(engine), connectors=available.registry())
    locations.create_location(ctx, code=location, name="Shop", kind="store",
                              allow_negative_stock=True)
    catalog.create_product(ctx, catalog.ProductInput(sku="A", name="Tea", price="3.50",
                                                     tax_rate="0.08"))
    inventory.adjust(ctx, SYSTEM, sku="A", location=location, delta=1_000_000,
                     reason="bench stock", kind="receipt")
    return ctx


def sell(ctx: ServiceContext, *, location: str = "S1") -> str:
    sale, _ = record_sale(ctx, SYSTEM, SaleRequest(
        location=location, lines=[SaleLineRequest(sku="A", quantity=2)],
        payments=[TenderRequest(method="cash", amount="10.00")]))
    return sale.number


def worker(ctx: ServiceContext, stop: threading.Event) -> threading.Thread:
    runner = ConsumerRunner(ctx, [JournalConsumer()], jobs=[PostingRunner(ctx, accounting_for)])

    def loop() -> None:
        while not stop.is_set():
            if not runner.run_once():
                stop.wait(0.02)
        runner.release()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    return thread


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def posting_lag(folder: Path, *, rate: float, seconds: float, sales: str) -> None:
    peer = TrytonPeer(folder / "trytond-lag")
    peer.start()
    ctx = store(folder / "lag")
    connections.create_connection(ctx, name="erp", platform="tryton",
                                  settings={"url": peer.url, "database": "tillflow",
                                            "sales": sales},
                                  secrets={"username": USERNAME, "password": PASSWORD})
    sold: dict[str, float] = {}
    seen: dict[str, float] = {}
    stop = threading.Event()
    thread = worker(ctx, stop)
    watch = _watch_invoices if sales == "invoice" else _watch_moves
    watcher = threading.Thread(target=watch, args=(peer, seen, stop), daemon=True)
    watcher.start()
    try:
        start = time.monotonic()
        for index in range(int(rate * seconds)):
            time.sleep(max(0.0, start + index / rate - time.monotonic()))
            sold[sell(ctx)] = time.monotonic()
        deadline = time.monotonic() + 300
        while len(seen.keys() & sold.keys()) < len(sold) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        thread.join(timeout=30)
        watcher.join(timeout=5)
        peer.stop()
    lags = [seen[n] - t for n, t in sold.items() if n in seen]
    print(f"posting lag to trytond ({sales}s) at {rate:g} sales/s for {seconds:g} s: "
          f"{len(lags)}/{len(sold)} visible; p50 {percentile(lags, 0.5):.2f} s, "
          f"p99 {percentile(lags, 0.99):.2f} s, max {max(lags):.2f} s")


def _watch_moves(peer: TrytonPeer, seen: dict[str, float], stop: threading.Event) -> None:
    """Notes when each sale's account move appears in Tryton."""
    client = TrytonClient(url=peer.url, username=USERNAME, password=PASSWORD)
    last = 0
    try:
        while not stop.is_set():
            moves = client.model("account.move", "search_read", [("id", ">", last)], 0,
                                 None, [("id", "ASC")], ["description"])
            now = time.monotonic()
            for move in moves:
                last = max(last, int(move["id"]))
                seen.setdefault(move["description"].split()[0].removeprefix("sale:"), now)
            stop.wait(0.05)
    finally:
        client.close()


def _watch_invoices(peer: TrytonPeer, seen: dict[str, float], stop: threading.Event) -> None:
    """Notes when each sale's invoice is paid in Tryton (invoice, payment: all there)."""
    client = TrytonClient(url=peer.url, username=USERNAME, password=PASSWORD)
    try:
        while not stop.is_set():
            paid = client.model("account.invoice", "search_read", [
                ("state", "=", "paid"), ("reference", "not in", list(seen))], 0, None,
                [("id", "ASC")], ["reference"])
            now = time.monotonic()
            for invoice in paid:
                seen.setdefault(invoice["reference"], now)
            stop.wait(0.05)
    finally:
        client.close()


def drain(folder: Path, *, name: str, backlog: int, connect: Callable[[ServiceContext], Any],
          start_erp: Callable[[], None], sales: str, location: str = "S1") -> float:
    """Prints the figures; returns the postings drained per second."""
    ctx = store(folder / name, location=location)
    connect(ctx)
    began = time.monotonic()
    for _ in range(backlog):
        sell(ctx, location=location)
    recorded = time.monotonic()
    booker = ConsumerRunner(ctx, [JournalConsumer()], batch=500)
    while booker.run_once():
        pass
    booker.release()
    booked = time.monotonic()
    start_erp()
    poster = PostingRunner(ctx, accounting_for, batch=500)
    drain_start = time.monotonic()
    while poster.run_once():
        pass
    drained = time.monotonic() - drain_start
    poster.close()
    with ctx.uow(read_only=True) as uow:
        posted = uow.connection.execute(select(func.count()).select_from(erp_postings).where(
            erp_postings.c.status == posting_queue.POSTED)).scalar_one()
    print(f"backlog of {backlog} postings to {name} ({sales}s): "
          f"recorded in {recorded - began:.1f} s, "
          f"booked in {booked - recorded:.1f} s; drained {posted} in {drained:.1f} s "
          f"({posted / drained:.1f} postings/s)")
    engine_of(ctx.store).dispose()
    return float(posted) / drained


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--backlog", type=int, default=10_000)
    parser.add_argument("--tryton-backlog", type=int, default=300)
    parser.add_argument("--sales", choices=["invoice", "move"], default="invoice",
                        help="post sales as paid invoices (default) or as account moves")
    parser.add_argument("--platform", choices=["erp", "odoo", "xero", "quickbooks"],
                        default="erp", help="the ERPs (default), the real Odoo, or SaaS "
                        "books at their real limits")
    parser.add_argument("--odoo-version", choices=["17", "19"], default="19")
    parser.add_argument("--odoo-protocol", choices=["json2", "jsonrpc"], default="json2")
    parser.add_argument("--odoo-backlog", type=int, default=2000)
    parser.add_argument("--odoo-direct", type=int, default=400,
                        help="real Odoo: invoices made without tillflow, for its own rate")
    parser.add_argument("--summary", type=int, default=5000,
                        help="books: sales of the day posted as one summary")
    parser.add_argument("--single", type=int, default=300,
                        help="books: sales posted one by one")
    args = parser.parse_args()
    if args.platform == "odoo":
        from bench import erp_odoo  # noqa: PLC0415 (it imports this module)

        erp_odoo.run(version=args.odoo_version, protocol=args.odoo_protocol, rate=args.rate,
                     seconds=args.seconds, backlog=args.odoo_backlog,
                     direct_count=args.odoo_direct)
        return
    if args.platform != "erp":
        with tempfile.TemporaryDirectory() as scratch:
            erp_books.run(Path(scratch), platform=args.platform, summary=args.summary,
                          single=args.single)
        return
    install()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        posting_lag(folder, rate=args.rate, seconds=args.seconds, sales=args.sales)
        odoo = OdooSimulator(port=_free_port())
        drain(folder, name="odoo-simulator", backlog=args.backlog,
              connect=lambda ctx: connections.create_connection(
                  ctx, name="erp", platform="odoo",
                  settings={"url": f"http://127.0.0.1:{odoo.port}",
                            "database": DEFAULT_DATABASE, "sales": args.sales},
                  secrets={"username": DEFAULT_LOGIN, "api_key": DEFAULT_API_KEY}),
              start_erp=odoo.start, sales=args.sales)
        odoo.stop()
        peer = TrytonPeer(folder / "trytond-drain")
        drain(folder, name="trytond", backlog=args.tryton_backlog,
              connect=lambda ctx: connections.create_connection(
                  ctx, name="erp", platform="tryton",
                  settings={"url": peer.url, "database": "tillflow", "sales": args.sales},
                  secrets={"username": USERNAME, "password": PASSWORD}),
              start_erp=peer.start, sales=args.sales)
        peer.stop()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


if __name__ == "__main__":
    main()
