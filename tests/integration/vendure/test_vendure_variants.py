"""A product with options made in tillflow is one product of a real Vendure, with option
groups and a variant per SKU: created, given a value and a variant, losing one, one
withdrawn from sale; its variants' stock and web orders of them; a simple product that
gains options stays the same Vendure product; a product with options made in Vendure
arrives in tillflow as one, by a full sync and by its webhooks, unless tillflow already
knows some of its SKUs."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import httpx

from support.shop_imports import assert_arrived_whole
from support.sync import SyncedStore
from support.vendure_peer import WEBHOOK_SECRET, Vendure
from support.vendure_shop import checkout, create_product_with_options, variants
from tillflow.connectors.vendure.adapter import VendureChannel
from tillflow.connectors.vendure.client import VendureClient
from tillflow.ports.commerce import ProductData, ProductWithVariants, VariantData

PRIMARY = "1"  # the seeded Vendure's default stock location
SIZES, COLOURS = ("Small", "Large"), ("Red", "Blue")
SLOW = 60.0
PRODUCT = """query($id: ID!) { product(id: $id) { id name enabled
  optionGroups { name options { name } }
  variants { sku name price enabled options { name group { name } } } } }"""


def _product(vendure: Vendure, sku: str) -> dict[str, Any]:
    """Vendure's product holding ``sku``: its groups with their options, and each variant
    by SKU with its options by group."""
    with vendure.admin() as admin:
        product_id = variants(admin, [sku])[sku]["productId"]
        found: dict[str, Any] = admin.execute(PRODUCT, {"id": product_id})["product"]
    return {"id": found["id"], "name": found["name"],
            "groups": {g["name"]: sorted(o["name"] for o in g["options"])
                       for g in found["optionGroups"]},
            "variants": {v["sku"]: ({o["group"]["name"]: o["name"] for o in v["options"]},
                                    v["price"], v["enabled"], v["name"])
                         for v in found["variants"]}}


@contextmanager
def _counting(vendure: Vendure) -> Iterator[tuple[VendureChannel, list[str]]]:
    """A channel on the shared Vendure that keeps each GraphQL document it sends."""
    sent: list[str] = []

    def keep(request: httpx.Request) -> None:
        sent.append(json.loads(request.content)["query"])

    http = httpx.HTTPTransport()
    client = VendureClient(vendure.peer.url, api_key=vendure.api_key,
                           transport=_Hooked(http, keep))
    channel = VendureChannel(client, webhook_secret=WEBHOOK_SECRET)
    try:
        yield channel, sent
    finally:
        channel.close()


class _Hooked(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport,
                 seen: Callable[[httpx.Request], None]) -> None:
        self._inner, self._seen = inner, seen

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._seen(request)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def _skus(vendure: Vendure, sku: str) -> set[str]:
    try:
        return set(_product(vendure, sku)["variants"])
    except KeyError:
        return set()


def test_a_product_with_options_is_one_vendure_product_with_option_groups(
        store: SyncedStore, vendure: Vendure, shop: VendureChannel, database: str) -> None:
    api, p = store.api, f"VV{database[0].upper()}"
    tee = api.ok(api.post("/products", {
        "name": f"Tee {p}", "tax_rate": "0.08", "category": "Clothing/Tees",
        "options": [{"name": "Size", "values": ["S", "M"]},
                    {"name": "Colour", "values": ["Red", "Blue"]}],
        "variants": [{"sku": f"{p}-{size}-{colour[0]}", "price": "20.00",
                      "options": {"Size": size, "Colour": colour}}
                     for size in ("S", "M") for colour in ("Red", "Blue")]}), 201)
    api.stock(f"{p}-M-R", "S1", 7)
    api.ok(api.post("/connections", {
        "name": "vendure", "platform": "vendure",
        "settings": {"shop_url": vendure.peer.url, "location": "S1"},
        "secrets": {"api_key": vendure.api_key, "webhook_secret": WEBHOOK_SECRET}}), 201)
    four = {f"{p}-{s}-{c[0]}" for s in ("S", "M") for c in ("Red", "Blue")}
    # The first push writes the product, its option groups and variants in several calls
    # Vendure answers one by one: on a busy machine, allow it longer between progress.
    store.work(until=lambda: _skus(vendure, f"{p}-S-R") == four, stall=SLOW)
    made = _product(vendure, f"{p}-S-R")
    assert made["name"] == f"Tee {p}"
    assert made["groups"] == {"Size": ["M", "S"], "Colour": ["Blue", "Red"]}
    assert made["variants"][f"{p}-M-B"] == ({"Size": "M", "Colour": "Blue"}, 2000, True,
                                            f"Tee {p} M Blue")
    assert shop.stock(sorted(four), PRIMARY) == {
        sku: 7 if sku == f"{p}-M-R" else 0 for sku in four}

    # Stock of a variant moves on its own.
    api.stock(f"{p}-S-B", "S1", 4)  # received: 0 + 4
    store.work(until=lambda: shop.stock([f"{p}-S-B"], PRIMARY) == {f"{p}-S-B": 4})

    # A size added with a variant of it, one variant removed, the product renamed.
    api.ok(api.patch(f"/product-groups/{tee['id']}", {
        "name": f"Tee classic {p}",
        "options": [{"name": "Size", "values": ["S", "M", "L"]},
                    {"name": "Colour", "values": ["Red", "Blue"]}],
        "variants": [{"sku": f"{p}-L-R", "price": "22.00",
                      "options": {"Size": "L", "Colour": "Red"}}],
        "remove": [f"{p}-S-R"]}))
    after = four - {f"{p}-S-R"} | {f"{p}-L-R"}
    store.work(until=lambda: _skus(vendure, f"{p}-L-R") == after, stall=SLOW)
    changed = _product(vendure, f"{p}-L-R")
    assert changed["id"] == made["id"]
    assert changed["name"] == f"Tee classic {p}"
    assert changed["groups"]["Size"] == ["L", "M", "S"]
    assert changed["variants"][f"{p}-L-R"] == ({"Size": "L", "Colour": "Red"}, 2200, True,
                                               f"Tee classic {p} L Red")
    assert shop.stock([f"{p}-M-R", f"{p}-S-B"], PRIMARY) == {f"{p}-M-R": 7, f"{p}-S-B": 4}
    with vendure.admin() as admin:
        assert f"{p}-S-R" not in variants(admin, [f"{p}-S-R"])

    # Withdrawn from sale: the variant stays, disabled.
    api.ok(api.patch(f"/products/{p}-M-B", {"active": False}))
    store.work(until=lambda: not _product(vendure, f"{p}-M-B")["variants"][f"{p}-M-B"][2])
    assert _product(vendure, f"{p}-M-R")["variants"][f"{p}-M-R"][2] is True

    # A web order of a variant is a sale of its SKU.
    with vendure.admin() as admin:
        variant = str(variants(admin, [f"{p}-M-R"])[f"{p}-M-R"]["id"])
    checkout(vendure.peer.url, [(variant, 2)], email=f"tee.{database}@example.com")
    store.work(until=lambda: api.on_hand(f"{p}-M-R", "S1") == 5)
    store.settle()
    assert shop.stock([f"{p}-M-R"], PRIMARY) == {f"{p}-M-R": 5}
    assert api.ok(api.get("/connections/vendure/dead-letters"))["items"] == []


def test_a_simple_product_that_gains_options_stays_the_same_vendure_product(
        shop: VendureChannel, vendure: Vendure) -> None:
    made = shop.upsert_product(ProductData(sku="VVG-1", title="Mug", price=Decimal("8.00"),
                                           barcode=None, status="active", available=3))
    mug_product = ProductWithVariants(
        key="vvg", title="Mug", category=None, options=(("Colour", ("White", "Black")),),
        variants=(VariantData("VVG-1", Decimal("8.00"), None, "active", ("White",), 3),
                  VariantData("VVG-2", Decimal("9.00"), None, "active", ("Black",), 2)))
    saved = shop.upsert_variants(mug_product)
    assert {sku: (u.external_id, u.created) for sku, u in saved.items()} == {
        "VVG-1": (made.external_id, False), "VVG-2": (made.external_id, True)}
    mug = _product(vendure, "VVG-1")
    assert mug["groups"] == {"Colour": ["Black", "White"]}
    assert {sku: v[0] for sku, v in mug["variants"].items()} == {
        "VVG-1": {"Colour": "White"}, "VVG-2": {"Colour": "Black"}}
    assert shop.stock(["VVG-1", "VVG-2"], PRIMARY) == {"VVG-1": 3, "VVG-2": 2}

    # The same product again: Vendure already shows it all, so nothing is written.
    with _counting(vendure) as (counted, sent):
        again = counted.upsert_variants(mug_product)
    assert not any(u.created for u in again.values())
    assert sent  # it read the product
    assert [q for q in sent if q.lstrip().startswith("mutation")] == []

    # An option dropped, another added: the groups follow and the variants with them.
    changed = shop.upsert_variants(ProductWithVariants(
        key="vvg", title="Mug", category=None, options=(("Size", ("Small", "Large")),),
        variants=(VariantData("VVG-1", Decimal("8.00"), None, "active", ("Small",), 3),
                  VariantData("VVG-2", Decimal("9.00"), None, "draft", ("Large",), 2))))
    assert not any(u.created for u in changed.values())
    mug = _product(vendure, "VVG-1")
    assert mug["groups"] == {"Size": ["Large", "Small"]}
    assert {sku: v[0] for sku, v in mug["variants"].items()} == {
        "VVG-1": {"Size": "Small"}, "VVG-2": {"Size": "Large"}}
    assert mug["variants"]["VVG-2"][2] is False


def test_a_sku_held_by_another_vendure_product_moves_to_its_product(
        shop: VendureChannel, vendure: Vendure) -> None:
    first = shop.upsert_product(ProductData(sku="VVM-1", title="Cap", price=Decimal("5.00"),
                                            barcode=None, status="active", available=1))
    other = shop.upsert_product(ProductData(sku="VVM-2", title="Cap", price=Decimal("5.00"),
                                            barcode=None, status="active", available=1))
    saved = shop.upsert_variants(ProductWithVariants(
        key="vvm", title="Cap", category=None, options=(("Size", ("S", "L")),),
        variants=(VariantData("VVM-1", Decimal("5.00"), None, "active", ("S",), 1),
                  VariantData("VVM-2", Decimal("5.00"), None, "active", ("L",), 4))))
    assert {sku: (u.external_id, u.created) for sku, u in saved.items()} == {
        "VVM-1": (first.external_id, False), "VVM-2": (first.external_id, True)}
    assert shop.stock(["VVM-2"], PRIMARY) == {"VVM-2": 4}
    assert shop.product(other.external_id) == []


def _sock(vendure: Vendure, p: str) -> dict[str, int]:
    """A sock made in Vendure in sizes Small and Large, red and blue, priced 4.50 and with
    3 to 6 on hand (``<p>-S-R`` ...); returns the stock of each SKU."""
    stock = {f"{p}-{size[0]}-{colour[0]}": n for n, (size, colour)
             in enumerate(itertools.product(SIZES, COLOURS), start=3)}
    with vendure.admin() as admin:
        create_product_with_options(
            admin, f"Sock {p}", [("Size", SIZES), ("Colour", COLOURS)],
            [(f"{p}-{size[0]}-{colour[0]}", (size, colour), 450,
              stock[f"{p}-{size[0]}-{colour[0]}"])
             for size, colour in itertools.product(SIZES, COLOURS)])
    return stock


def _connect(store: SyncedStore, vendure: Vendure) -> None:
    store.api.ok(store.api.post("/connections", {
        "name": "vendure", "platform": "vendure",
        "settings": {"shop_url": vendure.peer.url, "location": "S1"},
        "secrets": {"api_key": vendure.api_key, "webhook_secret": WEBHOOK_SECRET}}), 201)


def _arrived(store: SyncedStore, stock: dict[str, int]) -> bool:
    return all(store.api.get(f"/products/{sku}").status_code == 200
               and store.api.on_hand(sku, "S1") == n for sku, n in stock.items())


def _assert_one_product(store: SyncedStore, p: str, stock: dict[str, int]) -> None:
    assert_arrived_whole(store.api, name=f"Sock {p}", price="4.50", stock=stock,
                         options=[("Size", SIZES), ("Colour", COLOURS)],
                         sku_of=lambda values: f"{p}-{values[0][0]}-{values[1][0]}")


def test_a_product_with_options_made_in_vendure_arrives_as_one_by_a_full_sync(
        store: SyncedStore, vendure: Vendure, shop: VendureChannel, database: str) -> None:
    api, p = store.api, f"VVI{database[0].upper()}"
    stock = _sock(vendure, p)  # made before the connection: no webhook of it is applied
    _connect(store, vendure)
    api.ok(api.post("/connections/vendure/sync", {"scope": "all"}), 202)
    store.work(until=lambda: _arrived(store, stock), stall=SLOW)
    store.settle()
    _assert_one_product(store, p, stock)

    # Its variants' stock is tillflow's from then on, the Vendure product left as it is.
    api.stock(f"{p}-L-R", "S1", 7)
    store.work(until=lambda: shop.stock([f"{p}-L-R"], PRIMARY) == {f"{p}-L-R": 12})
    sock = _product(vendure, f"{p}-L-R")
    assert sock["groups"] == {"Size": ["Large", "Small"], "Colour": ["Blue", "Red"]}
    assert set(sock["variants"]) == set(stock)


def test_a_product_with_options_made_in_vendure_arrives_as_one_by_its_webhooks(
        store: SyncedStore, vendure: Vendure, database: str) -> None:
    p = f"VVW{database[0].upper()}"
    _connect(store, vendure)
    store.settle()
    stock = _sock(vendure, p)
    store.work(until=lambda: _arrived(store, stock), stall=SLOW)
    store.settle()
    _assert_one_product(store, p, stock)


def test_a_vendure_product_tillflow_knows_in_part_arrives_sku_by_sku(
        store: SyncedStore, vendure: Vendure, database: str) -> None:
    api, p = store.api, f"VVP{database[0].upper()}"
    stock = _sock(vendure, p)
    api.product(f"{p}-S-R", "4.50")  # tillflow sells one of its SKUs as a product of its own
    _connect(store, vendure)
    api.ok(api.post("/connections/vendure/sync", {"scope": "all"}), 202)
    others = {sku: n for sku, n in stock.items() if sku != f"{p}-S-R"}
    store.work(until=lambda: _arrived(store, others), stall=SLOW)
    store.settle()
    found = {sku: api.ok(api.get(f"/products/{sku}")) for sku in stock}
    assert all(product["options"] == {} for product in found.values())
    assert len({product["product_id"] for product in found.values()}) == 4
