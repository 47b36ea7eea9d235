"""A product with options as one template with attributes in the real Odoo 17 (JSON-RPC)
and 19 (JSON-2): its lines, its variants' SKUs, barcodes and prices read back from Odoo;
prices, values and variants changed; a variant with stock moves whose value goes; and
answers lost after Odoo acted, which make nothing twice. One Odoo per version.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support import odoo_variants as checks
from support.odoo_peer import OdooPeer
from support.odoo_real import Call, admin, client, receive
from tillflow.connectors.odoo.catalog import OdooCatalog
from tillflow.connectors.odoo.client import JSON2


@pytest.fixture
def protocol(odoo_peer: OdooPeer) -> str:
    return JSON2 if odoo_peer.version == "19" else "jsonrpc"


@pytest.fixture
def odoo(odoo_peer: OdooPeer) -> Iterator[Call]:
    with admin(odoo_peer) as call:
        yield call


@pytest.fixture
def catalog(odoo_peer: OdooPeer, protocol: str) -> Iterator[OdooCatalog]:
    connector = OdooCatalog(client(odoo_peer, protocol))
    try:
        yield connector
    finally:
        connector.close()


def test_a_product_with_two_options_is_one_template_with_a_variant_per_sku(
        odoo: Call, catalog: OdooCatalog) -> None:
    checks.made_as_one_template(odoo, catalog)


def test_prices_values_and_variants_change_and_what_goes_is_archived(
        odoo: Call, catalog: OdooCatalog) -> None:
    checks.changed(odoo, catalog)


def test_skus_of_products_of_their_own_join_one_template_and_an_option_goes(
        odoo: Call, catalog: OdooCatalog) -> None:
    checks.reshaped(odoo, catalog)


def test_a_value_of_a_variant_with_stock_moves_goes_and_comes_back(
        odoo: Call, catalog: OdooCatalog, odoo_peer: OdooPeer) -> None:
    checks.moved_value_goes_and_comes_back(
        odoo, catalog, lambda sku: receive(odoo, odoo_peer.version, sku, 3, f"{sku} in"))


@pytest.mark.parametrize(("lost", "body"), checks.LOST)
def test_a_repeat_after_a_lost_answer_makes_nothing_twice(
        odoo: Call, odoo_peer: OdooPeer, protocol: str, lost: str, body: str) -> None:
    checks.repeated_after_a_lost_answer(
        odoo, odoo_peer.url, lambda: OdooCatalog(client(odoo_peer, protocol)), protocol,
        lost, body)
