"""The in-process handle tests use: start the shop on loopback, inspect it, break it.

The shop is served over HTTPS with a certificate it makes itself (``certificate`` is the
PEM file a client trusts), and over plain HTTP on a port of its own (``http_url``), where,
as in WooCommerce, a REST key counts for nothing.
"""

from __future__ import annotations

import shutil
import ssl
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from tillflow_simulators.common.chaos import ChaosControls, FaultRule, RateLimiter
from tillflow_simulators.common.server import BackgroundServer
from tillflow_simulators.common.tls import self_signed
from tillflow_simulators.common.webhooks import (
    DeliveryAttempt,
    RetryPolicy,
    WebhookFaults,
    WebhookSender,
)
from tillflow_simulators.woocommerce import accounts, shapes, storefront
from tillflow_simulators.woocommerce.app import build_app
from tillflow_simulators.woocommerce.auth import ApiKey
from tillflow_simulators.woocommerce.hooks import WebhookDispatch
from tillflow_simulators.woocommerce.state import Clock, ShopSettings, ShopState, utc_now
from tillflow_simulators.woocommerce.web import PREFIX, Shop

DEFAULT_CONSUMER_KEY = "ck_tillflow_simulator"
DEFAULT_CONSUMER_SECRET = "cs_tillflow_simulator"  # noqa: S105 - a well-known test credential


class WooCommerceSimulator:
    """A WooCommerce shop served on ``host`` (a free port unless ``port`` is given)."""

    def __init__(
        self,
        *,
        consumer_key: str = DEFAULT_CONSUMER_KEY,
        consumer_secret: str = DEFAULT_CONSUMER_SECRET,
        permissions: str = "read_write",
        host: str = "127.0.0.1",
        port: int = 0,
        http_port: int = 0,
        clock: Clock = utc_now,
        settings: ShopSettings | None = None,
        webhook_retry: RetryPolicy | None = None,
        webhook_timeout: float = 5.0,
        webhook_reorder_hold: float = 0.5,
    ) -> None:
        self.state = ShopState(clock=clock, settings=settings or ShopSettings())
        accounts.add_administrator(self.state)
        self.sender = WebhookSender(
            retry=webhook_retry, timeout=webhook_timeout, reorder_hold=webhook_reorder_hold
        )
        self.controls = ChaosControls()
        self.api_key = ApiKey(consumer_key, consumer_secret, permissions)
        self.shop = Shop(
            state=self.state,
            api_key=self.api_key,
            dispatch=WebhookDispatch(self.state, self.sender),
            controls=self.controls,
        )
        self.app = build_app(self.shop)
        self.tls = self_signed(name="tillflow WooCommerce simulator")
        self._server = BackgroundServer(self.app, host=host, port=port, certificate=self.tls)
        self._plain = BackgroundServer(self.app, host=host, port=http_port, lifespan=False)

    # Lifecycle -------------------------------------------------------------------------

    def start(self) -> WooCommerceSimulator:
        self._server.bind()
        self.state.site_url = self._server.url
        self._server.start()
        self._plain.start()
        return self

    def stop(self) -> None:
        self._plain.stop()
        self._server.stop()
        shutil.rmtree(self.tls.certificate.parent, ignore_errors=True)

    def __enter__(self) -> WooCommerceSimulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The shop's HTTPS address."""
        return self._server.url

    @property
    def http_url(self) -> str:
        """The same shop over plain HTTP, where WooCommerce refuses its REST keys."""
        return self._plain.url

    @property
    def certificate(self) -> Path:
        """The shop's self-signed certificate (PEM): a client's CA file."""
        return self.tls.certificate

    def ssl_context(self) -> ssl.SSLContext:
        return self.tls.client_context()

    def client(self, *, timeout: float = 5.0) -> httpx.Client:
        """The REST API over HTTPS with the key in HTTP Basic, trusting the shop."""
        return httpx.Client(
            base_url=self.api_url, auth=self.auth, verify=self.ssl_context(), timeout=timeout
        )

    @property
    def api_url(self) -> str:
        return f"{self.url}{PREFIX}"

    @property
    def auth(self) -> tuple[str, str]:
        """HTTP Basic credentials for an HTTP client."""
        return (self.api_key.consumer_key, self.api_key.consumer_secret)

    # Faults ----------------------------------------------------------------------------

    def fail_next(
        self,
        count: int = 1,
        *,
        status: int = 500,
        path_prefix: str = PREFIX,
        method: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        self.controls.faults.add(
            FaultRule(
                status=status,
                count=count,
                path_prefix=path_prefix,
                method=method,
                retry_after=retry_after,
            )
        )

    def delay_next(
        self,
        count: int = 1,
        *,
        seconds: float,
        path_prefix: str = PREFIX,
        method: str | None = None,
        status: int | None = None,
    ) -> None:
        """Answer late; with ``status=None`` the request still takes effect."""
        self.controls.faults.add(
            FaultRule(
                status=status, count=count, delay=seconds, path_prefix=path_prefix, method=method
            )
        )

    def clear_faults(self) -> None:
        self.controls.faults.clear()

    def rate_limit(self, *, rate: float, burst: int) -> None:
        self.controls.limiter = RateLimiter(rate=rate, burst=burst)

    def clear_rate_limit(self) -> None:
        self.controls.limiter = None

    @property
    def webhook_faults(self) -> WebhookFaults:
        return self.sender.faults

    # The shop --------------------------------------------------------------------------

    def seed(self, count: int) -> list[dict[str, Any]]:
        created = storefront.seed_products(self.state, count)
        with self.state.lock:
            return [shapes.product(self.state, record) for record in created]

    def place_order(
        self,
        lines: Sequence[tuple[str, int]],
        *,
        paid: bool = True,
        billing: Mapping[str, str] | None = None,
        customer_id: int = 0,
        payment_method: str = "stripe",
        coupon: tuple[str, str, Decimal] | None = None,
        shipping: tuple[str, Decimal] | None = None,
        fees: Sequence[tuple[str, Decimal]] = (),
    ) -> dict[str, Any]:
        """A shopper's checkout: reduces stock and fires the order webhooks."""
        record = storefront.place_order(
            self.state, lines, paid=paid, billing=billing, customer_id=customer_id,
            payment_method=payment_method, coupon=coupon, shipping=shipping, fees=fees,
        )
        with self.state.lock:
            return shapes.order(self.state, record)

    def set_stock(self, sku: str, quantity: int, *, announce: bool = False) -> None:
        storefront.set_stock(self.state, sku, quantity, announce=announce)

    def stock(self, sku: str) -> int | None:
        return storefront.stock_of(self.state, sku)

    def product(self, sku: str) -> dict[str, Any]:
        with self.state.lock:
            return shapes.stocked(self.state, storefront.require_sku(self.state, sku))

    # Webhook deliveries ----------------------------------------------------------------

    @property
    def deliveries(self) -> list[DeliveryAttempt]:
        return self.sender.attempts

    def wait_for_deliveries(self, count: int, *, timeout: float = 10.0) -> list[DeliveryAttempt]:
        return self.sender.wait_for_attempts(count, timeout=timeout)

    def wait_idle(self, *, timeout: float = 10.0) -> bool:
        return self.sender.wait_idle(timeout=timeout)
