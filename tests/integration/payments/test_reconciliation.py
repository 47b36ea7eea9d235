"""The reconciliation report finds what differs between tillflow and the gateway.

Stripe is localstripe behind support.stripe_shapes, which answers the ``created`` range
listing localstripe lacks and refuses an unbounded one."""

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import stripe
from sqlalchemy import select, update

from support.api import Api
from support.card_shop import CardShop, card_shop
from support.stripe_shapes import stripe_shapes
from tillflow.db.tables_payments import payments
from tillflow.db.uow import engine_of

pytestmark = pytest.mark.parametrize("database", ["postgresql"], indirect=True)


@pytest.fixture
def shop(api: Api, localstripe: str) -> Iterator[CardShop]:
    with stripe_shapes(localstripe) as (_, url), card_shop(api, url) as built:
        yield built


def _report(store: CardShop) -> dict[str, Any]:
    today = datetime.now(UTC).date().isoformat()
    report: dict[str, Any] = store.api.ok(store.api.get(
        "/payments/reconciliation", date=today, connection=store.connection))
    return report


def test_injected_mismatches_are_listed(shop: CardShop,
                                        stripe_client: stripe.StripeClient) -> None:
    matching = shop.api.ok(shop.sell(shop.card("5.50")), 201)["payments"][0]
    altered = shop.api.ok(shop.sell(shop.card("5.50")), 201)["payments"][0]
    with engine_of(shop.api.ctx.store).begin() as connection:
        connection.execute(update(payments).where(payments.c.id == altered["payment_id"])
                           .values(captured=500))
    stranger = stripe_client.v1.payment_intents.create(params={
        "amount": 700, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True})

    report = _report(shop)

    found = {(m["reference"], m["mismatch"]) for m in report["mismatches"]}
    assert found == {(altered["reference"], "amount_differs"),
                     (stranger.id, "not_in_tillflow")}
    [shift] = report["shifts"]
    assert (shift["register"], shift["count"], shift["captured"]) == ("R1", 2, "10.50")
    assert matching["reference"] in {p["reference"] for p in report["payments"]}


def test_csv_by_accept_header_and_by_format(shop: CardShop) -> None:
    shop.api.ok(shop.sell(shop.card("5.50")), 201)
    today = datetime.now(UTC).date().isoformat()
    path = f"/api/v1/payments/reconciliation?date={today}&connection={shop.connection}"

    by_header = shop.api.client.get(path, headers=shop.api.headers(
        "manager", {"Accept": "text/csv"}))
    by_format = shop.api.client.get(path + "&format=csv", headers=shop.api.headers("manager"))

    assert by_header.headers["content-type"].startswith("text/csv")
    assert by_header.text == by_format.text
    [row] = list(csv.DictReader(io.StringIO(by_header.text)))
    assert (row["tillflow_status"], row["gateway_state"], row["mismatch"]) == (
        "captured", "captured", "")


def test_the_fee_of_each_charge_is_read_from_its_balance_transaction(shop: CardShop) -> None:
    paid = shop.api.ok(shop.sell(shop.card("5.50")), 201)["payments"][0]
    today = datetime.now(UTC).date().isoformat()

    first = shop.api.ok(shop.api.post("/payments/fees", {"date": today,
                                                         "connection": shop.connection}))
    again = shop.api.ok(shop.api.post("/payments/fees", {"date": today,
                                                         "connection": shop.connection}))

    # localstripe's balance transactions keep no fee (``fee`` 0, ``net`` the amount):
    # the fee is read and recorded as none, once.
    assert [(r["payment_id"], r["fee"]) for r in first["recorded"]] == [
        (paid["payment_id"], "0.00")]
    assert again["recorded"] == []
    with engine_of(shop.api.ctx.store).begin() as connection:
        fee = connection.execute(select(payments.c.fee).where(
            payments.c.id == paid["payment_id"])).scalar_one()
    assert fee == 0
