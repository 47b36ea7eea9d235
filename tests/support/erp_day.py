"""A day of trading through the API, and the ERP worker passes, shared by the ERP tests."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from decimal import Decimal
from typing import Any

from support.api import Api
from tillflow.erp.adapters import accounting_for
from tillflow.erp.consumer import JournalConsumer
from tillflow.erp.poster import PostingRunner
from tillflow.services.context import ServiceContext, utc_now
from tillflow.sync.consumers import ConsumerRunner

Lines = Counter[tuple[str, Decimal, Decimal]]


def open_store(api: Api, *, register: str = "R1") -> str:
    """Location S1 with A (8 %) and B (20 %), 50 of each, and ``register``'s shift open.
    An ERP shared by several tests tells their documents apart by the register's code."""
    api.location("S1")
    api.product("A", "10.00", tax_rate="0.08")
    api.product("B", "4.99", tax_rate="0.20")
    api.stock("A", "S1", 50)
    api.stock("B", "S1", 50)
    return api.register_with_shift(register, "S1", opening_float="100.00")


def sell(api: Api, lines: list[dict[str, Any]], payments: list[dict[str, Any]], *,
         register: str = "R1") -> Any:
    return api.ok(api.post("/sales", {"location": "S1", "register": register, "lines": lines,
                                      "payments": payments}, role="cashier"), 201)


def trade_a_day(api: Api, *, register: str = "R1") -> str:
    """Two sales (cash with change, card), a return, a safe drop and a close 0.50 short."""
    shift = open_store(api, register=register)
    first = sell(api, [{"sku": "A", "quantity": 2}, {"sku": "B", "quantity": 3}],
                 [{"method": "cash", "amount": "50.00"}], register=register)
    sell(api, [{"sku": "B", "quantity": 1}],
         [{"method": "card", "amount": "5.99", "reference": "T-1"}], register=register)
    api.ok(api.post(f"/sales/{first['id']}/returns", {
        "lines": [{"sku": "B", "quantity": 1}], "register": register}), 201)
    api.ok(api.post(f"/shifts/{shift}/cash-movements",
                    {"amount": "-40.00", "reason": "safe drop"}, role="cashier"), 201)
    api.ok(api.post(f"/shifts/{shift}/close", {"counted_cash": "93.07"}, role="cashier"))
    return shift


def later(ctx: ServiceContext, delay: timedelta) -> ServiceContext:
    """The same store seen ``delay`` from now: retries scheduled before then are due."""
    return ServiceContext(ctx.store, ctx.config, clock=lambda: utc_now() + delay,
                          secret_box=ctx.secret_box, connectors=ctx.connectors)


def book(ctx: ServiceContext) -> None:
    runner = ConsumerRunner(ctx, [JournalConsumer()])
    try:
        runner.run_once()
    finally:
        runner.release()


def run_worker(ctx: ServiceContext, runner: PostingRunner | None = None) -> None:
    book(ctx)
    poster = runner or PostingRunner(ctx, accounting_for)
    try:
        poster.run_once()
    finally:
        if runner is None:
            poster.close()


def journal_lines(entry: dict[str, Any], codes: dict[str, str]) -> Lines:
    return Counter((codes[line["role"]], Decimal(line["debit"]), Decimal(line["credit"]))
                   for line in entry["lines"])


def by_account(lines: Lines) -> dict[str, tuple[Decimal, Decimal]]:
    """Debits and credits per account: an ERP may book a line per product where the
    journal has one per tax rate."""
    totals: dict[str, tuple[Decimal, Decimal]] = {}
    for (account, debit, credit), count in lines.items():
        before = totals.get(account, (Decimal(0), Decimal(0)))
        totals[account] = (before[0] + debit * count, before[1] + credit * count)
    return totals
