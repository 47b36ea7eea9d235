"""Store settings an admin changes while the store runs: the per-role limits of what
staff may give without a manager's approval, the store's details (name, address, tax id,
time zone: ``/settings/store``) and what only receipts print (footer, logo:
``/settings/receipt``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import Field, StrictInt, StrictStr

from tillflow.api.auth import Context, require
from tillflow.api.fields import Name, Text
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas import Body
from tillflow.api.schemas_out import ReceiptSettingsOut, RoleLimitsOut, StoreDetailsOut
from tillflow.receipts import store_settings
from tillflow.services import store_details, store_limits
from tillflow.services.context import Actor
from tillflow.services.tokens import SETUP

router = APIRouter(route_class=CheckedRoute, tags=["settings"])
Admin = Annotated[Actor, Depends(require(SETUP))]
# A percentage of 0 to 100 with up to two decimals, as digits or a whole number.
Percent = Annotated[StrictStr, Field(pattern=r"^[0-9]{1,3}(\.[0-9]{1,2})?$",
                                     examples=["5"])] | StrictInt


class LimitsIn(Body):
    discount_percent: Percent | None = None
    price_override_percent: Percent | None = None


@router.get("/settings/limits", response_model=dict[str, RoleLimitsOut])
def read_limits(ctx: Context, _actor: Admin) -> FastJSONResponse:
    return FastJSONResponse({role: store_limits.describe(limits)
                             for role, limits in sorted(store_limits.get_limits(ctx).items())})


@router.put("/settings/limits", response_model=dict[str, RoleLimitsOut])
def write_limits(body: dict[str, LimitsIn], ctx: Context, actor: Admin) -> FastJSONResponse:
    changed = store_limits.set_limits(ctx, actor, {
        role: store_limits.LimitsChange(discount_percent=limits.discount_percent,
                                        price_override_percent=limits.price_override_percent)
        for role, limits in body.items()})
    return FastJSONResponse({role: store_limits.describe(limits)
                             for role, limits in sorted(changed.items())})


class ReceiptSettingsIn(Body):
    """What only receipts print; the store's name, address and tax id are
    ``PATCH /settings/store``'s (sent here they are refused, naming the field)."""

    # One printed line per line of the text.
    footer: Annotated[Text, Field(max_length=1000)] | None = None
    # A PNG or JPEG, base64; "" removes it.
    logo: Annotated[StrictStr, Field(max_length=store_settings.MAX_LOGO_CHARS,
                                     pattern=r"^[A-Za-z0-9+/]*={0,2}$")] | None = None


@router.get("/settings/receipt", response_model=ReceiptSettingsOut)
def read_receipt_settings(ctx: Context, _actor: Admin) -> FastJSONResponse:
    return FastJSONResponse(store_settings.describe(store_settings.read_settings(ctx)))


@router.put("/settings/receipt", response_model=ReceiptSettingsOut)
def write_receipt_settings(body: ReceiptSettingsIn, ctx: Context,
                           actor: Admin) -> FastJSONResponse:
    changed = store_settings.change_settings(ctx, actor, store_settings.ReceiptSettingsChange(
        footer=body.footer, logo=body.logo))
    return FastJSONResponse(store_settings.describe(changed))
class StoreDetailsIn(Body):
    name: Name | None = None
    # One printed line per comma-separated part.
    address: Annotated[Text, Field(max_length=300)] | None = None
    tax_id: Annotated[Text, Field(max_length=64)] | None = None
    # An IANA time zone name: the reports count this zone's days.
    timezone: Annotated[StrictStr, Field(min_length=1, max_length=64,
                                         pattern=r"^[A-Za-z][A-Za-z0-9_+/-]*$",
                                         examples=["Europe/Paris"])] | None = None


@router.get("/settings/store", response_model=StoreDetailsOut)
def read_store(ctx: Context, _actor: Admin) -> FastJSONResponse:
    return FastJSONResponse(store_details.describe(ctx))


@router.patch("/settings/store", response_model=StoreDetailsOut)
def change_store(body: StoreDetailsIn, ctx: Context, actor: Admin) -> FastJSONResponse:
    return FastJSONResponse(store_details.change(ctx, actor, name=body.name,
                                                 address=body.address, tax_id=body.tax_id,
                                                 timezone=body.timezone))
