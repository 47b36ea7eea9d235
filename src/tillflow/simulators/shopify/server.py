"""Starts and stops a simulated Shopify shop on a loopback port.

with ShopifySimulator(rate_limits=False) as sim:
    sim.seed(10)
    httpx.post(sim.graphql_url(), headers={"X-Shopify-Access-Token": sim.access_token}, ...)
"""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType
from typing import Any

import uvicorn

from tillflow.simulators.shopify.app import create_app
from tillflow.simulators.shopify.core import (
    DEFAULT_ACCESS_TOKEN,
    DEFAULT_WEBHOOK_SECRET,
    ShopConfig,
    SimulatedShop,
)
from tillflow.simulators.shopify.delivery import DeliveryPolicy
from tillflow.simulators.shopify.faults import FaultPlan
from tillflow.simulators.shopify.model import Order, Product
from tillflow.simulators.shopify.store import Clock, utc_now
from tillflow.simulators.shopify.throttle import RateLimits

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
            )
        )
        self.host = host
        self._requested_port = port
        self._socket: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------

    def _bind(self) -> socket.socket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self._requested_port))
        self._socket = sock
        return sock

    def _make_server(self) -> uvicorn.Server:
        config = uvicorn.Config(
            create_app(self.shop),
            log_level="warning",
            access_log=False,
            lifespan="off",
        )
        self._server = uvicorn.Server(config)
        return self._server

    def start(self) -> ShopifySimulator:
        sock = self._bind()
        server = self._make_server()
        self._thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="shopify-sim-http", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                self.stop()
                raise RuntimeError("the Shopify simulator did not start")
            time.sleep(0.01)
        self.shop.webhooks.start()
        return self

    def run_foreground(self) -> None:
        """Serve in the calling thread until interrupted (Ctrl-C), then clean up."""
        sock = self._bind()
        self.shop.webhooks.start()
        try:
            self._make_server().run(sockets=[sock])
        finally:
            self.shop.close()
            sock.close()

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=STARTUP_TIMEOUT)
        if self._socket is not None:
            self._socket.close()
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
        if self._socket is None:
            raise RuntimeError("the simulator is not running")
        port: int = self._socket.getsockname()[1]
        return port

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

    def place_order(self, lines: list[tuple[str, int]], **options: Any) -> Order:
        return self.shop.place_order(lines, **options)

    def cancel_order(self, order_id: str | int, **options: Any) -> Order:
        return self.shop.cancel_order(order_id, **options)

    def set_stock(self, sku: str, available: int, **options: Any) -> None:
        self.shop.set_stock(sku, available, **options)

    def available(self, sku: str, location: str | int | None = None) -> int:
        return self.shop.available(sku, location)

    def wait_for_webhooks(self, timeout: float = 10.0) -> bool:
        return self.shop.webhooks.wait_idle(timeout)
