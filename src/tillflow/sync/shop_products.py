"""Products created in a shop, announced by webhook, imported by the reconciler's rules.

tillflow's own products come back through the same webhook when it creates them in the
shop; the external-id map knows those, so they cost no call.
"""

from __future__ import annotations

from collections import defaultdict

import structlog

from tillflow.db.uow import connection_of
from tillflow.ports.commerce import CommerceChannel
from tillflow.services.context import ServiceContext
from tillflow.sync import idmap
from tillflow.sync.channels import Shop
from tillflow.sync.reconcile import import_new

log = structlog.get_logger("tillflow.sync")


def apply_product(ctx: ServiceContext, shop: Shop, channel: CommerceChannel,
                  external_id: str) -> str:
    """Import the SKUs of shop product ``external_id`` that tillflow does not have;
    returns "imported", "known" or "gone"."""
    with ctx.uow(read_only=True) as uow:
        if idmap.by_external(connection_of(uow), shop.name, idmap.PRODUCT, external_id):
            return "known"
    remote = channel.product(external_id)
    if not remote:
        return "gone"
    imported = import_new(ctx, shop, channel, remote)
    for item in imported:
        log.info("shop product imported", connection=shop.name, sku=item["sku"],
                 product=external_id, action=item["action"])
    remember(ctx, shop, {p.sku: p.external_id for p in remote})
    return "imported" if imported else "known"


def remember(ctx: ServiceContext, shop: Shop, skus: dict[str, str]) -> None:
    """Map each shop product to the SKUs it holds: a product with variants holds several,
    and is mapped once, under its first SKU."""
    held: dict[str, list[str]] = defaultdict(list)
    for sku, external_id in skus.items():
        held[external_id].append(sku)
    with ctx.uow() as uow:
        for external_id, its_skus in held.items():
            # Its first SKU may have changed (a variant added or removed).
            idmap.forget_external(connection_of(uow), shop.name, idmap.PRODUCT, external_id)
            idmap.put(connection_of(uow), shop.name, idmap.PRODUCT,
                      idmap.Mapping(min(its_skus), external_id, None,
                                    {"skus": sorted(its_skus)}), now=uow.now)
        uow.commit()
