"""Day summaries follow the store's own days: a store in Paris posts Paris days to Xero
and QuickBooks, dated on them, and a sale made offline that reaches tillflow after its
day went out follows in a later summary of that day."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from support.api import Api
from support.erp_day import open_store, run_worker
from support.saas_books import Books
from tillflow.services.context import utc_now

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


def _sold_offline(api: Api, till: dict[str, str], sold_at: datetime, amount: str) -> None:
    """A sale register R1 made offline at ``sold_at``, sent by the staff signed in there."""
    api.ok(api.post("/sales", {
        "location": "S1", "register": "R1", "offline": True,
        "sold_at": sold_at.isoformat(), "lines": [{"sku": "A", "quantity": 1}],
        "payments": [{"method": "cash", "amount": amount}]}, role=None, headers=till), 201)


def _dated(books: Books) -> dict[str, str]:
    """Each summary's reference at the books, and the date the books file it under."""
    if books.platform == "xero":
        return {i["Reference"]: str(i["Date"])[:10] for i in books.xero.documents("Invoices")}
    return {r["PrivateNote"]: str(r["TxnDate"])
            for r in books.qbo.entities("SalesReceipt")}


def _summaries(api: Api) -> list[dict[str, Any]]:
    items = api.ok(api.get("/erp/books/postings"))["items"]
    return [p for p in items if str(p["reference"]).startswith("day-summary:")]


def test_a_store_in_paris_posts_paris_days(api: Api, books: Books) -> None:
    api.ok(api.patch("/settings/store", {"timezone": "Europe/Paris"}))
    books.connect(api, posting="day")
    open_store(api)
    till = api.session("R1")
    # Two days ago and yesterday in Paris, both over whatever the hour the test runs.
    first = utc_now().astimezone(PARIS).date() - timedelta(days=2)
    second = first + timedelta(days=1)
    late_evening = datetime.combine(first, time(23, 30), tzinfo=PARIS)
    # Past Paris's midnight but before UTC's: the second day in Paris, the first in UTC.
    after_midnight = datetime.combine(second, time(0, 30), tzinfo=PARIS)
    assert late_evening.date() != after_midnight.date()
    _sold_offline(api, till, late_evening, "10.80")
    _sold_offline(api, till, after_midnight, "21.60")
    run_worker(api.ctx)
    assert {p["reference"]: p["status"] for p in _summaries(api)} == {
        f"day-summary:{first}": "posted", f"day-summary:{second}": "posted"}
    assert _dated(books) == {f"day-summary:{first}": first.isoformat(),
                             f"day-summary:{second}": second.isoformat()}

    # A register that sold offline late on the first day comes back after it went out.
    _sold_offline(api, till, datetime.combine(first, time(22, 0), tzinfo=PARIS), "32.40")
    run_worker(api.ctx)
    [late] = [p for p in _summaries(api)
              if p["reference"] not in (f"day-summary:{first}", f"day-summary:{second}")]
    assert str(late["reference"]).startswith(f"day-summary:{first}:")
    assert late["status"] == "posted"
    assert _dated(books)[str(late["reference"])] == first.isoformat()

    entries = api.ok(api.get("/journal"))["entries"]
    assert books.net() == books.journal_net(entries)
    count = books.documents()
    run_worker(api.ctx)  # nothing twice
    assert books.documents() == count
    assert len(_summaries(api)) == 3
