"""Pure pieces of ERP posting: Tryton's JSON types and Odoo's errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import httpx
import pytest

from tillflow.connectors.odoo.client import OdooClient
from tillflow.connectors.tryton.rpc import decode, encode
from tillflow.ports.accounting import ErpRejected, ErpUnavailable


def test_tryton_decimals_and_dates_travel_as_class_objects() -> None:
    sent = encode([{"amount": Decimal("2.50"), "day": dt.date(2026, 11, 26)}, ("x", 1)])
    assert sent == [{"amount": {"__class__": "Decimal", "decimal": "2.50"},
                     "day": {"__class__": "date", "year": 2026, "month": 11, "day": 26}},
                    ["x", 1]]
    assert decode(sent) == [{"amount": Decimal("2.50"), "day": dt.date(2026, 11, 26)},
                            ["x", 1]]
    with pytest.raises(TypeError):
        encode(dt.datetime(2026, 11, 26, tzinfo=dt.UTC))


@pytest.mark.parametrize(("status", "body", "error"), [
    (503, {"name": "werkzeug.exceptions.ServiceUnavailable", "message": "down"},
     ErpUnavailable),
    (401, {"name": "odoo.exceptions.AccessDenied", "message": "Access Denied"},
     ErpUnavailable),
    (422, {"name": "odoo.exceptions.UserError", "message": "The entry is not balanced."},
     ErpRejected),
])
def test_odoo_json2_errors_are_classified_by_what_happens_next(
        status: int, body: dict[str, str], error: type[Exception]) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == "bearer key"
        return httpx.Response(status, json=body)

    client = OdooClient(url="http://odoo", database="db", username="u", secret="key",
                        transport=httpx.MockTransport(answer))
    with pytest.raises(error, match=body["message"].split()[0]):
        client.call("account.move", "action_post", ids=[1])
    client.close()
