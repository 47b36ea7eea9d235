"""The ERP's catalog following tillflow's, as the ERP tests watch it: a worker thread, what
Tryton and Odoo show of a SKU, and the changes a retailer makes, each timed until the
ERP shows it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from support.api import Api
from support.erp_day import run_worker
from support.waiting import wait_until
from tillflow.connectors.odoo.client import OdooClient
from tillflow.connectors.tryton.rpc import TrytonClient
from tillflow.db.uow import connection_of
from tillflow.erp import journal
from tillflow.erp.adapters import accounting_for
from tillflow.erp.consumer import JournalConsumer
from tillflow.erp.poster import PostingRunner
from tillflow.ports.accounting import ErpRejected
from tillflow.services.context import ServiceContext
from tillflow.sync.consumers import ConsumerRunner
from tillflow.sync.worker import start_in_background

CENT = Decimal("0.01")
VISIBLE_WITHIN = 30.0  # seconds: only turns a hang into a failure message
DRAINED_WITHIN = 120.0  # after an outage the retry back-off decides when the queue moves
READS = 5  # tries at reading a product the poster is changing at the same moment


@contextmanager
def erp_worker(ctx: ServiceContext) -> Iterator[None]:
    """What ``tillflow worker`` runs for the ERP, in a thread: the journal consumer (which
    queues product changes) and the poster, each pass 0.2 s after an idle one."""
    poster = PostingRunner(ctx, accounting_for)
    thread, stop = start_in_background(ConsumerRunner(ctx, [JournalConsumer()], jobs=[poster]))
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=30)
        poster.close()


@dataclass(frozen=True)
class Seen:
    """A product as an ERP shows it."""

    name: str
    price: Decimal
    barcodes: tuple[str, ...]
    tax_rate: Decimal
    active: bool | None


class Shelf(Protocol):
    """What an ERP shows of a SKU: every product with that code, archived ones too."""

    one_barcode: bool

    def seen(self, sku: str) -> list[Seen]: ...

    def cost(self, sku: str) -> Decimal | None: ...


class OdooShelf:
    one_barcode = True  # Odoo keeps one barcode per product

    def __init__(self, client: OdooClient) -> None:
        self.client = client

    def cost(self, sku: str) -> Decimal | None:
        found = self.client.call("product.product", "search_read",
                                 domain=[["default_code", "=", sku]], fields=["standard_price"])
        return Decimal(str(found[0]["standard_price"])) if found else None

    def seen(self, sku: str) -> list[Seen]:
        found = self.client.call("product.product", "search_read", domain=[
            ["default_code", "=", sku], ["active", "in", [True, False]]],
            fields=["name", "list_price", "barcode", "taxes_id", "active", "product_tmpl_id"])
        return [Seen(p["name"], Decimal(str(p["list_price"])).quantize(CENT),
                     (p["barcode"],) if p["barcode"] else (), self._rate(p["taxes_id"]),
                     self._active(p)) for p in found]

    def _active(self, product: dict[str, Any]) -> bool | None:
        """Active or archived, product and template alike; None when they disagree."""
        [template] = self.client.call("product.template", "search_read", domain=[
            ["id", "=", product["product_tmpl_id"][0]], ["active", "in", [True, False]]],
            fields=["active"])
        return bool(product["active"]) if template["active"] == product["active"] else None

    def _rate(self, taxes: list[int]) -> Decimal:
        amounts = [t["amount"] for t in self.client.call(
            "account.tax", "read", ids=taxes, fields=["amount"])] if taxes else []
        return sum((Decimal(str(a)) for a in amounts), Decimal(0)) / 100


class TrytonShelf:
    one_barcode = False

    def __init__(self, client: TrytonClient) -> None:
        self.client = client

    def cost(self, sku: str) -> Decimal | None:
        found = self.client.model("product.product", "search_read", [("code", "=", sku)],
                                  0, None, None, ["cost_price"])
        return Decimal(found[0]["cost_price"]) if found else None

    def seen(self, sku: str) -> list[Seen]:
        for _attempt in range(READS):
            try:
                found = self.client.model("product.product", "search_read", [
                    ("code", "=", sku), ("active", "in", [True, False])], 0, None, None,
                    ["name", "list_price_used", "identifiers.code", "template.active",
                     "template.account_category"])
                break
            except ErpRejected as exc:  # an identifier the poster replaced as it was read
                if "don't exist" not in str(exc):
                    raise
        else:
            raise AssertionError(f"Tryton's {sku} kept changing while it was read")
        return [Seen(p["name"], p["list_price_used"],
                     tuple(sorted(i["code"] for i in p["identifiers."])),
                     self._rate(p["template."]["account_category"]),
                     bool(p["template."]["active"])) for p in found]

    def _rate(self, category: int | None) -> Decimal:
        if category is None:
            return Decimal(0)
        [found] = self.client.model("product.category", "read", [category],
                                    ["customer_taxes"])
        taxes = self.client.model("account.tax", "read", found["customer_taxes"], ["rate"])
        return sum((t["rate"] for t in taxes), Decimal(0))


def expected(shelf: Shelf, product: dict[str, Any]) -> Seen:
    """What the ERP should show of a tillflow product (its ``GET /products/{sku}``)."""
    codes = tuple(product["barcodes"])
    return Seen(product["name"], Decimal(product["price"]),
                codes[:1] if shelf.one_barcode else tuple(sorted(codes)),
                Decimal(product["tax_rate"]), product["active"])


def shows(shelf: Shelf, product: dict[str, Any]) -> bool:
    return shelf.seen(product["sku"]) == [expected(shelf, product)]


def changed_and_seen(api: Api, shelf: Shelf, change: Callable[[], Any], sku: str) -> float:
    """Make ``change`` in tillflow; seconds until the ERP shows the product as tillflow has
    it (the one copy of its SKU there)."""
    started = time.monotonic()
    change()
    product = api.ok(api.get(f"/products/{sku}"))
    wait_until(lambda: shows(shelf, product), timeout=VISIBLE_WITHIN,
               message=lambda: f"the ERP shows {shelf.seen(sku)}, not {product}", interval=0.05)
    return time.monotonic() - started


def ean13(body: str) -> str:
    """A valid EAN-13 from 12 digits: each test its own barcodes, as the ERP wants them
    unique across products."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def follow_a_product(api: Api, shelf: Shelf, sku: str, *, codes: str) -> list[float]:
    """Create, rename, reprice, change barcodes and the tax rate, deactivate and bring
    back: each reaches the ERP by itself; returns how long each took. ``codes``: 11
    digits that start the product's barcodes."""
    path = f"/products/{sku}"
    first, second, third = (ean13(f"{codes}{n}") for n in range(3))
    steps: list[Callable[[], Any]] = [
        lambda: api.ok(api.post("/products", {"sku": sku, "name": "Tea", "price": "3.50",
                                              "tax_rate": "0.08", "barcodes": [first]}), 201),
        lambda: api.ok(api.patch(path, {"name": "Green tea"})),
        lambda: api.ok(api.patch(path, {"price": "3.90"})),
        lambda: api.ok(api.patch(path, {"barcodes": [second, third]})),
        lambda: api.ok(api.patch(path, {"tax_rate": "0.20"})),
        lambda: api.ok(api.patch(path, {"active": False})),
        lambda: api.ok(api.patch(path, {"active": True, "price": "4.10"})),
    ]
    return [changed_and_seen(api, shelf, step, sku) for step in steps]


