"""A manager or admin unpairs a register: its pairing and its sessions stop at once."""

from __future__ import annotations

from support.api import Api
from support.databases import row_counts
from tillflow.db.uow import engine_of


def _as(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_unpairing_ends_the_registers_sessions_with_a_clear_error(api: Api) -> None:
    api.location("S1")
    for code in ("R1", "R2"):
        api.ok(api.post("/registers", {"code": code, "location": "S1"}), 201)
    api.ok(api.post("/staff", {"name": "Ana", "role": "cashier", "pin": "1234"}), 201)
    pairings = {code: api.ok(api.post(f"/registers/{code}/pairings"), 201)["token"]
                for code in ("R1", "R2")}
    sessions = {code: api.client.post("/api/v1/staff/sessions", headers=_as(token),
                                      json={"name": "Ana", "pin": "1234"}).json()["token"]
                for code, token in pairings.items()}

    before = row_counts(engine_of(api.ctx.store))
    for role in ("cashier", "integration"):
        assert api.client.delete("/api/v1/registers/R1/pairings",
                                 headers=api.headers(role)).status_code == 403
    assert api.client.delete("/api/v1/registers/R404/pairings",
                             headers=api.headers("manager")).status_code == 404
    assert row_counts(engine_of(api.ctx.store)) == before

    done = api.client.delete("/api/v1/registers/R1/pairings", headers=api.headers("manager"))
    assert done.json() == {"register": "R1", "paired": False, "sessions_ended": 1}
    refused = api.client.get("/api/v1/products", headers=_as(sessions["R1"]))
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "register_unpaired"
    assert api.client.get("/api/v1/staff/register",
                          headers=_as(pairings["R1"])).status_code == 401
    # The other register is untouched; pairing R1 again lets staff sign in there again.
    assert api.client.get("/api/v1/products", headers=_as(sessions["R2"])).status_code == 200
    again = api.ok(api.post("/registers/R1/pairings"), 201)["token"]
    assert api.client.post("/api/v1/staff/sessions", headers=_as(again),
                           json={"name": "Ana", "pin": "1234"}).status_code == 201
    events = api.ok(api.get("/events", after=0, limit=500))["events"]
    assert [e["data"]["sessions"] for e in events if e["type"] == "register.unpaired"] == [1]
