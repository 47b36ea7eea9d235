"""ERP posting to a real Odoo (the tests' peer, 19 by default): lag, backlog drain, and
Odoo's own limit.

Prints figures; not a test. See bench/README.md ("ERP posting to a real Odoo").

1. Posting lag: cash sales recorded at ``--rate`` per second for ``--seconds`` while a
   worker thread books them and posts them per sale as paid invoices; a watcher polls
   Odoo for each sale's paid invoice. Prints p50/p99/max from recording to visible.
2. Backlog drain: ``--backlog`` sales recorded and booked while nothing posts, then the
   posting job drains the queue; postings per second.
3. Odoo alone: the calls tillflow makes for ``--direct`` such sales (invoices created and
   posted by batches of 20 like the posting job does, then each one's payment through
   the register-payment wizard), made directly, without tillflow: invoices per second,
   the most any client gets from this Odoo.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the Odoo peer's helpers live with the tests

from bench.erp import drain, percentile, sell, store, worker  # noqa: E402
from support.odoo_peer import OdooPeer, install  # noqa: E402
from tillflow.connectors.odoo.client import OdooClient  # noqa: E402
from tillflow.services import connections  # noqa: E402
from tillflow.services.context import ServiceContext  # noqa: E402

BATCH = 20


def connect(ctx: ServiceContext, peer: OdooPeer, protocol: str) -> None:
    secret = {"api_key": peer.api_key} if protocol == "json2" else {"password": peer.password}
    connections.create_connection(ctx, name="erp", platform="odoo", settings={
        "url": peer.url, "database": peer.database, "protocol": protocol, "poll_seconds": 0},
        secrets={"username": peer.login, **secret})


def client(peer: OdooPeer, protocol: str) -> OdooClient:
    return OdooClient(url=peer.url, database=peer.database, username=peer.login,
                      secret=peer.api_key, protocol=protocol, timeout=120)


def posting_lag(folder: Path, peer: OdooPeer, protocol: str, *, rate: float,
                seconds: float) -> None:
    ctx = store(folder / "lag", location="LAG")
    connect(ctx, peer, protocol)
    sold: dict[str, float] = {}
    seen: dict[str, float] = {}
    stop = threading.Event()
    thread = worker(ctx, stop)
    watcher = threading.Thread(target=_watch, args=(peer, protocol, seen, stop), daemon=True)
    watcher.start()
    try:
        start = time.monotonic()
        for index in range(int(rate * seconds)):
            time.sleep(max(0.0, start + index / rate - time.monotonic()))
            sold[sell(ctx, location="LAG")] = time.monotonic()
        deadline = time.monotonic() + 600
        while len(seen.keys() & sold.keys()) < len(sold) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        thread.join(timeout=60)
        watcher.join(timeout=5)
    lags = [seen[n] - t for n, t in sold.items() if n in seen]
    print(f"posting lag to Odoo {peer.version} ({protocol}, invoices) at {rate:g} sales/s "
          f"for {seconds:g} s: {len(lags)}/{len(sold)} visible; "
          f"p50 {percentile(lags, 0.5):.2f} s, p99 {percentile(lags, 0.99):.2f} s, "
          f"max {max(lags):.2f} s")


def _watch(peer: OdooPeer, protocol: str, seen: dict[str, float],
           stop: threading.Event) -> None:
    """Notes when each sale's invoice is paid in Odoo (invoice and payment: all there)."""
    odoo = client(peer, protocol)
    last = 0
    try:
        while not stop.is_set():
            paid = odoo.call("account.move", "search_read", domain=[
                ["move_type", "=", "out_invoice"], ["payment_state", "in", ["paid",
                                                                            "in_payment"]],
                ["invoice_origin", "like", "LAG"], ["id", ">", last]],
                fields=["invoice_origin"], order="id")
            now = time.monotonic()
            for invoice in paid:
                last = max(last, int(invoice["id"]))
                seen.setdefault(invoice["invoice_origin"], now)
            stop.wait(0.05)
    finally:
        odoo.close()


def direct(peer: OdooPeer, protocol: str, count: int) -> float:
    """Invoices per second when a client makes tillflow's calls itself."""
    odoo = client(peer, protocol)
    try:
        [partner] = odoo.call("res.partner", "search", domain=[["name", "=",
                                                                "Walk-in customer"]])
        [tax] = odoo.call("account.tax", "search", domain=[
            ["type_tax_use", "=", "sale"], ["amount_type", "=", "percent"],
            ["amount", "=", 8]])
        [cash] = odoo.call("account.journal", "search", domain=[["type", "=", "cash"]],
                           limit=1)
        [sales] = odoo.call("account.journal", "search", domain=[["type", "=", "sale"]],
                            limit=1)
        today = dt.date.today().isoformat()
        began = time.monotonic()
        for first in range(0, count, BATCH):
            numbers = [f"DIRECT-{n:06d}" for n in range(first, min(first + BATCH, count))]
            invoices = odoo.call("account.move", "create", vals_list=[{
                "move_type": "out_invoice", "partner_id": partner, "journal_id": sales,
                "invoice_date": today, "ref": f"direct:{n}", "invoice_origin": n,
                "invoice_line_ids": [[0, 0, {"name": f"{n} A", "quantity": 2.0,
                                             "price_unit": 3.5, "tax_ids": [[6, 0, [tax]]]}]]}
                for n in numbers])
            odoo.call("account.move", "action_post", ids=invoices)
            for invoice, number in zip(invoices, numbers, strict=True):
                [wizard] = odoo.call("account.payment.register", "create", vals_list=[{
                    "amount": 7.56, "journal_id": cash, "payment_date": today,
                    "communication": f"direct:{number} payment cash"}],
                    context={"active_model": "account.move", "active_ids": [invoice]})
                odoo.call("account.payment.register", "action_create_payments", ids=[wizard])
        rate = count / (time.monotonic() - began)
    finally:
        odoo.close()
    print(f"Odoo {peer.version} alone ({protocol}): {count} invoices created, posted and "
          f"paid in batches of {BATCH}: {rate:.1f} invoices/s")
    return rate


def run(*, version: str, protocol: str, rate: float, seconds: float, backlog: int,
        direct_count: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "odoo").mkdir()
        peer = OdooPeer(install(version), folder / "odoo")
        peer.create()
        try:
            peer.start()
            posting_lag(folder, peer, protocol, rate=rate, seconds=seconds)
            drained = drain(folder, name=f"odoo{version}", backlog=backlog,
                            connect=lambda ctx: connect(ctx, peer, protocol),
                            start_erp=lambda: None, sales="invoice", location="BACK")
            alone = direct(peer, protocol, direct_count)
            print(f"tillflow drains at {drained / alone:.0%} of what Odoo takes alone")
        finally:
            peer.remove()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", choices=["17", "19"], default="19")
    parser.add_argument("--protocol", choices=["json2", "jsonrpc"], default="json2")
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--backlog", type=int, default=2000)
    parser.add_argument("--direct", type=int, default=400)
    args = parser.parse_args()
    run(version=args.version, protocol=args.protocol, rate=args.rate, seconds=args.seconds,
        backlog=args.backlog, direct_count=args.direct)


if __name__ == "__main__":
    main()
