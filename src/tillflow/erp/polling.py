"""A worker job that takes goods received and products from each ERP on a schedule.

Every ``poll_seconds`` (60 by default, 0 turns it off) each ERP connection that syncs
products and receipts runs the scopes named in ``settings.poll`` (``receipts`` and
``products-in`` by default). A lease per connection, held for the interval, keeps other
workers from polling the same ERP in between; imports are idempotent anyway, so a poll
run twice counts nothing twice.

SaaS books (Xero, QuickBooks) keep no goods received for a till; where they master the
catalog (``settings.catalog`` ``erp``) their items come in every ``BOOKS_SECONDS``, a
pace that spends little of Xero's 5,000 calls a day (96 of them).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import structlog

from tillflow.db import outbox
from tillflow.db.uow import connection_of
from tillflow.domain.errors import InvalidInput
from tillflow.erp.procurement import sync
from tillflow.ports.accounting import (
    ERP_MASTERS,
    POLLED_SCOPES,
    ErpCatalog,
    ErpError,
    catalog_master_of,
)
from tillflow.services.context import ServiceContext

log = structlog.get_logger("tillflow.erp")

LEASE_PREFIX = "erp.poll:"
DEFAULT_SECONDS = 60
POLLED_PLATFORMS = frozenset({"tryton", "odoo"})
BOOKS_PLATFORMS = frozenset({"xero", "quickbooks"})
BOOKS_SECONDS = 900
CatalogFactory = Callable[[ServiceContext, str], ErpCatalog]


def poll_interval(settings: dict[str, Any]) -> timedelta:
    return timedelta(seconds=int(settings.get("poll_seconds", DEFAULT_SECONDS)))


def poll_scopes(settings: dict[str, Any]) -> tuple[str, ...]:
    return tuple(settings.get("poll", POLLED_SCOPES))


@dataclass
class ErpPolling:
    ctx: ServiceContext
    catalogs: CatalogFactory
    owner: str = field(default_factory=lambda: uuid.uuid4().hex)
    due: dict[str, datetime] = field(default_factory=dict)

    def run_once(self) -> int:
        changed = 0
        with self.ctx.uow(read_only=True) as uow:
            records = [(r.name, r.platform, r.settings) for r in uow.connections.all()
                       if r.platform in POLLED_PLATFORMS | BOOKS_PLATFORMS]
        for name, platform, settings in records:
            scopes: tuple[str, ...]
            if platform in BOOKS_PLATFORMS:
                if catalog_master_of(settings) != ERP_MASTERS:
                    continue
                interval, scopes = timedelta(seconds=BOOKS_SECONDS), ("products-in",)
            else:
                interval, scopes = poll_interval(settings), poll_scopes(settings)
            if interval <= timedelta(0) or not scopes or not self._claim(name, interval):
                continue
            changed += self._poll(name, scopes)
        return changed

    def _claim(self, name: str, interval: timedelta) -> bool:
        """Due here (by this worker's clock) and not polled by another worker lately."""
        now = self.ctx.clock()
        if self.due.get(name, now) > now:
            return False
        with self.ctx.uow() as uow:
            held = outbox.claim_consumer(connection_of(uow), name=f"{LEASE_PREFIX}{name}",
                                         owner=self.owner, now=uow.now, lease=interval)
            uow.commit()
        if held is None:
            return False
        self.due[name] = now + interval
        return True

    def _poll(self, name: str, scopes: tuple[str, ...]) -> int:
        changed = 0
        try:
            erp = self.catalogs(self.ctx, name)
        except ErpError as exc:
            log.warning("erp poll failed", connection=name, error=str(exc))
            return 0
        try:
            for scope in scopes:
                changed += sync(self.ctx, name, erp, scope=scope)
        except (ErpError, InvalidInput) as exc:  # away, refusing or unmapped: next interval
            log.warning("erp poll failed", connection=name, error=str(exc))
        finally:
            erp.close()
        return changed