def health(api: Api) -> dict[str, Any]:
    result: dict[str, Any] = api.ok(api.get("/erp/erp/health"))
    return result


def names_until_shown(shelf: Shelf, product: dict[str, Any]) -> list[str]:
    """The names the ERP showed, in turn, until it shows ``product``: an older name after
    a newer one would mean a change overtook a later one."""
    names: list[str] = []

    def look() -> bool:
        seen = shelf.seen(product["sku"])
        if seen and (not names or names[-1] != seen[0].name):
            names.append(seen[0].name)
        return seen == [expected(shelf, product)]

    wait_until(look, timeout=DRAINED_WITHIN, interval=0.05,
               message=lambda: f"the ERP shows {shelf.seen(product['sku'])}, not {product}")
    return names


def stopped_mid_change(api: Api, shelf: Shelf, *, stop: Callable[[], None],
                       start: Callable[[], None], sku: str, other: str) -> None:
    """The ERP stops while a product is renamed and repriced three times and another is
    made; it comes back and the queue drains: nothing lost, each SKU once, and never an
    older state after a newer one."""
    changed_and_seen(api, shelf, lambda: api.ok(api.post("/products", {
        "sku": sku, "name": "v0", "price": "1.00", "tax_rate": "0.08"}), 201), sku)
    stop()
    for version in range(1, 4):
        api.ok(api.patch(f"/products/{sku}", {"name": f"v{version}",
                                              "price": f"{version + 1}.00"}))
    api.ok(api.post("/products", {"sku": other, "name": "Made meanwhile", "price": "2.00",
                                  "tax_rate": "0.20"}), 201)
    wait_until(lambda: health(api)["state"] == "retrying", timeout=VISIBLE_WITHIN,
               message=lambda: f"the ERP's health says {health(api)}")
    assert health(api)["pending"] >= 1
    start()
    names = names_until_shown(shelf, api.ok(api.get(f"/products/{sku}")))
    # v0 until the ERP took the queue (if it was seen before), then the latest: each push
    # carries the product as it is when it goes, so v1 and v2 never show.
    assert names in (["v0", "v3"], ["v3"]), names
    wait_until(lambda: shows(shelf, api.ok(api.get(f"/products/{other}"))),
               timeout=DRAINED_WITHIN, message=lambda: f"{other}: {shelf.seen(other)}")
    wait_until(lambda: health(api)["pending"] == 0, timeout=VISIBLE_WITHIN,
               message=lambda: f"the ERP's health says {health(api)}")
    assert health(api)["state"] == "ok"
    assert (len(shelf.seen(sku)), len(shelf.seen(other))) == (1, 1)


