"""A demo store for the browser register, with its device agent printing to the virtual
printer; shared by the register's end-to-end tests."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

from support.live_server import serving
from support.waiting import wait_until
from tillflow import demo
from tillflow.api.app import create_app
from tillflow.connectors import available
from tillflow.db.engine import build_engine
from tillflow.db.uow import SqlStore
from tillflow.devices.agent.app import create_app as create_agent
from tillflow.devices.agent.settings import AgentSettings
from tillflow.devices.transports import NetworkTransport
from tillflow.domain.barcodes import DEFAULT_RCN_RULES
from tillflow.domain.money import Currency
from tillflow.domain.store import StoreConfig
from tillflow.services import catalog, inventory, locations, staff, tokens
from tillflow.services.context import SYSTEM, ServiceContext
from tillflow.services.payments.gateways import gateways_of
from tillflow_simulators.adyen.runner import RunningAdyenSimulator
from tillflow_simulators.escpos.printer import VirtualPrinter

AGENT_TOKEN = "register-r9-agent-token-0123"
REGISTER = "R9"
CASHIER, CASHIER_PIN = "Ana", "1234"
MANAGER, MANAGER_PIN = "Max", "9876"
WEIGH_RULE = DEFAULT_RCN_RULES[0]
TERMINAL = "V400m-324687828"


@dataclass(frozen=True)
class Store:
    url: str
    ctx: ServiceContext
    admin: httpx.Client
    pairing: str
    agent_url: str
    printer: VirtualPrinter
    weighed_barcode: str


@contextmanager
def running_store(database_url: str, folder: Path) -> Iterator[Store]:
    """The demo catalog plus register R9 (no shift open), its staff and a weighed product."""
    engine = build_engine(database_url)
    ctx = ServiceContext(SqlStore(engine), StoreConfig(currency=Currency.of("USD")),
                         connectors=available.registry())
    _seed(ctx)
    try:
        with VirtualPrinter(port=0) as printer, serving(create_app(ctx)) as url, \
                _agent(printer, folder, origin=url) as agent_url, \
                httpx.Client(base_url=f"{url}/api/v1", timeout=10, headers={
                    "Authorization": f"Bearer {tokens.create_token(ctx, role='admin', name='e2e')}"
                }) as admin:
            yield Store(url=url, ctx=ctx, admin=admin,
                        pairing=staff.pair_register(ctx, register=REGISTER),
                        agent_url=agent_url, printer=printer,
                        weighed_barcode=WEIGH_RULE.build(item="00042", value="00750"))
    finally:
        engine.dispose()


@contextmanager
def adyen_terminal(store: Store, *,
                   settings: dict[str, str] | None = None) -> Iterator[RunningAdyenSimulator]:
    """An Adyen terminal (tillflow's simulator) set as the card terminal of register R9.

    Set it before the page pairs: the register learns its terminal when it pairs and at
    each sign-in. ``settings``: more of the connection's settings (a refund limit).
    """
    with RunningAdyenSimulator() as running:
        running.simulator.add_terminal(TERMINAL)
        store.admin.post("/connections", json={
            "name": "adyen", "platform": "adyen",
            "settings": {"api_base": running.url, "sale_id": "POS-R9", **(settings or {})},
            "secrets": {"api_key": running.api_key, "hmac_key": "00" * 32},
        }).raise_for_status()
        store.admin.put(f"/payments/terminals/{REGISTER}", json={
            "connection": "adyen", "terminal": TERMINAL}).raise_for_status()
        try:
            yield running
        finally:
            gateways_of(store.ctx).close()


def _seed(ctx: ServiceContext) -> None:
    demo.seed(ctx)
    locations.create_register(ctx, code=REGISTER, location_code="S1")
    staff.add_staff(ctx, name=CASHIER, role="cashier", pin=CASHIER_PIN)
    staff.add_staff(ctx, name=MANAGER, role="manager", pin=MANAGER_PIN)
    catalog.create_product(ctx, catalog.ProductInput(
        sku="BANANAS", name="Bananas (kg)", price="2.40", tax_rate="0.05",
        barcodes=[WEIGH_RULE.build(item="00042", value="00000")]))
    inventory.adjust(ctx, SYSTEM, sku="BANANAS", location="S1", delta="20", reason="delivery")


@contextmanager
def _agent(printer: VirtualPrinter, folder: Path, *, origin: str) -> Iterator[str]:
    """The device agent, answering the register page's cross-origin calls from ``origin``."""
    settings = AgentSettings(register=REGISTER, token=AGENT_TOKEN,
                             queue_path=folder / "agent-queue.db",
                             transport=NetworkTransport(host="127.0.0.1", port=printer.port),
                             retry_seconds=0.2, allowed_origins=(origin,))
    app: FastAPI = create_agent(settings)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        wait_until(lambda: server.started, timeout=10, interval=0.01,
                   message="the device agent did not start")
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            thread.join(timeout=10)
