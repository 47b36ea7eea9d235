"""A WooCommerce shop for tests that run on the real shop and on the simulator alike."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from support.woocommerce_peer import WooShop
from tillflow.connectors.woocommerce.adapter import WooCommerceChannel
from tillflow.connectors.woocommerce.factory import woocommerce_channel
from tillflow_simulators.woocommerce import WooCommerceSimulator


@dataclass(frozen=True)
class EitherShop:
    """The shop's address, key and certificate, and its REST API (``api``)."""

    url: str
    key: tuple[str, str]
    certificate: Path
    api: httpx.Client

    def channel(self) -> WooCommerceChannel:
        return woocommerce_channel(
            {"shop_url": self.url, "ca_file": str(self.certificate)},
            {"consumer_key": self.key[0], "consumer_secret": self.key[1]})


def either_shop(request: pytest.FixtureRequest) -> Iterator[EitherShop]:
    """The real shop of the module (``woo_shop``) for the param "real", else a simulator."""
    if request.param == "real":
        real: WooShop = request.getfixturevalue("woo_shop")
        with real.client() as api:
            yield EitherShop(real.url, (real.consumer_key, real.consumer_secret),
                             real.certificate, api)
        return
    with WooCommerceSimulator() as sim, sim.client(timeout=30) as api:
        yield EitherShop(sim.url, sim.auth, sim.certificate, api)
