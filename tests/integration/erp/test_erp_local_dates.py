"""Tryton and Odoo date a sale on the store's own day too: a sale made at 23:30 in Los
Angeles (the next day in UTC) is invoiced on the Los Angeles date."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from support.api import Api
from support.erp_day import open_store, run_worker
from support.odoo_sim import connect as connect_odoo
from support.tryton_peer import TrytonPeer, tryton
from support.tryton_peer import connect as connect_tryton
from tillflow.services.context import utc_now
from tillflow_simulators.odoo.simulator import OdooSimulator

LOS_ANGELES = ZoneInfo("America/Los_Angeles")
pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


def _sold_late_in_los_angeles(api: Api) -> tuple[str, date]:
    """A sale register R1 made offline at 23:30 in Los Angeles two days ago: its
    reference, and that Los Angeles date."""
    api.ok(api.patch("/settings/store", {"timezone": LOS_ANGELES.key}))
    open_store(api)
    day = utc_now().astimezone(LOS_ANGELES).date() - timedelta(days=2)
    sold_at = datetime.combine(day, time(23, 30), tzinfo=LOS_ANGELES)
    assert sold_at.astimezone(UTC).date() != day
    sale = api.ok(api.post("/sales", {
        "location": "S1", "register": "R1", "offline": True, "sold_at": sold_at.isoformat(),
        "lines": [{"sku": "A", "quantity": 1}],
        "payments": [{"method": "cash", "amount": "10.80"}]}, role=None,
        headers=api.session("R1")), 201)
    return f"sale:{sale['number']}", day


@pytest.mark.parametrize("protocol", ["json2"])
def test_odoo_invoices_a_sale_on_the_store_s_day(api: Api, odoo: OdooSimulator,
                                                 protocol: str) -> None:
    connect_odoo(api, odoo, protocol, posting="sale")
    reference, day = _sold_late_in_los_angeles(api)
    run_worker(api.ctx)
    [invoice] = [m for m in odoo.db.table("account.move").values() if m["ref"] == reference]
    assert str(invoice["invoice_date"]) == day.isoformat()


def test_tryton_invoices_a_sale_on_the_store_s_day(api: Api, trytond: TrytonPeer) -> None:
    connect_tryton(api, trytond, posting="sale")
    reference, day = _sold_late_in_los_angeles(api)
    # Tryton masters its own products and lacks A: the line goes on the revenue account.
    api.ok(api.patch("/connections/erp", {"settings": {"catalog": "erp"}}))
    run_worker(api.ctx)
    ledger = tryton(trytond)
    try:
        found = ledger.client.model("account.invoice", "search_read", [], 0, None, None,
                                    ["description", "invoice_date"])
    finally:
        ledger.close()
    dated = {x["description"].split()[0]: x["invoice_date"] for x in found}
    assert str(dated[reference]) == day.isoformat()
