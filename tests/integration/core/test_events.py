"""The events log: every change, in order, with a gap-free sequence."""

from __future__ import annotations

from support.api import Api


def test_events_page_in_order_without_gaps(api: Api) -> None:
    api.location("S1")
    for n in range(5):
        api.product(f"P{n}")
        api.stock(f"P{n}", "S1", 3)
    api.ok(api.post("/sales", {"location": "S1", "lines": [{"sku": "P1", "quantity": 1}],
                               "payments": [{"method": "cash", "amount": "20"}]}), 201)
    seen, after = [], 0
    while True:
        page = api.ok(api.get("/events", after=after, limit=4, role="integration"))
        if not page["events"]:
            assert page["next_after"] == after
            break
        seen += page["events"]
        after = page["next_after"]
    assert [e["seq"] for e in seen] == list(range(1, len(seen) + 1))
    types = [e["type"] for e in seen]
    assert types[:2] == ["location.created", "product.created"]
    assert types[-2:] == ["stock.changed", "sale.completed"]
    sale = seen[-1]["data"]
    assert sale["lines"][0]["sku"] == "P1"
    assert sale["total"] == "10.80"


def test_events_limit_is_bounded(api: Api) -> None:
    assert api.get("/events", limit=501).status_code == 422
    assert api.get("/events", after=-1).status_code == 422
