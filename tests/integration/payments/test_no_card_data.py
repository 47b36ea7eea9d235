"""No card number reaches tillflow's database or logs, whatever a client sends."""

import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from support.api import Api
from support.card_shop import CardShop, card_shop
from tillflow.db.schema import metadata
from tillflow.db.uow import engine_of
from tillflow.domain.card_data import contains_card_number

pytestmark = pytest.mark.parametrize("database", ["postgresql"], indirect=True)
PANS = ("4242424242424242", "4000 0000 0000 0341", "5555-5555-5555-4444")


@pytest.fixture
def shop(api: Api, localstripe: str) -> Iterator[CardShop]:
    with card_shop(api, localstripe) as built:
        yield built


def _everything_stored(api: Api) -> str:
    with engine_of(api.ctx.store).connect() as connection:
        return "\n".join(str(row) for table in metadata.sorted_tables
                         for row in connection.execute(text(f"SELECT * FROM {table.name}")))


def test_no_card_number_in_the_database_or_logs(shop: CardShop,
                                                caplog: pytest.LogCaptureFixture,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG)
    refused = [shop.sell(shop.card("5.50", pan.replace(" ", "").replace("-", "")))
               for pan in PANS]
    refused += [shop.sell({"method": "card", "amount": "5.50", "reference": pan})
                for pan in PANS]
    refused.append(shop.sell({**shop.card("5.50"), "card_number": PANS[0]}))
    shop.api.ok(shop.sell(shop.card("5.50")), 201)
    shop.api.ok(shop.sell(shop.card("5.50", "pm_card_chargeCustomerFail")), 409)

    assert {r.status_code for r in refused} == {422}
    stored = _everything_stored(shop.api)
    output = capsys.readouterr()
    logged = "\n".join([caplog.text, output.out, output.err,
                        *(r.text for r in refused)])
    assert "pi_" in stored
    assert not contains_card_number(stored)
    assert not contains_card_number(logged)
