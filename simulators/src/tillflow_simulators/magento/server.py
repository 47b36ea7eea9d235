"""Starts and stops a simulated Magento Open Source store, and lets a test act on it.

with MagentoSimulator(access_token="t0k3n") as sim:
    sim.add_product("MUG-1", "Mug", "12.50", qty=10)
    httpx.get(f"{sim.rest_url}/V1/products/MUG-1", headers={"Authorization": "Bearer t0k3n"})
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from types import TracebackType
from typing import Any

import uvicorn

from tillflow_simulators.common.chaos import ChaosControls, FaultRule, RateLimiter
from tillflow_simulators.common.server import BackgroundServer, ServerStartError
from tillflow_simulators.magento import (
    api_attributes,
    catalog,
    checkout,
    configurable,
    inventory,
    sales,
    schema,
)
from tillflow_simulators.magento import attributes as store_attributes
from tillflow_simulators.magento.app import create_app
from tillflow_simulators.magento.auth import Authenticator, Integration
from tillflow_simulators.magento.bulk import BulkQueue
from tillflow_simulators.magento.model import (
    Attribute,
    Order,
    Product,
    Reservation,
    Source,
    StockSourceLink,
)
from tillflow_simulators.magento.rest import RestApi, Violation
from tillflow_simulators.magento.store import (
    DEFAULT_SOURCE,
    DEFAULT_STOCK_ID,
    Clock,
    MagentoStore,
    StoreSettings,
    utc_now,
)

# The integration a new simulated store has activated; Magento's keys are 32 characters.
CONSUMER_KEY = "tillflowsimulatorconsumerkey0001"
CONSUMER_SECRET = "tillflowsimulatorconsumersecret1"  # noqa: S105
ACCESS_TOKEN = "tillflowsimulatoraccesstoken0001"  # noqa: S105
ACCESS_TOKEN_SECRET = "tillflowsimulatortokensecret0001"  # noqa: S105
STARTUP_TIMEOUT = 10.0
GUEST_ADDRESS = {
    "firstname": "Ada",
    "lastname": "Guest",
    "street": ["1 Main Street"],
    "city": "Austin",
    "region": "Texas",
    "region_id": 57,
    "region_code": "TX",
    "postcode": "78701",
    "country_id": "US",
    "telephone": "5125550100",
    "email": "ada@example.com",
}


class MagentoSimulator:
    def __init__(
        self,
        *,
        access_token: str | None = None,
        version: str = schema.DEFAULT_VERSION,
        input_limits: bool = False,
        consumers: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Clock = utc_now,
    ) -> None:
        """``access_token`` is the integration's token and allows it as a bearer token (the
        store setting off by default since 2.4.4); without it only OAuth 1.0a signs in.
        ``consumers=False`` leaves asynchronous requests queued until ``run_consumers()``."""
        self.integration = Integration(
            consumer_key=CONSUMER_KEY,
            consumer_secret=CONSUMER_SECRET,
            access_token=access_token or ACCESS_TOKEN,
            access_token_secret=ACCESS_TOKEN_SECRET,
            bearer_allowed=access_token is not None,
        )
        self.store = MagentoStore(
            settings=StoreSettings(version=version, input_limits=input_limits), clock=clock
        )
        self.queue = BulkQueue(self.store, auto=consumers)
        self.chaos = ChaosControls()
        self.host = host
        self._server = BackgroundServer(
            create_app(self._api(port), self.chaos), host=host, port=port
        )
        self.schema_load_seconds = 0.0

    def _api(self, port: int) -> RestApi:
        self.api = RestApi(
            self.store,
            Authenticator(self.integration),
            self.queue,
            base_url=f"http://{self.host}:{port}/",
        )
        return self.api

    # -- lifecycle --------------------------------------------------------------------

    def start(self) -> MagentoSimulator:
        self.schema_load_seconds = schema.load_timed(self.store.settings.version)
        try:
            self._server.start(timeout=STARTUP_TIMEOUT)
        except ServerStartError:
            self.stop()
            raise
        self.api.base_url = self.url + "/"
        self.queue.start()
        return self

    def run_foreground(self) -> None:
        """Serve in the calling thread until interrupted (Ctrl-C)."""
        self.schema_load_seconds = schema.load_timed(self.store.settings.version)
        self.api.base_url = f"http://{self.host}:{self._server.requested_port}/"
        self.queue.start()
        try:
            uvicorn.run(
                create_app(self.api, self.chaos),
                host=self.host,
                port=self._server.requested_port,
                log_level="warning",
                access_log=False,
            )
        finally:
            self.queue.stop()

    def stop(self) -> None:
        self._server.stop(timeout=STARTUP_TIMEOUT)
        self.queue.stop()

    def __enter__(self) -> MagentoSimulator:
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

    @property
    def rest_url(self) -> str:
        """``…/rest``: append ``/V1/...``, ``/default/V1/...`` or ``/all/V1/...``."""
        return f"{self.url}/rest"

    @property
    def access_token(self) -> str | None:
        """The bearer token, when the store accepts one."""
        return self.integration.access_token if self.integration.bearer_allowed else None

    @property
    def violations(self) -> list[Violation]:
        """Answers the simulator gave that Adobe's schema refuses (should stay empty)."""
        return list(self.api.violations)

    # -- faults -------------------------------------------------------------------------

    def fail_next(
        self,
        status: int = 500,
        *,
        count: int = 1,
        path_prefix: str = "/rest/",
        method: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        self.chaos.faults.add(
            FaultRule(
                status=status,
                count=count,
                path_prefix=path_prefix,
                method=method,
                retry_after=retry_after,
            )
        )

    def slow_next(
        self,
        delay: float,
        *,
        count: int = 1,
        path_prefix: str = "/rest/",
        method: str | None = None,
    ) -> None:
        """Answer late, after doing the work: the client may time out on a change made."""
        self.chaos.faults.add(
            FaultRule(status=None, delay=delay, count=count, path_prefix=path_prefix, method=method)
        )

    def rate_limit(self, *, rate: float, burst: int) -> None:
        self.chaos.limiter = RateLimiter(rate=rate, burst=burst)

    def clear_faults(self) -> None:
        self.chaos.faults.clear()
        self.chaos.limiter = None

    # -- what tests do to the store ------------------------------------------------------

    def add_product(
        self,
        sku: str,
        name: str,
        price: Decimal | str | int,
        *,
        qty: Decimal | str | int | None = None,
        type_id: str = "simple",
        attributes: Mapping[str, str] | None = None,
    ) -> Product:
        """``attributes``: a select attribute's code and the label of the product's option
        (the option is added when the attribute lacks it)."""
        data: dict[str, Any] = {
            "sku": sku,
            "name": name,
            "price": Decimal(price),
            "type_id": type_id,
        }
        if qty is not None:
            data["extension_attributes"] = {"stock_item": {"qty": Decimal(qty)}}
        with self.store.lock:
            if attributes:
                data["custom_attributes"] = [
                    {"attribute_code": code, "value": self._option_id(code, label)}
                    for code, label in attributes.items()
                ]
            return catalog.save(self.store, data)

    def add_attribute(self, code: str, label: str, values: Sequence[str] = ()) -> Attribute:
        """A global select attribute in the default attribute set, as a merchant makes one
        for configurable products."""
        with self.store.lock:
            made = store_attributes.create(
                self.store.attributes,
                {
                    "attribute_code": code,
                    "default_frontend_label": label,
                    "frontend_input": "select",
                    "scope": "global",
                },
                api_attributes.FIRST_ATTRIBUTE_ID + self.store.next_id("attribute"),
            )
            store_attributes.assign(
                self.store.attribute_sets,
                made,
                store_attributes.DEFAULT_SET,
                store_attributes.PRODUCT_DETAILS,
            )
            for value in values:
                self._option_id(code, value)
            return made

    def _option_id(self, code: str, label: str) -> str:
        attribute = store_attributes.get(self.store.attributes, code)
        option = store_attributes.option_by_label(attribute, label) or store_attributes.add_option(
            attribute,
            {"label": label},
            api_attributes.FIRST_OPTION_ID + self.store.next_id("attribute-option"),
        )
        return str(option.option_id)

    def add_configurable(
        self,
        sku: str,
        name: str,
        children: Sequence[str],
        *,
        attributes: Sequence[str] = ("color",),
    ) -> Product:
        """A configurable product of ``children`` (made before, with their values of
        ``attributes``), as the admin's configuration wizard makes it."""
        with self.store.lock:
            parent = catalog.save(self.store, {"sku": sku, "name": name, "type_id": "configurable"})
            linked = [catalog.get(self.store, c) for c in children]
            for position, code in enumerate(attributes):
                attribute = store_attributes.get(self.store.attributes, code)
                used = sorted(
                    {
                        int(c.custom_attributes[code])
                        for c in linked
                        if c.custom_attributes.get(code)
                    }
                )
                configurable.save_option(
                    self.store,
                    sku,
                    {
                        "attribute_id": attribute.attribute_id,
                        "label": attribute.label,
                        "position": position,
                        "values": [{"value_index": v} for v in used],
                    },
                )
            for child in children:
                configurable.add_child(self.store, sku, child)
            return parent

    def seed(self, count: int) -> list[Product]:
        return [
            self.add_product(f"SIM-{n:04d}", f"Simulated product {n}", Decimal(10 + n), qty=100)
            for n in range(len(self.store.products) + 1, len(self.store.products) + count + 1)
        ]

    def product(self, sku: str) -> Product:
        with self.store.lock:
            return catalog.get(self.store, sku)

    def add_source(
        self, code: str, name: str, *, stock_id: int = DEFAULT_STOCK_ID, priority: int = 2
    ) -> Source:
        with self.store.lock:
            source = self.store.sources.setdefault(code, Source(code, name))
            self.store.links.append(StockSourceLink(stock_id, code, priority))
            return source

    def set_source_item(
        self,
        sku: str,
        quantity: Decimal | str | int,
        *,
        source_code: str = DEFAULT_SOURCE,
        status: int | None = None,
    ) -> None:
        """Change stock behind the connector's back, as a merchant in the admin would."""
        with self.store.lock:
            inventory.set_quantity(self.store, sku, source_code, Decimal(quantity), status)

    def source_quantity(self, sku: str, source_code: str = DEFAULT_SOURCE) -> Decimal | None:
        with self.store.lock:
            item = inventory.source_item(self.store, sku, source_code)
            return None if item is None else item.quantity

    def salable_quantity(self, sku: str, stock_id: int = DEFAULT_STOCK_ID) -> Decimal:
        with self.store.lock:
            return inventory.salable_quantity(self.store, sku, stock_id)

    def reservations(self, sku: str | None = None) -> list[Reservation]:
        with self.store.lock:
            return [
                r for r in self.store.reservations if sku is None or r.sku.lower() == sku.lower()
            ]

    def place_guest_order(
        self,
        lines: Sequence[tuple[str, Decimal | str | int]],
        *,
        email: str = "ada@example.com",
        address: dict[str, Any] | None = None,
    ) -> Order:
        """A shopper checks out on the storefront: cart, flat rate, check / money order."""
        where = {**GUEST_ADDRESS, "email": email, **(address or {})}
        with self.store.lock:
            cart = checkout.create(self.store)
            for sku, qty in lines:
                checkout.add_item(self.store, cart, sku, Decimal(qty))
            checkout.set_shipping(
                self.store,
                cart,
                {
                    "shipping_address": where,
                    "billing_address": where,
                    "shipping_carrier_code": "flatrate",
                    "shipping_method_code": "flatrate",
                },
            )
            return checkout.place(self.store, cart, email=email, payment={"method": "checkmo"})

    def order(self, order_id: int) -> Order:
        with self.store.lock:
            return sales.get(self.store, order_id)

    def orders(self) -> list[Order]:
        with self.store.lock:
            return sorted(self.store.orders.values(), key=lambda o: o.entity_id)

    def cancel_order(self, order_id: int) -> bool:
        with self.store.lock:
            return sales.cancel(self.store, order_id)

    def run_consumers(self) -> int:
        """Run the queued asynchronous operations now (with ``consumers=False``)."""
        return self.queue.run_pending()

    def wait_for_consumers(self, timeout: float = 10.0) -> bool:
        return self.queue.wait_idle(timeout)
