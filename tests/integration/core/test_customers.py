"""Customers: normalised email and phone, unique by email, found by either."""

from __future__ import annotations

from support.api import Api
from support.databases import row_counts
from tillflow.db.uow import engine_of


def test_contact_details_are_normalised_and_found(api: Api) -> None:
    made = api.ok(api.post("/customers", {"name": "Ada", "email": "  Ada@Example.COM ",
                                          "phone": "(415) 555-2671"}, role="cashier"), 201)
    assert (made["email"], made["phone"]) == ("ada@example.com", "+14155552671")
    by_email = api.ok(api.get("/customers", email="ADA@example.com"))["items"]
    by_phone = api.ok(api.get("/customers", phone="+1 415-555-2671"))["items"]
    assert by_email == by_phone == [made]
    assert api.ok(api.get(f"/customers/{made['id']}")) == made


def test_one_customer_per_email(api: Api) -> None:
    api.ok(api.post("/customers", {"email": "ada@example.com"}), 201)
    before = row_counts(engine_of(api.ctx.store))
    duplicate = api.post("/customers", {"email": "ADA@EXAMPLE.COM"})
    assert duplicate.status_code == 409
    assert row_counts(engine_of(api.ctx.store)) == before


def test_bad_customers(api: Api) -> None:
    before = row_counts(engine_of(api.ctx.store))
    for body in ({"email": "not-an-email"}, {"phone": "12"}, {"name": "No contact"},
                 {"email": "a@b.co", "shoe_size": 9}):
        response = api.post("/customers", body)
        assert response.status_code == 422, body
    assert api.get("/customers").status_code == 422
    assert api.get("/customers/nope").status_code == 404
    assert row_counts(engine_of(api.ctx.store)) == before


def test_a_sale_can_name_its_customer(api: Api) -> None:
    api.location("S1")
    api.product("A")
    api.stock("A", "S1", 1)
    customer = api.ok(api.post("/customers", {"email": "ada@example.com"}), 201)
    sale = api.ok(api.post("/sales", {"location": "S1", "customer": customer["id"],
                                      "lines": [{"sku": "A", "quantity": 1}],
                                      "payments": [{"method": "cash", "amount": "10.80"}]}),
                  201)
    assert sale["customer"] == customer["id"]
