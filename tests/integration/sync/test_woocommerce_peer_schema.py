"""The stored description of WooCommerce's REST API (tests/fixtures/woocommerce), against
which the simulator is checked, is what the real shop says of itself, and the shop's
answers hold the fields it describes (but for the differences named in
``support.woocommerce_peer``). ``tests/peers/woocommerce/capture_schema.py`` writes it
again."""

from __future__ import annotations

import json

from support.woocommerce_peer import (
    SCHEMA_FILE,
    WooShop,
    field_problems,
    rest_schema,
    sample_records,
)


def test_the_stored_rest_schema_is_what_the_real_shop_describes(woo_shop: WooShop) -> None:
    stored = json.loads(SCHEMA_FILE.read_text())
    described = rest_schema(woo_shop)

    changed = [route for route in described["routes"]
               if described["routes"][route] != stored["routes"].get(route)]
    assert not changed, f"routes described differently: {changed}"
    assert described["index"] == stored["index"]


def test_the_real_shops_answers_hold_the_fields_it_describes(woo_shop: WooShop) -> None:
    with woo_shop.client() as api:
        samples = sample_records(api, "FIELDS")
    problems = [problem for route, records in samples.items() for record in records
                for problem in field_problems(route, record)]
    assert problems == []
