"""The stored description of WooCommerce's REST API (tests/fixtures/woocommerce), against
which the simulator is checked, is what the real shop says of itself.
``tests/peers/woocommerce/capture_schema.py`` writes it again."""

from __future__ import annotations

import json

from support.woocommerce_peer import SCHEMA_FILE, WooShop, rest_schema


def test_the_stored_rest_schema_is_what_the_real_shop_describes(woo_shop: WooShop) -> None:
    stored = json.loads(SCHEMA_FILE.read_text())
    described = rest_schema(woo_shop)

    changed = [route for route in described["routes"]
               if described["routes"][route] != stored["routes"].get(route)]
    assert not changed, f"routes described differently: {changed}"
    assert described["index"] == stored["index"]
