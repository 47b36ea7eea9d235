"""Connections to Xero and QuickBooks: settings refused by shape at create, proved against
the books by their check, and what named customers and split tenders become."""

from __future__ import annotations

from typing import Any

import pytest

from support.api import Api
from support.erp_day import open_store, run_worker, sell
from support.saas_books import Books

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
ORGANISATION = {"xero": "tenant_id", "quickbooks": "realm_id"}


def _refused(api: Api, books: Books, settings: dict[str, Any],
             secrets: dict[str, str] | None = None) -> str:
    if secrets is None:
        _tokens, secrets = books.consent()
    answer = api.post("/connections", {"name": "books", "platform": books.platform,
                                       "settings": settings, "secrets": secrets})
    assert answer.status_code == 422, answer.text
    assert api.get("/connections/books").status_code == 404
    field: str = answer.json()["error"]["details"]["field"]
    return field


@pytest.mark.parametrize(("change", "field"), [
    ({"posting": "week"}, "settings.posting"),
    ({"tax_codes": {"twenty": "OUTPUT"}}, "settings.tax_codes"),
    ({"tax_codes": {"1.5": "OUTPUT"}}, "settings.tax_codes"),
    ({"tax_codes": {}}, "settings.tax_codes"),
    ({"accounts": {"revenue": "200"}}, "settings.accounts"),
    ({"accounts": {"tender": "1", "revenue": "2", "cash_transfer": "3", "over_short": "4",
                   "bonus": "5"}}, "settings.accounts"),
    ({"api_url": "http://books.example.com"}, "settings.api_url"),
    ({"token_url": "ftp://127.0.0.1/token"}, "settings.token_url"),
])
def test_settings_of_the_wrong_shape_are_refused_and_nothing_is_stored(
        api: Api, books: Books, change: dict[str, Any], field: str) -> None:
    assert _refused(api, books, {**books.settings(posting="sale"), **change}) == field


def test_a_missing_organisation_or_secret_is_named(api: Api, books: Books) -> None:
    settings = books.settings(posting="sale")
    organisation = ORGANISATION[books.platform]
    del settings[organisation]
    assert _refused(api, books, settings).endswith(organisation)
    _tokens, secrets = books.consent()
    del secrets["refresh_token"]
    assert _refused(api, books, books.settings(posting="sale"), secrets).endswith(
        "refresh_token")


def test_the_check_proves_the_books_and_returns_no_secret(api: Api, books: Books) -> None:
    books.connect(api, posting="shift")
    checked = api.ok(api.post("/connections/books/check"))
    assert checked["ok"] is True
    assert [c["ok"] for c in checked["checks"]] == [True, True, True]
    shown = api.get("/connections/books").text
    _tokens, secrets = books.consent()
    assert "refresh_token" in shown
    assert secrets["client_secret"] not in shown


@pytest.mark.parametrize(("change", "field"), [
    ({"accounts": {"revenue": "9999", "tender": "9998", "cash_transfer": "9997",
                   "over_short": "9996"}}, "settings.accounts"),
    ({"tax_codes": {"0.20": "NOSUCHCODE"}}, "settings.tax_codes"),
])
def test_the_check_names_what_the_books_lack(api: Api, books: Books, change: dict[str, Any],
                                             field: str) -> None:
    books.connect(api, posting="sale", **change)
    answer = api.post("/connections/books/check")
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["details"]["field"] == field


def test_the_check_names_an_organisation_the_consent_does_not_reach(
        api: Api, books: Books) -> None:
    organisation = ORGANISATION[books.platform]
    other = "9d3a7c57-0000-4000-8000-000000000000" if books.platform == "xero" else "999"
    books.connect(api, posting="sale", **{organisation: other})
    answer = api.post("/connections/books/check")
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["details"]["field"] == f"settings.{organisation}"


def test_a_named_customers_split_sale_matches_the_journal(api: Api, books: Books) -> None:
    books.connect(api, posting="sale")
    open_store(api)
    customer = api.ok(api.post("/customers", {"name": "Ada Lovelace",
                                              "email": "ada@example.com"}), 201)
    for _ in range(2):
        api.ok(api.post("/sales", {
            "location": "S1", "register": "R1", "customer": customer["id"],
            "lines": [{"sku": "A", "quantity": 3}, {"sku": "B", "quantity": 1}],
            "payments": [{"method": "cash", "amount": "20.00"},
                         {"method": "card", "amount": "18.39", "reference": "T-9"}]},
            role="cashier"), 201)
    sell(api, [{"sku": "B", "quantity": 1}], [{"method": "cash", "amount": "10.00"}])
    run_worker(api.ctx)
    entries = api.ok(api.get("/journal"))["entries"]
    assert books.net() == books.journal_net(entries)
    note = f"TF-{customer['id']}"
    if books.platform == "xero":
        contacts = [c for c in books.xero.documents("Contacts") if c.get("ContactNumber") == note]
        [ada] = contacts
        assert ada["Name"] == "Ada Lovelace"
        invoices = books.xero.documents("Invoices")
        assert [i["Contact"]["ContactID"] for i in invoices][:2] == [ada["ContactID"]] * 2
        assert [len(i["Payments"]) for i in invoices] == [2, 2, 1]
    else:
        [ada] = [c for c in books.qbo.entities("Customer") if c.get("Notes") == note]
        assert ada["DisplayName"] == "Ada Lovelace"
        receipts = books.qbo.entities("SalesReceipt")
        assert [r["CustomerRef"]["value"] for r in receipts][:2] == [ada["Id"]] * 2


def test_the_check_refuses_books_kept_in_another_currency(api: Api, books: Books) -> None:
    books.keep_books_in("EUR")  # the store sells in USD
    books.connect(api, posting="sale")
    answer = api.post("/connections/books/check")
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert "keeps its books in EUR, the store sells in USD" in error["message"]
    assert error["details"]["field"] == f"settings.{ORGANISATION[books.platform]}"
    books.keep_books_in("USD")
    assert api.post("/connections/books/check").status_code == 200


@pytest.mark.parametrize(("role", "code", "words"), [
    ("tender:cash", "091", "is a bank account"),
    ("cash_transfer", "090", "is a bank account"),
    ("tender", "840", "takes no payments"),
])
@pytest.mark.parametrize("books", ["xero"], indirect=True)
def test_the_check_refuses_xero_accounts_that_cannot_take_their_role(
        api: Api, books: Books, role: str, code: str, words: str) -> None:
    accounts = {**books.settings(posting="sale")["accounts"], role: code}
    books.connect(api, posting="sale", accounts=accounts)
    answer = api.post("/connections/books/check")
    assert answer.status_code == 422, answer.text
    assert words in answer.json()["error"]["message"]
    assert answer.json()["error"]["details"]["field"] == "settings.accounts"


@pytest.mark.parametrize("books", ["quickbooks"], indirect=True)
def test_the_check_refuses_a_quickbooks_receivable_that_is_no_receivable(
        api: Api, books: Books) -> None:
    accounts = {**books.settings(posting="sale")["accounts"], "receivable": "1010"}
    books.connect(api, posting="sale", accounts=accounts)
    answer = api.post("/connections/books/check")
    assert answer.status_code == 422, answer.text
    assert "is not an Accounts Receivable account" in answer.json()["error"]["message"]
    assert answer.json()["error"]["details"]["field"] == "settings.accounts"