def refused_then_replayed(api: Api, shelf: Shelf, *, sku: str, other: str,
                          add_tax: Callable[[], None]) -> str:
    """A product taxed at 5 %, a rate the ERP lacks, is a dead letter with the ERP's reason
    that holds up nothing; once the ERP has the tax, its replay brings it. Returns the
    reason."""
    api.ok(api.post("/products", {"sku": sku, "name": "Taxed oddly", "price": "1.00",
                                  "tax_rate": "0.05"}), 201)

    def dead() -> list[dict[str, Any]]:
        found = api.ok(api.get("/erp/erp/postings", status="dead"))["items"]
        return [p for p in found if p["reference"].startswith(f"product:{sku}:")]

    [letter] = wait_until(dead, timeout=VISIBLE_WITHIN, message="no dead letter")
    assert (health(api)["state"], health(api)["failed"]) == ("failing", 1)
    # The queue moved on: another product reaches the ERP all the same.
    changed_and_seen(api, shelf, lambda: api.ok(api.post("/products", {
        "sku": other, "name": "Plain", "price": "2.00", "tax_rate": "0.08"}), 201), other)
    assert shelf.seen(sku) == []
    add_tax()
    api.ok(api.post(f"/erp/erp/postings/{letter['id']}/replay"), 202)
    changed_and_seen(api, shelf, lambda: None, sku)
    assert (health(api)["state"], health(api)["failed"]) == ("ok", 0)
    return str(letter["last_error"])


