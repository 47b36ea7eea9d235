"""Starts and stops a simulated Shopify shop on a loopback port.

with ShopifySimulator(rate_limits=False) as sim:
    sim.seed(10)
    httpx.post(sim.graphql_url(), headers={"X-Shopify-Access-Token": sim.access_token}, ...)
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from types import TracebackType
from typing import Any

import uvicorn

from tillflow_simulators.common.server import BackgroundServer, ServerStartError
from tillflow_simulators.shopify.app import create_app
from tillflow_simulators.shopify.bulk import DEFAULT_LINES_PER_SECOND
from tillflow_simulators.shopify.core import (
    DEFAULT_ACCESS_TOKEN,
    DEFAULT_WEBHOOK_SECRET,
    ShopConfig,
    SimulatedShop,
)
from tillflow_simulators.shopify.delivery import DeliveryPolicy
from tillflow_simulators.shopify.executable import executable_schema as prepare_schema
from tillflow_simulators.shopify.faults import FaultPlan
from tillflow_simulators.shopify.model import Order, Product
from tillflow_simulators.shopify.store import Clock, utc_now
from tillflow_simulators.shopify.throttle import RateLimits

API_VERSION = "2026-10"
STARTUP_TIMEOUT = 10.0


class ShopifySimulator:
    def __init__(
        self,
        *,
        access_token: str = DEFAULT_ACCESS_TOKEN,
        webhook_secret: str = DEFAULT_WEBHOOK_SECRET,
        rate_limits: bool | RateLimits = False,
        delivery: DeliveryPolicy | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        fault_seed: int = 0,
        clock: Clock = utc_now,
        currency: str = "USD",
        tax_rate: Decimal = Decimal(0),
        taxes_included: bool = False,
        bulk_lines_per_second: float = DEFAULT_LINES_PER_SECOND,
    ) -> None:
        limits = (
            rate_limits
            if isinstance(rate_limits, RateLimits)
            else (RateLimits.standard() if rate_limits else RateLimits.unlimited())
        )
        self.shop = SimulatedShop(
            ShopConfig(
                access_token=access_token,
                webhook_secret=webhook_secret,
                rate_limits=limits,
                delivery=delivery or DeliveryPolicy(),
                fault_seed=fault_seed,
                clock=clock,
                currency=currency,
                tax_rate=tax_rate,
                taxes_included=taxes_included,
                bulk_lines_per_second=bulk_lines_per_second,
            )
        )
        self.host = host
        self._server = BackgroundServer(create_app(self.shop), host=host, port=port)

    # -- lifecycle --------------------------------------------------------------------

    def start(self) -> ShopifySimulator:
        prepare_schema(API_VERSION)
        try:
            self._server.start(timeout=STARTUP_TIMEOUT)
        except ServerStartError:
            self.stop()
            raise
        self.shop.webhooks.start()
        return self

    def run_foreground(self) -> None:
        """Serve in the calling thread until interrupted (Ctrl-C), then clean up."""
        prepare_schema(API_VERSION)
        self.shop.webhooks.start()
        try:
            uvicorn.run(create_app(self.shop), host=self.host, port=self._server.requested_port,
                        log_level="warning", access_log=False)
        finally:
            self.shop.close()

    def stop(self) -> None:
        self._server.stop(timeout=STARTUP_TIMEOUT)
        self.shop.close()

    def __enter__(self) -> ShopifySimulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addresses and secrets ----------------------------------------------------------

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def graphql_url(self, version: str = API_VERSION) -> str:
        return f"{self.url}/admin/api/{version}/graphql.json"

    @property
    def access_token(self) -> str:
        return self.shop.config.access_token

    @property
    def webhook_secret(self) -> str:
        return self.shop.config.webhook_secret

    # -- what tests do to the shop ------------------------------------------------------

    @property
    def faults(self) -> FaultPlan:
        return self.shop.faults

    def seed(self, count: int) -> list[Product]:
        return self.shop.seed(count)

    def place_order(self, lines: Sequence[tuple[str, int] | tuple[str, int, Decimal]],
                    **options: Any) -> Order:
        return self.shop.place_order(lines, **options)

    def cancel_order(self, order_id: str | int, **options: Any) -> Order:
        return self.shop.cancel_order(order_id, **options)

    def mark_as_paid(self, order_id: str | int) -> Order:
        return self.shop.mark_as_paid(order_id)

    def refund(self, order_id: str | int, lines: list[tuple[str, int]], **options: Any) -> Order:
        return self.shop.refund(order_id, lines, **options)

    def set_stock(self, sku: str, available: int, **options: Any) -> None:
        self.shop.set_stock(sku, available, **options)

    def available(self, sku: str, location: str | int | None = None) -> int:
        return self.shop.available(sku, location)

    def wait_for_webhooks(self, timeout: float = 10.0) -> bool:
        return self.shop.webhooks.wait_idle(timeout)
