"""The real WooCommerce peer: one stack (MariaDB, php-fpm, nginx) for the test session and
a fresh shop, loaded from the clean dump, for each test module that asks for one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.peers import require_peer_files
from support.woo_either import EitherShop, either_shop
from support.woocommerce_peer import REAL_WOO, WooShop, WooStack, install, peer_files


@pytest.fixture(scope="session")
def woo_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WooStack]:
    require_peer_files(*peer_files())
    stack = WooStack(install(), tmp_path_factory.mktemp("woocommerce"))
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def woo_shop(woo_stack: WooStack, request: pytest.FixtureRequest) -> Iterator[WooShop]:
    shop = woo_stack.new_shop(request.module.__name__.rpartition(".")[2])
    try:
        yield shop
    finally:
        woo_stack.close_shop(shop)


@pytest.fixture(scope="module", params=["simulator", REAL_WOO])
def woo_either(request: pytest.FixtureRequest) -> Iterator[EitherShop]:
    yield from either_shop(request)