def deleted_then_made_again(api: Api, shelf: Shelf, *, sku: str,
                            delete: Callable[[], None]) -> None:
    """A product deleted in the ERP while tillflow masters it comes back with its next
    change, once."""
    changed_and_seen(api, shelf, lambda: api.ok(api.post("/products", {
        "sku": sku, "name": "Deleted there", "price": "1.00", "tax_rate": "0.08"}), 201), sku)
    delete()
    assert shelf.seen(sku) == []
    changed_and_seen(api, shelf, lambda: api.ok(api.patch(f"/products/{sku}",
                                                          {"price": "1.20"})), sku)


def unit_cost(ctx: ServiceContext, sku: str) -> Decimal | None:
    with ctx.uow(read_only=True) as uow:
        return journal.costs(connection_of(uow), [sku]).get(sku)


def only_costs_come_in(api: Api, shelf: Shelf, *, sku: str,
                       edit_in_erp: Callable[[], None]) -> None:
    """Where tillflow masters the catalog, ``products-in`` brings the ERP's cost price and
    leaves the name and price it changed alone. ``edit_in_erp`` sets the price to 9.99 and
    the cost to 1.25."""
    changed_and_seen(api, shelf, lambda: api.ok(api.post("/products", {
        "sku": sku, "name": "Ours", "price": "3.50", "tax_rate": "0.08"}), 201), sku)
    edit_in_erp()
    assert api.ok(api.post("/erp/erp/sync", {"scope": "products-in"})) == {
        "scope": "products-in", "changed": 1}
    product = api.ok(api.get(f"/products/{sku}"))
    assert (product["name"], product["price"]) == ("Ours", "3.50")
    assert unit_cost(api.ctx, sku) == Decimal("1.25")


def the_erp_masters(api: Api, *, platform: str, sku: str,
                    make_in_erp: Callable[[], object]) -> None:
    """Where the ERP masters the catalog, its product (``make_in_erp``: "Made there" at
    3.50) comes in; tillflow refuses its price, takes its tax rate, and sends it nothing."""
    api.ok(api.patch("/connections/erp", {"settings": {"catalog": "erp"}}))
    make_in_erp()
    api.ok(api.post("/erp/erp/sync", {"scope": "products-in"}))
    product = api.ok(api.get(f"/products/{sku}"))
    assert (product["name"], product["price"]) == ("Made there", "3.50")
    refused = api.patch(f"/products/{sku}", {"price": "9.99"})
    assert refused.status_code == 422
    assert refused.json()["error"]["details"] == {
        "field": "price", "master": f"erp:{platform}", "connection": "erp"}
    api.ok(api.patch(f"/products/{sku}", {"tax_rate": "0.20"}))
    run_worker(api.ctx)
    postings = api.ok(api.get("/erp/erp/postings"))["items"]
    assert [p for p in postings if p["reference"].startswith("product:")] == []


def cost_follows(api: Api, shelf: Shelf, sku: str, *, shown: str = "2.3456") -> None:
    """tillflow's cost of a product reaches the ERP, set with the product (the ERP shows
    ``shown``, at its own precision) and changed by hand."""
    api.ok(api.post("/products", {"sku": sku, "name": "Costed", "price": "9.00",
                                  "tax_rate": "0.08", "cost": "2.3456"}), 201)
    _shows_cost(api, shelf, sku, Decimal(shown))
    api.ok(api.patch(f"/products/{sku}", {"cost": "3.00"}))
    _shows_cost(api, shelf, sku, Decimal("3.00"))


def _shows_cost(api: Api, shelf: Shelf, sku: str, cost: Decimal) -> None:
    def why() -> str:
        dead = api.ok(api.get("/erp/erp/postings", status="dead"))["items"]
        return f"the ERP shows cost {shelf.cost(sku)}, not {cost}; dead letters: {dead}"

    wait_until(lambda: shelf.cost(sku) == cost, timeout=60, message=why)
