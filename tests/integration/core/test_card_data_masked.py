"""Text that reaches a use case without the API's or the CLI's refusal (a shop's customer,
an ERP's product) is recorded with its card numbers masked, never as sent."""

from __future__ import annotations

import re

from sqlalchemy import text

from support.api import Api
from tillflow.db.schema import metadata
from tillflow.db.uow import engine_of
from tillflow.domain.card_data import contains_card_number
from tillflow.services import catalog, customers

# A digest or a token in hexadecimal (the audit chain's hashes, sealed keys) holds runs
# of digits that, once in a great while, pass for a card number: it cannot carry one.
_HEX_DIGEST = re.compile(r"[0-9a-f]{32,}")


def _everything_stored(api: Api) -> str:
    with engine_of(api.ctx.store).connect() as connection:
        return "\n".join(
            str(value) for table in metadata.sorted_tables
            for row in connection.execute(text(f"SELECT * FROM {table.name}"))
            for value in row
            if not (isinstance(value, str) and _HEX_DIGEST.fullmatch(value)))


def test_names_and_emails_from_elsewhere_are_masked(api: Api) -> None:
    buyer = customers.create_customer(api.ctx, name="Ana 4242 4242 4242 4242",
                                      email="5555555555554444@example.com", phone=None)
    assert buyer.name == "Ana **** **** **** 4242"
    assert buyer.email == "************4444@example.com"
    product = catalog.create_product(api.ctx, catalog.ProductInput(
        sku="ERP-1", name="Gift for 378282246310005", price="1.00"))
    assert product.name == "Gift for ***********0005"
    stored = _everything_stored(api)
    assert "4444@example.com" in stored
    assert not contains_card_number(stored)
    events = api.ok(api.get("/events", after=0))["events"]
    assert events
    assert not contains_card_number(str(events))
