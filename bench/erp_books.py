"""Posting to SaaS books at their real limits: ``bench/erp.py --platform xero|quickbooks``.

Prints figures; not a test. See bench/README.md ("Posting to Xero and QuickBooks").

Against the simulator of the platform with its published limits (Xero: 60 calls a
minute and 5,000 a day per organisation; QuickBooks: 10 a second and 500 a minute per
company), on the real clock:

1. A day of ``--summary`` cash and card sales on one register, posted as one day summary
   (``posting: day``) once the day is over.
2. ``--single`` sales posted one by one (``posting: sale``), from a second store to the
   same organisation, so the day's allowance is shared as it would be.
3. Xero only: the organisation's daily allowance spent by another app, then three more
   sales: they wait in order for the next window, and the connection's health says so.

For each part: the calls tillflow made, the time to post, and (Xero) the share of the
day's 5,000 calls.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from support.xero_books import ACCOUNTS as XERO_ACCOUNTS
from support.xero_books import TAX_CODES as XERO_TAX
from support.xero_books import add_till_accounts
from tillflow.connectors import available
from tillflow.db.engine import build_engine
from tillflow.db.setup import initialise
from tillflow.db.uow import SqlStore, engine_of
from tillflow.erp import service
from tillflow.erp.adapters import accounting_for, catalog_for
from tillflow.erp.consumer import JournalConsumer
from tillflow.erp.poster import PostingRunner
from tillflow.ports.accounting import AccountingPort, ErpCatalog
from tillflow.services import catalog, connections, inventory, locations, shifts
from tillflow.services.context import SYSTEM, ServiceContext, utc_now
from tillflow.services.sales import SaleLineRequest, SaleRequest, TenderRequest, record_sale
from tillflow.sync.consumers import ConsumerRunner
from tillflow_simulators.quickbooks.company import CompanySettings
from tillflow_simulators.quickbooks.simulator import QuickBooksSimulator
from tillflow_simulators.xero.books import Settings
from tillflow_simulators.xero.simulator import XeroSimulator

XERO_DAY = 5000
QBO_ACCOUNTS = {"revenue": "4000", "tender": "1020", "tender:cash": "1010",
                "cash_transfer": "1000", "over_short": "6100", "cogs": "5000",
                "inventory": "1200"}
QBO_TAX = {"0.08": "Reduced", "0.20": "Standard", "0": "Zero"}


class Counting:
    """The adapters a posting runner builds, kept so their calls can be counted."""

    def __init__(self) -> None:
        self.made: list[Any] = []

    def ledger(self, ctx: ServiceContext, name: str) -> AccountingPort:
        made = accounting_for(ctx, name)
        self.made.append(made)
        return made

    def catalog(self, ctx: ServiceContext, name: str) -> ErpCatalog:
        made = catalog_for(ctx, name)
        self.made.append(made)
        return made

    @property
    def calls(self) -> int:
        return sum(int(adapter.client.calls) for adapter in self.made)


def store(folder: Path, *, register: str) -> tuple[ServiceContext, str]:
    """A scratch store selling two teas on ``register``, its shift open."""
    folder.mkdir(parents=True)
    engine = build_engine(f"sqlite:///{folder / 'tillflow.db'}")
    ctx = ServiceContext(SqlStore(engine), initialise(engine), connectors=available.registry())
    locations.create_location(ctx, code="S1", name="Shop", kind="store",
                              allow_negative_stock=True)
    locations.create_register(ctx, code=register, location_code="S1")
    for sku, price, rate in (("A", "3.50", "0.08"), ("B", "4.99", "0.20")):
        catalog.create_product(ctx, catalog.ProductInput(sku=sku, name=f"Tea {sku}",
                                                         price=price, tax_rate=rate))
        inventory.adjust(ctx, SYSTEM, sku=sku, location="S1", delta=1_000_000,
                         reason="bench stock", kind="receipt")
    shift = shifts.open_shift(ctx, SYSTEM, register, "100.00")
    return ctx, shift.id


def sell(ctx: ServiceContext, register: str, index: int) -> None:
    card = index % 3 == 0
    record_sale(ctx, SYSTEM, SaleRequest(
        location="S1", register=register,
        lines=[SaleLineRequest(sku="A", quantity=2), SaleLineRequest(sku="B", quantity=1)],
        payments=[TenderRequest(method="card", amount="13.55", reference=f"T-{index}")
                  if card else TenderRequest(method="cash", amount="20.00")]))


def book(ctx: ServiceContext) -> None:
    booker = ConsumerRunner(ctx, [JournalConsumer()], batch=500)
    while booker.run_once():
        pass
    booker.release()


def post(ctx: ServiceContext, counting: Counting, *, until: Callable[[], bool],
         timeout: float) -> float:
    """Run posting passes until ``until`` holds; returns the seconds it took."""
    runner = PostingRunner(ctx, counting.ledger, counting.catalog, batch=500)
    began = time.monotonic()
    try:
        while not until() and time.monotonic() - began < timeout:
            if not runner.run_once():
                time.sleep(0.2)
    finally:
        runner.close()
    return time.monotonic() - began


def later(ctx: ServiceContext, delay: timedelta) -> ServiceContext:
    return ServiceContext(ctx.store, ctx.config, clock=lambda: utc_now() + delay,
                          secret_box=ctx.secret_box, connectors=ctx.connectors)


def connect(ctx: ServiceContext, platform: str, sim: Any, *, posting: str) -> None:
    tokens = sim.connect()
    if platform == "xero":
        add_till_accounts(sim)  # clearing accounts a shop's accountant adds for a till
        settings = {"tenant_id": sim.tenant_id, "api_url": sim.api_url,
                    "accounts": XERO_ACCOUNTS, "tax_codes": XERO_TAX}
    else:
        settings = {"realm_id": sim.realm_id, "api_url": sim.url, "accounts": QBO_ACCOUNTS,
                    "tax_codes": QBO_TAX}
    connections.create_connection(ctx, name="books", platform=platform, settings={
        **settings, "token_url": sim.token_url, "posting": posting},
        secrets={"client_id": sim.client.client_id,
                 "client_secret": sim.client.client_secret,
                 "refresh_token": tokens.refresh_token})


def pending(ctx: ServiceContext) -> int:
    return int(service.posting_health(ctx, "books")["pending"])


def _share(platform: str, calls: int) -> str:
    return f", {100 * calls / XERO_DAY:.1f} % of the day's {XERO_DAY}" \
        if platform == "xero" else ""


def run(folder: Path, *, platform: str, summary: int, single: int) -> None:
    sim: XeroSimulator | QuickBooksSimulator = (
        XeroSimulator(organisation=Settings(base_currency="USD")) if platform == "xero"
        else QuickBooksSimulator(company=CompanySettings(currency="USD")))
    sim.start()
    try:
        _summary(folder, platform, sim, summary)
        _single(folder, platform, sim, single)
    finally:
        sim.stop()


def _summary(folder: Path, platform: str, sim: Any, sales: int) -> None:
    ctx, shift = store(folder / "summary", register="R1")
    connect(ctx, platform, sim, posting="day")
    began = time.monotonic()
    for index in range(sales):
        sell(ctx, "R1", index)
    shifts.close_shift(ctx, SYSTEM, shift, "100.00")
    recorded = time.monotonic() - began
    book(ctx)
    counting = Counting()
    tomorrow = later(ctx, timedelta(days=1))  # the day is over: its summary goes
    took = post(tomorrow, counting, until=lambda: service.posting_health(
        tomorrow, "books")["posted"] > 2 and pending(tomorrow) == 0, timeout=600)
    print(f"{platform}: a day of {sales} sales posted as one day summary: recorded in "
          f"{recorded:.1f} s; posted in {took:.1f} s with {counting.calls} calls"
          f"{_share(platform, counting.calls)}")
    engine_of(ctx.store).dispose()


def _single(folder: Path, platform: str, sim: Any, sales: int) -> None:
    ctx, _shift = store(folder / "single", register="R2")
    connect(ctx, platform, sim, posting="sale")
    for index in range(sales):
        sell(ctx, "R2", index)
    book(ctx)
    counting = Counting()
    took = post(ctx, counting, until=lambda: pending(ctx) == 0, timeout=1200)
    posted = service.posting_health(ctx, "books")["posted"]
    print(f"{platform}: {sales} sales posted one by one: {posted} postings (products "
          f"included) in {took:.1f} s with {counting.calls} calls"
          f"{_share(platform, counting.calls)}")
    if platform == "xero":
        _allowance_spent(ctx, sim)
    engine_of(ctx.store).dispose()


def _allowance_spent(ctx: ServiceContext, sim: XeroSimulator) -> None:
    sim.exhaust_daily_allowance()
    for index in range(3):
        sell(ctx, "R2", 10_000 + index)
    book(ctx)
    counting = Counting()
    post(ctx, counting, until=lambda: bool(
        service.posting_health(ctx, "books")["last_error"]), timeout=60)
    health = service.posting_health(ctx, "books")
    print(f"xero: the day's allowance spent by another app: {health['pending']} sales wait "
          f"in order; health {health['state']}: {health['last_error']}")
