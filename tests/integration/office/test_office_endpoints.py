"""What the back office adds to the API beside sign-in: a CSV upload through the product
importer with its per-row report, customers searched and edited, staff roles changed, and
a product's cost."""

from __future__ import annotations

from support.api import Api
from support.databases import row_counts
from tillflow.db.uow import engine_of
from tillflow.services.context import ServiceContext

CSV = (
    "sku,name,price,tax_rate,barcodes,active\r\n"
    "IMP-1,Tea,3.20,0.08,,true\r\n"
    "IMP-2,Coffee,4.5x,0.08,,true\r\n"
    "IMP-3,Card 4111111111111111,1.00,0,,\r\n"
    "IMP-4,Cocoa,2.10,0.08,,no\r\n"
)


def test_a_csv_upload_imports_good_rows_and_reports_bad_ones(api: Api) -> None:
    report = api.ok(api.post("/products/imports", {"csv": "\ufeff" + CSV}))
    assert (report["created"], report["updated"], report["unchanged"]) == (2, 0, 0)
    assert [(r["line"], r["sku"]) for r in report["rejected"]] == [(3, "IMP-2"), (4, "")]
    assert "4111" not in str(report)
    assert api.ok(api.get("/products/IMP-4"))["active"] is False
    again = api.ok(api.post("/products/imports", {
        "csv": "sku,name,price,tax_rate\nIMP-1,Tea,3.20,0.08\nIMP-4,Cocoa,2.50,0.08\n"}))
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 1, 1)
    assert api.post("/products/imports", {"csv": CSV}, role="cashier").status_code == 403


def test_a_csv_without_its_columns_is_refused_and_writes_nothing(ctx: ServiceContext,
                                                                  api: Api) -> None:
    before = row_counts(engine_of(ctx.store))
    for body in ({"csv": "name,price\nTea,1.00\n"}, {"csv": ""}, {"csv": 12},
                 {"csv": "sku,name,price\n\x00,x,1\n"}, {}):
        refused = api.post("/products/imports", body)
        assert refused.status_code == 422, body
        assert refused.json()["error"]["code"] == "validation_error"
    assert api.post("/products/imports", {"csv": "name,price\nTea,1.00\n"}).json()[
        "error"]["details"] == {"field": "csv"}
    assert row_counts(engine_of(ctx.store)) == before


def test_customers_are_searched_and_edited(ctx: ServiceContext, api: Api) -> None:
    ids = [api.ok(api.post("/customers", body), 201)["id"] for body in (
        {"name": "Jo Baker", "email": "jo@bakery.example"},
        {"name": "Ana Lima", "phone": "+1 415 555 0100"},
        {"name": "Joanna Fry", "email": "fry@example.com"})]
    found = api.ok(api.get("/customers/search", role="cashier", query="JO"))
    assert {c["name"] for c in found["items"]} == {"Jo Baker", "Joanna Fry"}
    assert {c["id"] for c in api.ok(api.get("/customers/search", query="555"))["items"]} == {
        ids[1]}
    first = api.ok(api.get("/customers/search", limit=2))
    rest = api.ok(api.get("/customers/search", limit=2, cursor=first["next_cursor"]))
    assert sorted(c["id"] for c in first["items"] + rest["items"]) == sorted(ids)

    changed = api.ok(api.patch(f"/customers/{ids[0]}", {"name": "Jo Baker-Smith",
                                                        "phone": "+1 415 555 0199"}))
    assert (changed["name"], changed["email"], changed["phone"]) == (
        "Jo Baker-Smith", "jo@bakery.example", "+14155550199")
    before = row_counts(engine_of(ctx.store))
    for body, status, field in (({"email": "FRY@example.com"}, 409, "email"),
                                ({"email": None}, 422, "email"),
                                ({"phone": "not a phone"}, 422, "phone"),
                                ({"nickname": "x"}, 422, None)):
        refused = api.patch(f"/customers/{ids[0]}" if field != "email" or status == 409
                            else f"/customers/{ids[2]}", body)
        assert refused.status_code == status, (body, refused.text)
        if field:
            assert refused.json()["error"]["details"]["field"] == field
    assert row_counts(engine_of(ctx.store)) == before
    assert api.patch("/customers/00000000-0000-4000-8000-000000000000",
                     {"name": "x"}).status_code == 404


def test_an_admin_changes_a_members_role_and_their_sessions_end(api: Api) -> None:
    api.location("S1")
    api.ok(api.post("/registers", {"code": "R1", "location": "S1"}), 201)
    headers = api.session("R1", name="Rui", role="cashier", pin="2468")
    changed = api.ok(api.patch("/staff/Rui", {"role": "manager"}))
    assert (changed["role"], changed["active"], changed["sessions_ended"]) == (
        "manager", True, 1)
    assert api.client.get("/api/v1/products", headers=headers).status_code == 401
    assert api.ok(api.patch("/staff/Rui", {"role": "manager"}))["sessions_ended"] == 0
    for body in ({}, {"role": "owner"}, {"role": None, "active": None}):
        assert api.patch("/staff/Rui", body).status_code == 422, body
    assert api.patch("/staff/Rui", {"role": "admin"}, role="manager").status_code == 403
    assert api.patch("/staff/Nobody", {"role": "admin"}).status_code == 404
    both = api.ok(api.patch("/staff/Rui", {"role": "cashier", "active": False}))
    assert (both["role"], both["active"]) == ("cashier", False)


def test_a_products_cost_is_kept_edited_and_imported(ctx: ServiceContext, api: Api) -> None:
    created = api.ok(api.post("/products", {"sku": "COST-1", "name": "Mug", "price": "9.00",
                                            "cost": "3.10"}), 201)
    assert created["cost"] == "3.10"
    patched = api.ok(api.patch("/products/COST-1", {"cost": "3.25"}))
    assert (patched["cost"], patched["version"]) == ("3.25", 2)
    assert api.ok(api.patch("/products/COST-1", {"name": "Big mug"}))["cost"] == "3.25"
    before = row_counts(engine_of(ctx.store))
    for body in ({"cost": "-1.00"}, {"cost": "1.23456"}, {"cost": 2.5}):
        refused = api.patch("/products/COST-1", body)
        assert refused.status_code == 422, body
    assert api.patch("/products/COST-1", {"cost": "-1.00"}).json()["error"]["details"][
        "field"] == "cost"
    assert row_counts(engine_of(ctx.store)) == before
    report = api.ok(api.post("/products/imports", {
        "csv": "sku,name,price,cost\nCOST-1,Big mug,9.00,3.40\nCOST-2,Plate,12.00,\n"
               "COST-3,Bowl,8.00,-2\n"}))
    assert (report["created"], report["updated"]) == (1, 1)
    assert [(r["line"], r["sku"]) for r in report["rejected"]] == [(4, "COST-3")]
    assert api.ok(api.get("/products/COST-1"))["cost"] == "3.40"
    assert api.ok(api.get("/products/COST-2"))["cost"] is None
