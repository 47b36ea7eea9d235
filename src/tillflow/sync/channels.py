"""Which connections are web shops, and their open channels.

A channel is built from a connection's settings and opened secrets by the platform's
factory (the composition root supplies the factories, so a new platform never touches
the engine) and is rebuilt when the connection's version changes.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from tillflow.domain.errors import InvalidInput
from tillflow.ports.commerce import ChannelFactory, CommerceChannel
from tillflow.services import connections
from tillflow.services.connections import ConnectionView
from tillflow.services.context import ServiceContext


@dataclass(frozen=True)
class Shop:
    """A commerce connection as the engine sees it."""

    view: ConnectionView

    @property
    def name(self) -> str:
        return self.view.name

    @property
    def platform(self) -> str:
        return self.view.platform

    @property
    def buffer(self) -> int:
        return int(self.view.settings.get("safety_buffer", 0) or 0)

    @property
    def push_pos_sales(self) -> bool:
        """Till sales become paid orders in the shop unless the setting is false."""
        return self.view.settings.get("push_pos_sales", True) is not False

    def poll_every(self, default: float) -> float:
        """Seconds between polls of this shop: its ``poll_interval`` setting, else the
        worker's."""
        setting = self.view.settings.get("poll_interval")
        return float(setting) if isinstance(setting, int) and setting > 0 else default

    @property
    def tenders(self) -> Mapping[str, str]:
        """The ``tenders`` setting: the shop's payment gateways -> tender methods."""
        found: Mapping[str, str] = self.view.settings.get("tenders") or {}
        return found

    def platform_locations(self) -> dict[str | None, str]:
        """Platform location id (None: the shop's primary) -> tillflow location code."""
        mapped: dict[str | None, str] = {}
        if self.view.settings.get("location"):
            mapped[None] = str(self.view.settings["location"])
        extra: Mapping[str, Any] = self.view.settings.get("locations") or {}
        mapped.update({str(k): str(v) for k, v in extra.items()})
        return mapped

    def tillflow_locations(self) -> set[str]:
        return set(self.platform_locations().values())

    def available(self, on_hand: Decimal) -> int:
        """What the shop is told: on-hand less the safety buffer, whole units, never < 0."""
        whole = int(on_hand.to_integral_value(rounding=ROUND_FLOOR))
        return max(0, whole - self.buffer)


class Channels:
    def __init__(self, ctx: ServiceContext, factories: Mapping[str, ChannelFactory]) -> None:
        self._ctx = ctx
        self._factories = dict(factories)
        self._open: dict[str, tuple[int, CommerceChannel]] = {}
        self._lock = threading.Lock()

    @property
    def platforms(self) -> frozenset[str]:
        return frozenset(self._factories)

    def shops(self) -> list[Shop]:
        return [Shop(v) for v in connections.list_connections(self._ctx)
                if v.platform in self._factories]

    def shop(self, name: str) -> Shop:
        view = connections.get_connection(self._ctx, name)
        if view.platform not in self._factories:
            raise InvalidInput(f"connection {name!r} is not a web shop",
                               details={"name": name, "platform": view.platform})
        return Shop(view)

    def channel(self, shop: Shop) -> CommerceChannel:
        with self._lock:
            cached = self._open.get(shop.name)
            if cached is not None and cached[0] == shop.view.version:
                return cached[1]
            if cached is not None:
                cached[1].close()
            secrets = connections.connection_secrets(self._ctx, shop.name)
            channel = self._factories[shop.platform](shop.view.settings, secrets)
            self._open[shop.name] = (shop.view.version, channel)
            return channel

    def close(self) -> None:
        with self._lock:
            for _, channel in self._open.values():
                channel.close()
            self._open.clear()
