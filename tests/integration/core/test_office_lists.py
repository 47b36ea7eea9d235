"""What the back office lists: registers, and shifts with their Z reports."""

from __future__ import annotations

from support.api import Api


def test_registers_and_shifts_with_their_z_reports(api: Api) -> None:
    api.location("S1")
    first = api.register_with_shift("R1", "S1")
    second = api.register_with_shift("R2", "S1")
    assert api.ok(api.get("/registers", role="cashier"))["items"] == [
        {"code": "R1", "location": "S1"}, {"code": "R2", "location": "S1"}]
    closed = api.ok(api.post(f"/shifts/{first}/close", {"counted_cash": "100.00"}))
    found = api.ok(api.get("/shifts", role="manager", register="R1", status="closed"))["items"]
    assert [(s["id"], s["status"]) for s in found] == [(first, "closed")]
    assert found[0]["z_report"] == closed
    assert {s["id"] for s in api.ok(api.get("/shifts"))["items"]} == {first, second}
    assert [s["id"] for s in api.ok(api.get("/shifts", status="open"))["items"]] == [second]
    refused = api.get("/shifts", register="NOPE")
    assert refused.status_code == 422
    assert refused.json()["error"]["details"]["field"] == "register"
