"""Bad webhooks change nothing; the reconciler finds drift injected into a shop and heals it."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from structlog.testing import capture_logs

from support.databases import row_counts
from support.sync import FAST_RETRIES, SyncedStore, connect_shopify, synced_store
from tillflow.connectors.common.signatures import signature
from tillflow.db.tables_sync import sync_inbox
from tillflow.db.uow import engine_of
from tillflow.domain.card_data import contains_card_number
from tillflow.services.context import ServiceContext
from tillflow.sync.engine import SyncOptions
from tillflow_simulators.shopify import ShopifySimulator

SECRET = "whsec-rec"


@pytest.fixture
def shop() -> Iterator[ShopifySimulator]:
    with ShopifySimulator(webhook_secret=SECRET) as sim:
        yield sim


@pytest.fixture
def store(ctx: ServiceContext, shop: ShopifySimulator) -> Iterator[SyncedStore]:
    # No polling: what the webhooks miss stays missed until the reconciler runs.
    options = SyncOptions(policy=FAST_RETRIES, poll_seconds=0, reconcile_seconds=0,
                          lease_seconds=5)
    with synced_store(ctx, options=options) as synced:
        connect_shopify(synced, shop, webhook_secret=SECRET, price="5.00")
        synced.settle()
        yield synced


def _post(store: SyncedStore, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    response = store.api.client.post("/webhooks/shop", content=body, headers=headers)
    return response.status_code, response.text


def _signed(body: bytes, *, topic: str = "orders/create", event: str = "ev-1") -> dict[str, str]:
    return {"X-Shopify-Hmac-Sha256": signature(SECRET, body), "X-Shopify-Topic": topic,
            "X-Shopify-Event-Id": event, "Content-Type": "application/json"}


def test_bad_webhooks_are_refused_or_ignored_and_apply_nothing(
        store: SyncedStore, shop: ShopifySimulator) -> None:
    order = shop.place_order([("A1", 1)])
    shop.wait_for_webhooks()
    store.settle()
    before = row_counts(engine_of(store.api.ctx.store))
    body = json.dumps({"admin_graphql_api_id": order.id, "id": 1}).encode()
    with capture_logs() as logs:
        status, text = _post(store, body, {**_signed(body), "X-Shopify-Hmac-Sha256": "AAAA"})
        assert status == 401, text
        status, text = _post(store, b"{not json", _signed(b"{not json", event="ev-2"))
        assert status == 400, text
        unknown = json.dumps({"id": 7}).encode()
        status, text = _post(store, unknown, _signed(unknown, topic="carts/create", event="e3"))
        assert (status, json.loads(text)) == (200, {"status": "ignored"})
        status, text = _post(store, b"{" + b" " * 70_000 + b"}", _signed(b"{}", event="e4"))
        assert status == 413, text
    assert [e["event"] for e in logs if e["log_level"] == "warning"] == [
        "webhook rejected", "webhook rejected"]
    assert any(e["event"] == "webhook topic not applied" for e in logs)
    after = row_counts(engine_of(store.api.ctx.store))
    # The unknown topic is kept, marked ignored, for the record; the signed body that
    # cannot be read is listed as a dead letter, for a person.
    assert {k: after[k] - before[k] for k in after if after[k] != before[k]} == {
        "sync_inbox": 1, "sync_deliveries": 1}
    [dead] = store.api.ok(store.api.get("/connections/shop/dead-letters"))["items"]
    assert (dead["kind"], dead["external_id"]) == ("webhook", None)
    assert "cannot be read" in dead["reason"]


def test_a_replayed_delivery_is_stored_once(store: SyncedStore, shop: ShopifySimulator) -> None:
    order = shop.place_order([("A1", 2)])
    body = json.dumps({"admin_graphql_api_id": order.id, "id": 1}).encode()
    first = _post(store, body, _signed(body, event="replayed"))
    again = _post(store, body, _signed(body, event="replayed"))
    assert [json.loads(r[1])["status"] for r in (first, again)] == ["stored", "duplicate"]
    store.work(until=lambda: store.api.on_hand("A1", "S1") == 8)
    store.settle()
    sales = store.api.ok(store.api.get("/sales", channel="shopify"))["items"]
    assert [s["external_id"] for s in sales] == [order.id]


def test_reconciliation_records_missed_orders_and_heals_stock_drift(
        store: SyncedStore, shop: ShopifySimulator) -> None:
    shop.faults.configure(webhooks={"drop_next": 10})
    missed = shop.place_order([("A1", 2)])
    shop.set_stock("B2", 3)
    [made_in_shop] = shop.seed(1)
    store.settle()
    assert store.api.on_hand("A1", "S1") == 10

    store.api.ok(store.api.post("/connections/shop/sync", {"scope": "all"}), 202)
    store.work(until=lambda: store.api.get("/connections/shop/reconciliations/latest")
               .status_code == 200)
    store.settle()
    report = store.api.ok(store.api.get("/connections/shop/reconciliations/latest"))
    assert report["error"] is None
    assert report["drift_count"] == 3
    kinds = {item["kind"]: item for item in report["items"]}
    assert kinds["order"]["external_id"] == missed.id
    imported = kinds["product"]["sku"]
    assert store.api.ok(store.api.get(f"/products/{imported}"))["name"] == made_in_shop.title
    assert store.api.on_hand(imported, "S1") == shop.available(imported) > 0
    assert (kinds["stock"]["sku"], kinds["stock"]["shop"], kinds["stock"]["tillflow"]) == (
        "B2", "3", "10")
    assert store.api.on_hand("A1", "S1") == 8
    assert shop.available("B2") == 10
    assert shop.available("A1") == 8
    csv = store.api.get("/connections/shop/reconciliations/latest", format="csv")
    assert csv.text.splitlines()[0] == "kind,sku,location,tillflow,shop,action,external_id"
    health = store.api.ok(store.api.get("/connections/shop/health"))
    assert health["last_reconciliation"]["drift_count"] == 3
    shown = store.api.ok(store.api.get("/connections/shop"))
    assert shown["last_reconciliation"]["drift_count"] == 3


def test_a_signed_body_replayed_under_a_new_event_id_is_a_duplicate(
        store: SyncedStore, shop: ShopifySimulator) -> None:
    """Shopify's event id is a header outside the signature: a replayed body is known by
    its digest."""
    order = shop.place_order([("A1", 1)])
    body = json.dumps({"admin_graphql_api_id": order.id, "id": 2}).encode()
    answers = [_post(store, body, _signed(body, event=event)) for event in ("one", "two")]
    assert [json.loads(text)["status"] for _, text in answers] == ["stored", "duplicate"]
    # The same body under another topic is another delivery.
    other = _post(store, body, _signed(body, topic="orders/updated", event="three"))
    assert json.loads(other[1])["status"] == "stored"


def test_webhook_answers_do_not_tell_which_connections_exist(
        store: SyncedStore, ctx: ServiceContext) -> None:
    body = b'{"id": 1}'
    bad_signature = _post(store, body, {**_signed(body), "X-Shopify-Hmac-Sha256": "AAAA"})
    unknown = store.api.client.post("/webhooks/nobody", content=body, headers=_signed(body))
    assert (unknown.status_code, unknown.text) == bad_signature
    assert bad_signature[0] == 401


def test_a_deeply_nested_signed_body_is_refused_as_unreadable(store: SyncedStore) -> None:
    body = b'{"a":' * 5_000 + b"1" + b"}" * 5_000
    response = store.api.client.post("/webhooks/shop", content=body,
                                     headers=_signed(body, event="deep"))
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "bad_request"


def test_a_card_number_in_a_webhook_body_is_masked_before_it_is_kept(
        store: SyncedStore, shop: ShopifySimulator) -> None:
    order = shop.place_order([("A1", 1)])
    body = json.dumps({"admin_graphql_api_id": order.id, "id": 3,
                       "note": "my card is 4242 4242 4242 4242"}).encode()
    assert json.loads(_post(store, body, _signed(body, event="noted"))[1]) == {
        "status": "stored"}
    with engine_of(store.api.ctx.store).connect() as connection:
        kept = connection.execute(select(sync_inbox.c.body).where(
            sync_inbox.c.delivery_id == "noted")).scalar_one()
    assert "**** **** **** 4242" in kept
    assert not contains_card_number(kept)
