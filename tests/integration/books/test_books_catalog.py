"""Items by SKU: following tillflow's catalog into the books, or read from them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from support.api import Api
from support.erp_day import open_store, run_worker, sell
from support.saas_books import Books
from tillflow.erp.adapters import catalog_for
from tillflow.erp.polling import ErpPolling

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
CASH = [{"method": "cash", "amount": "20.00"}]


def _items(books: Books) -> dict[str, dict[str, object]]:
    if books.platform == "xero":
        return {str(i["Code"]): i for i in books.xero.documents("Items")}
    return {str(i["Sku"]): i for i in books.qbo.entities("Item") if i.get("Sku")}


def test_items_follow_tillflows_catalog_and_sales_name_them(api: Api, books: Books) -> None:
    books.connect(api, posting="sale")
    open_store(api)  # products A (8 %) and B (20 %) made after the connection
    sell(api, [{"sku": "A", "quantity": 1}], CASH)
    api.ok(api.patch("/products/B", {"name": "Blue tea", "price": "5.49"}))
    run_worker(api.ctx)
    items = _items(books)
    assert sorted(items) == ["A", "B"]
    if books.platform == "xero":
        assert items["B"]["Name"] == "Blue tea"
        assert items["B"]["SalesDetails"] == {"UnitPrice": Decimal("5.49"), "AccountCode": "200",
                                              "TaxType": "OUTPUT"}
        [invoice] = books.xero.documents("Invoices")
        assert [line.get("ItemCode") for line in invoice["LineItems"]] == ["A"]
    else:
        assert (items["B"]["Name"], Decimal(str(items["B"]["UnitPrice"]))) == (
            "Blue tea", Decimal("5.49"))
        [receipt] = books.qbo.entities("SalesReceipt")
        assert receipt["Line"][0]["SalesItemLineDetail"]["ItemRef"]["value"] == items["A"]["Id"]
    entries = api.ok(api.get("/journal"))["entries"]
    assert books.net() == books.journal_net(entries)
    posted = api.ok(api.get("/erp/books/postings"))["items"]
    assert {p["status"] for p in posted} == {"posted"}


def test_products_come_in_from_books_that_master_the_catalog(api: Api, books: Books) -> None:
    if books.platform == "xero":
        xero = books.xero.books()
        with xero.lock:
            xero.insert("Items", "ItemID", {
                "Code": "TEA-1", "Name": "Green tea", "IsSold": True, "IsPurchased": True,
                "IsTrackedAsInventory": False,
                "SalesDetails": {"UnitPrice": Decimal("3.20"), "AccountCode": "200"},
                "PurchaseDetails": {"UnitPrice": Decimal("1.10")}})
    else:
        company = books.qbo.company()
        with company.lock:
            company.insert("Item", {"Name": "Green tea", "Sku": "TEA-1", "Type": "NonInventory",
                                    "Active": True, "UnitPrice": Decimal("3.20"),
                                    "PurchaseCost": Decimal("1.10"), "Taxable": True,
                                    "TrackQtyOnHand": False, "SubItem": False, "Level": 0,
                                    "FullyQualifiedName": "Green tea"})
    books.connect(api, posting="sale", catalog="erp")
    answer = api.ok(api.post("/erp/books/sync", {"scope": "products-in"}))
    assert answer["changed"] == 1
    product = api.ok(api.get("/products/TEA-1"))
    assert (product["name"], product["price"]) == ("Green tea", "3.20")


def test_the_worker_polls_the_items_of_books_that_master_the_catalog(
        api: Api, books: Books) -> None:
    books.connect(api, posting="sale", catalog="erp")
    api.location("S1")
    if books.platform == "xero":
        xero = books.xero.books()
        with xero.lock:
            xero.insert("Items", "ItemID", {
                "Code": "TEA-2", "Name": "Black tea", "IsSold": True, "IsPurchased": True,
                "IsTrackedAsInventory": False, "SalesDetails": {"UnitPrice": Decimal("2.80")}})
    else:
        company = books.qbo.company()
        with company.lock:
            company.insert("Item", {"Name": "Black tea", "Sku": "TEA-2", "Type": "Service",
                                    "Active": True, "UnitPrice": Decimal("2.80"),
                                    "Taxable": True, "TrackQtyOnHand": False,
                                    "SubItem": False, "Level": 0,
                                    "FullyQualifiedName": "Black tea"})
    poller = ErpPolling(api.ctx, catalog_for)
    assert poller.run_once() == 1
    assert api.ok(api.get("/products/TEA-2"))["price"] == "2.80"
    assert poller.run_once() == 0  # not again before the interval
