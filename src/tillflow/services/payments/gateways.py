"""The gateway of each payments connection, opened once per connection version.

Opening a gateway builds an HTTP client; keeping it between payments keeps its
connections alive, which is most of what a payment costs tillflow itself.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tillflow.domain.errors import InvalidInput, NotFound
from tillflow.ports.payments import ConfigurationError, PaymentGateway
from tillflow.ports.records import ConnectionRecord
from tillflow.services.connections import connection_secrets
from tillflow.services.context import ServiceContext

Opener = Callable[[str, Mapping[str, Any], Mapping[str, str]], PaymentGateway]


@dataclass(frozen=True)
class PaymentConnection:
    name: str
    platform: str
    capture: str
    mode: str
    gateway: PaymentGateway


@dataclass
class Gateways:
    """Opens (and keeps) the gateway of a connection; tests pass their own ``opener``."""

    # Tests open their own gateways; otherwise the platform's connector spec does.
    opener: Opener | None = None
    _open: dict[str, tuple[int, PaymentConnection]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def connection(self, ctx: ServiceContext, name: str) -> PaymentConnection:
        with ctx.uow(read_only=True) as uow:
            record = uow.connections.get(name)
        return self.of_record(ctx, name, record)

    def of_record(self, ctx: ServiceContext, name: str,
                  record: ConnectionRecord | None) -> PaymentConnection:
        """The gateway of a connection whose record the caller read (None: there is none)."""
        if record is None:
            raise NotFound(f"no connection {name!r}", details={"connection": name})
        spec = ctx.connectors.get(record.platform)
        if spec is None or spec.payments is None:
            raise InvalidInput(f"connection {name!r} does not take payments",
                               details={"field": "connection"})
        with self._lock:
            known = self._open.get(name)
            if known is not None and known[0] == record.version:
                return known[1]
        try:
            secrets = connection_secrets(ctx, name)
            gateway = (self.opener(record.platform, record.settings, secrets)
                       if self.opener is not None
                       else spec.payments(record.settings, secrets))
        except ConfigurationError as exc:
            raise InvalidInput(str(exc), details={"field": "connection"}) from None
        opened = PaymentConnection(
            name=name, platform=record.platform,
            capture=str(record.settings.get("capture", "automatic")),
            mode=str(record.settings.get("mode", "test")), gateway=gateway)
        dropped: PaymentConnection | None
        with self._lock:
            current = self._open.get(name)
            if current is not None and current[0] == record.version:
                # Another request opened it meanwhile: use that one, drop ours.
                kept, dropped = current[1], opened
            else:
                self._open[name] = (record.version, opened)
                kept, dropped = opened, current[1] if current else None
        if dropped is not None:
            dropped.gateway.close()
        return kept

    def opened(self) -> list[str]:
        """The connections whose gateway is open (its HTTP client kept alive)."""
        with self._lock:
            return sorted(self._open)

    def close(self) -> None:
        """Close every open gateway's HTTP client (when tillflow stops)."""
        with self._lock:
            opened, self._open = list(self._open.values()), {}
        for _, connection in opened:
            connection.gateway.close()


_BY_CONTEXT: weakref.WeakKeyDictionary[ServiceContext, Gateways] = weakref.WeakKeyDictionary()
_GUARD = threading.Lock()


def gateways_of(ctx: ServiceContext) -> Gateways:
    """The gateways of this service context (one set per running tillflow)."""
    with _GUARD:
        found = _BY_CONTEXT.get(ctx)
        if found is None:
            found = _BY_CONTEXT[ctx] = Gateways()
        return found


def use_gateways(ctx: ServiceContext, gateways: Gateways) -> None:
    """Serve this context's payments through ``gateways`` (an in-memory one in tests)."""
    with _GUARD:
        _BY_CONTEXT[ctx] = gateways
