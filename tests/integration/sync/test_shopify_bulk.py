"""The first push of a large catalog to Shopify through a bulk operation running
``productSet`` once per product, against the simulator on Shopify's schema of every
version a connection accepts."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import select

from support.sync import shop_stock, synced_store
from tillflow.connectors.shopify import product_set, queries
from tillflow.connectors.shopify.adapter import ShopifyChannel
from tillflow.connectors.shopify.bulk import BulkMutations
from tillflow.connectors.shopify.client import API_VERSION, API_VERSIONS, ShopifyClient
from tillflow.db.tables_sync import sync_deliveries
from tillflow.db.uow import connection_of
from tillflow.ports.commerce import ProductData, Refused, Rejected, StockTarget, Upserted
from tillflow.services.context import ServiceContext
from tillflow_simulators.shopify import ShopifySimulator
from tillflow_simulators.shopify.bulk import BulkFaults

FAST = 5000.0  # lines a second: the simulator's pace, not what is being tested here


@pytest.fixture
def shop() -> Iterator[ShopifySimulator]:
    with ShopifySimulator(bulk_lines_per_second=FAST) as sim:
        yield sim


def _channel(sim: ShopifySimulator, version: str = API_VERSION) -> ShopifyChannel:
    client = ShopifyClient(sim.url, sim.access_token, api_version=version)
    return ShopifyChannel(client, webhook_secret=None,
                          bulk=BulkMutations(client, poll_seconds=0.02, wait_seconds=60))


def _catalog(count: int, *, prefix: str = "BK") -> list[ProductData]:
    return [ProductData(sku=f"{prefix}-{n:04d}", title=f"Product {n}",
                        price=Decimal("4.50") + n, barcode=f"20000{n:08d}",
                        status="active" if n % 2 else "draft", available=n % 7)
            for n in range(count)]


def _variant_count(sim: ShopifySimulator) -> int:
    return len(sim.shop.store.variants)


@pytest.mark.parametrize("version", API_VERSIONS)
def test_a_catalog_of_300_goes_through_one_bulk_operation_and_its_ids_are_kept(
        shop: ShopifySimulator, version: str) -> None:
    channel = _channel(shop, version)
    wanted = _catalog(300)
    saved = channel.upsert_products(wanted)
    assert len(shop.shop.bulk.operations) == 1
    assert len(saved) == 300
    assert all(isinstance(r, Upserted) and r.created
                                     for r in saved.values())
    for product in (wanted[0], wanted[151], wanted[299]):
        variant = shop.shop.variant(product.sku)
        assert variant.product is not None
        assert saved[product.sku] == Upserted(variant.product.id, created=True)
        assert (variant.price, variant.barcode, variant.title) == (
            product.price, product.barcode, "Default Title")
        assert variant.product.status == product.status.upper()
        assert [(o.name, o.values) for o in variant.product.options] == [
            ("Title", ["Default Title"])]
        assert shop.available(product.sku) == product.available
    # The ids were kept: stock is set without looking any SKU up.
    spent = channel.client.meter.spent
    channel.set_stock([StockTarget(wanted[5].sku, channel.primary_location, 40,
                                   wanted[5].available)], idempotency_key="k-1")
    assert shop.available(wanted[5].sku) == 40
    assert channel.client.meter.spent - spent == 10
    # A handful of calls, whatever the catalog's size: the lines are not metered.
    assert channel.client.meter.spent < 100
    assert shop.shop.bucket.spent < 100
    channel.close()


def test_a_refused_line_is_its_products_own_refusal_and_the_others_are_pushed(
        shop: ShopifySimulator) -> None:
    wanted = _catalog(150)
    wanted[40] = ProductData(sku="BK-NONAME", title="", price=Decimal(1), barcode=None,
                             status="active")
    shop.shop.bulk.next_faults = BulkFaults(broken_lines=frozenset({77}))
    channel = _channel(shop)
    saved = channel.upsert_products(wanted)
    channel.close()
    assert saved["BK-NONAME"] == Refused(
        "productSet INVALID_PRODUCT at input.title: Title can't be blank")
    broken = saved[wanted[77].sku]
    assert isinstance(broken, Refused)
    assert "Internal error" in broken.reason
    assert sum(isinstance(r, Upserted) for r in saved.values()) == 148
    assert _variant_count(shop) == 148


def test_a_push_of_what_the_shop_has_pushes_nothing_twice(shop: ShopifySimulator) -> None:
    channel = _channel(shop)
    wanted = _catalog(150)
    first = channel.upsert_products(wanted)
    ids = {p.id for p in shop.shop.store.products.values()}
    # The shop has them all: nothing new for a bulk push, the updates go one by one.
    assert channel.upsert_products(wanted) == {}
    # The same lines run again, as after results never read: the same products.
    specs = [product_set.single(p, channel.primary_location) for p in wanted]
    again = channel.bulk.run(queries.PRODUCT_SET_BULK, product_set.jsonl(specs))
    channel.close()
    outcome = product_set.read_results(specs, again.lines)
    assert {sku: s.product_id for sku, s in outcome.saved.items()} == {
        sku: r.external_id for sku, r in first.items() if isinstance(r, Upserted)}
    assert {p.id for p in shop.shop.store.products.values()} == ids
    assert _variant_count(shop) == 150


def test_a_failed_operation_is_run_again_for_the_lines_it_did_not_answer(
        shop: ShopifySimulator) -> None:
    shop.shop.bulk.next_faults = BulkFaults(fail_after=60)
    channel = _channel(shop)
    saved = channel.upsert_products(_catalog(200))
    channel.close()
    operations = sorted(shop.shop.bulk.operations.values(), key=lambda op: op.number)
    assert [(op.status, op.error_code, op.object_count) for op in operations] == [
        ("FAILED", "INTERNAL_SERVER_ERROR", 60), ("COMPLETED", None, 140)]
    assert operations[0].partial_data_url is not None
    assert operations[0].url is None
    assert len(saved) == 200
    assert _variant_count(shop) == 200


def test_a_bulk_mutation_already_running_is_waited_for() -> None:
    with ShopifySimulator(bulk_lines_per_second=100) as shop:
        other = _channel(shop)
        specs = [product_set.single(p, other.primary_location)
                 for p in _catalog(150, prefix="OTHER")]
        path = other.bulk._stage(product_set.jsonl(specs))
        first = other.client.execute(queries.BULK_RUN, {
            "mutation": queries.PRODUCT_SET_BULK, "path": path})["bulkOperationRunMutation"]
        assert first["bulkOperation"]["status"] in ("CREATED", "RUNNING")
        channel = _channel(shop)
        saved = channel.upsert_products(_catalog(120))
        channel.close()
        other.close()
        running, mine = sorted(shop.shop.bulk.operations.values(), key=lambda op: op.number)
        assert running.completed_at is not None
        assert running.completed_at <= mine.created_at
        assert len(saved) == 120
        assert _variant_count(shop) == 270


def test_a_catalog_larger_than_a_file_goes_in_several_operations(
        shop: ShopifySimulator) -> None:
    shop.shop.bulk.max_upload_bytes = 60_000
    channel = _channel(shop)
    channel.bulk_file_bytes = 60_000
    saved = channel.upsert_products(_catalog(300))
    assert len(saved) == 300
    assert len(shop.shop.bulk.operations) == 3
    assert _variant_count(shop) == 300
    # A file over the limit never reaches an operation: the storage refuses it.
    channel.bulk_file_bytes = 10 * 60_000
    with pytest.raises(Rejected, match="refused the upload"):
        channel.upsert_products(_catalog(300, prefix="BIG"))
    channel.close()
    assert len(shop.shop.bulk.operations) == 3


def test_a_small_catalog_is_left_to_the_one_by_one_push(shop: ShopifySimulator) -> None:
    channel = _channel(shop)
    assert channel.upsert_products(_catalog(100)) == {}
    channel.close()
    assert shop.shop.bulk.operations == {}


# -- the simulator's bulk operations, as Shopify refuses them ------------------------------


def _gql(sim: ShopifySimulator, query: str, variables: dict[str, object] | None = None,
         version: str = API_VERSION) -> dict[str, object]:
    answer = httpx.post(sim.graphql_url(version), json={"query": query,
                                                        "variables": variables or {}},
                        headers={"X-Shopify-Access-Token": sim.access_token},
                        # Several bulk runs at once share the simulator with the suite.
                        timeout=30)
    body: dict[str, object] = answer.json()
    return body


def _run(sim: ShopifySimulator, mutation: str, path: str,
         version: str = API_VERSION) -> dict[str, object]:
    body = _gql(sim, queries.BULK_RUN, {"mutation": mutation, "path": path}, version)
    result: dict[str, object] = body["data"]["bulkOperationRunMutation"]  # type: ignore[index]
    return result


def _staged(sim: ShopifySimulator, content: bytes) -> str:
    channel = _channel(sim)
    path = channel.bulk._stage(content)
    channel.close()
    return path


@pytest.mark.parametrize(("version", "limit", "code"), [
    ("2025-10", 1, "OPERATION_IN_PROGRESS"), ("2026-01", 5, "LIMIT_REACHED"),
    ("2026-10", 5, "LIMIT_REACHED")])
def test_a_shop_runs_as_many_bulk_mutations_at_once_as_its_version_allows(
        version: str, limit: int, code: str) -> None:
    with ShopifySimulator(bulk_lines_per_second=2) as sim:
        location = sim.shop.store.primary_location.id
        content = product_set.jsonl([product_set.single(p, location)
                                     for p in _catalog(30, prefix=version)])
        for _ in range(limit):
            assert _run(sim, queries.PRODUCT_SET_BULK, _staged(sim, content),
                        version)["userErrors"] == []
        refused = _run(sim, queries.PRODUCT_SET_BULK, _staged(sim, content), version)
        assert refused["bulkOperation"] is None
        assert [e["code"] for e in refused["userErrors"]] == [code]  # type: ignore[attr-defined]


def test_only_the_versions_that_have_it_read_an_operation_by_id(
        shop: ShopifySimulator) -> None:
    path = _staged(shop, b'{"identifier": {"handle": "x-1"}, "input": {"handle": "x-1", '
                         b'"title": "X"}}\n')
    started = _run(shop, queries.PRODUCT_SET_BULK, path, "2025-10")["bulkOperation"]
    operation = str(started["id"])  # type: ignore[index]
    old = _gql(shop, queries.BULK_OPERATION, {"id": operation}, "2025-10")
    assert old["errors"][0]["extensions"]["code"] == "undefinedField"  # type: ignore[index]
    current = _gql(shop, "{ currentBulkOperation(type: MUTATION) { id type } }",
                   version="2025-10")
    assert current["data"] == {"currentBulkOperation": {"id": operation, "type": "MUTATION"}}
    new = _gql(shop, queries.BULK_OPERATION, {"id": operation})
    assert new["data"]["bulkOperation"]["id"] == operation  # type: ignore[index]


@pytest.mark.parametrize(("mutation", "why"), [
    ("query { shop { id } }", "Only mutations"),
    ("mutation { a: productSet(input: {title: \"A\"}) { userErrors { code } } "
     "b: productSet(input: {title: \"B\"}) { userErrors { code } } }", "exactly one"),
    ("mutation($m: String!, $p: String!) { bulkOperationRunMutation(mutation: $m, "
     "stagedUploadPath: $p) { userErrors { code } } }", "allowed mutation"),
    ("mutation { productSet(input: {titel: \"A\"}) { userErrors { code } } }", "Invalid"),
    ("mutation {", "parse"),
])
def test_a_bulk_mutation_must_be_one_valid_mutation(shop: ShopifySimulator, mutation: str,
                                                     why: str) -> None:
    refused = _run(shop, mutation, _staged(shop, b"{}\n"))
    errors: list[dict[str, str]] = refused["userErrors"]  # type: ignore[assignment]
    [error] = errors
    assert error["code"] == "INVALID_MUTATION"
    assert why in error["message"]


def test_a_missing_or_malformed_file_is_refused_and_each_lines_variables_checked(
        shop: ShopifySimulator) -> None:
    missing = _run(shop, queries.PRODUCT_SET_BULK, "tmp/1/bulk/nothing/bulk_op_vars")
    assert [e["code"] for e in missing["userErrors"]] == ["NO_SUCH_FILE"]  # type: ignore[attr-defined]
    broken = _run(shop, queries.PRODUCT_SET_BULK, _staged(shop, b"{not json\n"))
    assert [e["code"] for e in broken["userErrors"]] == [  # type: ignore[attr-defined]
        "INVALID_STAGED_UPLOAD_FILE"]
    channel = _channel(shop)
    result = channel.bulk.run(queries.PRODUCT_SET_BULK,
                              b'{"input": {"title": 5, "handle": "h"}}\n')
    channel.close()
    assert result.status == "COMPLETED"
    assert '"__lineNumber":0' in result.lines[0]
    assert "errors" in result.lines[0]


def test_an_upload_without_its_signed_policy_is_refused(shop: ShopifySimulator) -> None:
    staged = _gql(shop, queries.STAGED_UPLOAD, {"input": [{
        "resource": "BULK_MUTATION_VARIABLES", "filename": "v.jsonl", "mimeType": "text/jsonl",
        "httpMethod": "POST"}]})
    target = staged["data"]["stagedUploadsCreate"]["stagedTargets"][0]  # type: ignore[index]
    fields = {p["name"]: p["value"] for p in target["parameters"]}
    forged = httpx.post(target["url"], data={**fields, "x-goog-signature": "0" * 64},
                        files={"file": ("v.jsonl", b"{}\n", "text/jsonl")})
    assert forged.status_code == 403
    good = httpx.post(target["url"], data=fields,
                      files={"file": ("v.jsonl", b"{}\n", "text/jsonl")})
    assert good.status_code == 201


# -- through the store: the first push of a connection --------------------------------------


def _stock_rows(ctx: ServiceContext) -> list[str]:
    with ctx.uow(read_only=True) as uow:
        d = sync_deliveries
        return list(connection_of(uow).execute(
            select(d.c.key).where(d.c.kind == "stock")).scalars())


def test_connecting_a_large_catalog_pushes_it_in_bulk_with_a_refused_line_dead_lettered(
        ctx: ServiceContext, shop: ShopifySimulator) -> None:
    skus = [f"CAT-{n:03d}" for n in range(120)]
    with synced_store(ctx) as store:
        api = store.api
        api.location("S1")
        for sku in skus:
            api.product(sku, "3.50")
        api.stock(skus[7], "S1", 6)
        # Shopify fails one line (its internal error); the others go through.
        shop.shop.bulk.next_faults = BulkFaults(broken_lines=frozenset({3}))
        api.ok(api.post("/connections", {
            "name": "shop", "platform": "shopify",
            "settings": {"shop_url": shop.url, "location": "S1"},
            "secrets": {"access_token": shop.access_token}}), 201)
        store.work(until=lambda: bool(shop.shop.bulk.operations)
                   and _variant_count(shop) == 119
                   and bool(api.ok(api.get("/connections/shop/dead-letters"))["items"]))
        store.settle()
        # The product's refusal, and its stock, which has no product to go to.
        dead = api.ok(api.get("/connections/shop/dead-letters"))["items"]
        assert [(d["kind"], d["key"]) for d in dead] == [("product", f"sku:{skus[3]}"),
                                                         ("stock", f"sku:{skus[3]}")]
        assert "Internal error" in dead[0]["last_error"]
        assert shop_stock(shop, skus[3]) is None
        assert shop_stock(shop, skus[7]) == 6
        assert len(shop.shop.bulk.operations) == 1
        # The created products showed their stock already: only the refused one's went.
        assert _stock_rows(ctx) == [f"sku:{skus[3]}"]
        # Replayed, it goes one by one; nothing is made twice.
        assert api.ok(api.post("/connections/shop/dead-letters/replay",
                               {"ids": [d["id"] for d in dead]})) == {"replayed": 2}
        store.work(until=lambda: shop_stock(shop, skus[3]) == 0)
        store.settle()
        assert _variant_count(shop) == 120
        assert len(shop.shop.store.products) == 120
        assert api.ok(api.get("/connections/shop/dead-letters"))["items"] == []
