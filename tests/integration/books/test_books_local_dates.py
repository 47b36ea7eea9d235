"""Documents posted one by one and shift summaries are dated on the store's own date:
the date, where the store is, that the till made the sale or closed the shift, whichever
side of UTC the store lies."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from support.api import Api
from support.erp_day import open_store, run_worker
from support.saas_books import Books
from tillflow.services.context import Actor, ServiceContext, utc_now
from tillflow.services.shifts import close_shift

LOS_ANGELES = ZoneInfo("America/Los_Angeles")
TOKYO = ZoneInfo("Asia/Tokyo")
pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


def _dated(books: Books) -> dict[str, str]:
    """Each sales document's reference at the books, and the date they file it under."""
    if books.platform == "xero":
        return {i["Reference"]: str(i["Date"])[:10] for i in books.xero.documents("Invoices")}
    return {r["PrivateNote"]: str(r["TxnDate"]) for r in books.qbo.entities("SalesReceipt")}


def _sold_offline(api: Api, sold_at: datetime) -> str:
    """A cash sale register R1 made offline at ``sold_at``; returns its number."""
    sale = api.ok(api.post("/sales", {
        "location": "S1", "register": "R1", "offline": True,
        "sold_at": sold_at.isoformat(), "lines": [{"sku": "A", "quantity": 1}],
        "payments": [{"method": "cash", "amount": "10.80"}]}, role=None,
        headers=api.session("R1")), 201)
    return str(sale["number"])


@pytest.mark.parametrize(("zone", "sold"), [(LOS_ANGELES, time(23, 30)),
                                            (TOKYO, time(0, 30))])
def test_a_sale_is_dated_on_the_store_s_day(api: Api, books: Books, zone: ZoneInfo,
                                            sold: time) -> None:
    api.ok(api.patch("/settings/store", {"timezone": zone.key}))
    books.connect(api, posting="sale")
    open_store(api)
    day = utc_now().astimezone(zone).date() - timedelta(days=2)
    sold_at = datetime.combine(day, sold, tzinfo=zone)
    assert sold_at.astimezone(UTC).date() != day  # UTC files it elsewhere
    number = _sold_offline(api, sold_at)
    run_worker(api.ctx)
    assert _dated(books)[f"sale:{number}"] == day.isoformat()


def test_a_shift_summary_is_dated_on_the_store_s_day_it_closed(api: Api,
                                                               books: Books) -> None:
    api.ok(api.patch("/settings/store", {"timezone": LOS_ANGELES.key}))
    books.connect(api, posting="shift")
    shift = open_store(api)
    _sold_offline(api, utc_now())
    # The shift closes at 23:30 in Los Angeles tomorrow: the next UTC day already.
    day = utc_now().astimezone(LOS_ANGELES).date() + timedelta(days=1)
    closed_at = datetime.combine(day, time(23, 30), tzinfo=LOS_ANGELES).astimezone(UTC)
    ctx = api.ctx
    at_close = ServiceContext(ctx.store, ctx.config, clock=lambda: closed_at,
                              secret_box=ctx.secret_box, connectors=ctx.connectors)
    close_shift(at_close, Actor(name="Ana", role="manager"), shift, "110.80")
    run_worker(ctx)
    assert _dated(books)[f"shift-summary:{shift}"] == day.isoformat()
