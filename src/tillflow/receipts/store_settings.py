"""What the store's receipts print at the top and the end: the store's name, address and
tax id (read here, changed only through ``services.store_details``) and the receipt's own
footer and logo, which an admin changes here while the store runs; each change is audited."""

from __future__ import annotations

from dataclasses import dataclass

from tillflow.domain.errors import InvalidInput
from tillflow.ports.records import StoreDetails
from tillflow.receipt_layout.logo import MAX_ENCODED_CHARS, LogoError, check_logo
from tillflow.services import audit
from tillflow.services.context import Actor, ServiceContext

MAX_LOGO_CHARS = MAX_ENCODED_CHARS


@dataclass(frozen=True, kw_only=True)
class ReceiptSettingsChange:
    """New values; one left None keeps its value, an empty text clears it."""

    footer: str | None = None
    logo: str | None = None


def read_settings(ctx: ServiceContext) -> StoreDetails:
    with ctx.uow(read_only=True) as uow:
        return uow.details.read()


def change_settings(ctx: ServiceContext, actor: Actor,
                    change: ReceiptSettingsChange) -> StoreDetails:
    if change.logo:
        try:
            check_logo(change.logo)
        except LogoError as exc:
            raise InvalidInput(str(exc), details={"field": "logo"}) from None
    with ctx.uow() as uow:
        uow.details.write(footer=change.footer, logo=change.logo)
        changed = sorted(key for key, value in vars(change).items() if value is not None)
        audit.record(uow, actor, "settings.receipt_changed", subject="store", changed=changed)
        uow.commit()
    return read_settings(ctx)


def describe(details: StoreDetails) -> dict[str, object]:
    return {"name": details.name, "address_lines": list(details.address_lines),
            "address": details.address, "tax_id": details.tax_id or None,
            "footer": list(details.footer_lines), "logo": details.logo or None}
