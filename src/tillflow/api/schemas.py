"""Request bodies. Amounts and quantities arrive as decimal strings (or integers), never floats."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
)

Amount = Annotated[StrictStr | StrictInt, Field(examples=["12.30"])]
Quantity = Annotated[StrictStr | StrictInt, Field(examples=[1, "0.250"])]
Code = Annotated[StrictStr, Field(min_length=1, max_length=64)]
# A gateway's card token (pm_..., tok_...): the only way a card reaches tillflow.
GatewayToken = Annotated[StrictStr, Field(pattern=r"^[a-z]{2,5}_[A-Za-z0-9_]{1,250}$")]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_by_name=False, validate_by_alias=True)


class LocationIn(Body):
    code: Code
    name: StrictStr
    kind: Literal["store", "warehouse"] = "store"
    allow_negative_stock: StrictBool = False


class ProductIn(Body):
    sku: Code
    name: StrictStr
    price: Amount
    tax_rate: Annotated[StrictStr | StrictInt, Field(examples=["0.08"])] = "0"
    barcodes: list[StrictStr] = Field(default_factory=list, max_length=50)
    active: StrictBool = True


class ProductPatch(Body):
    name: StrictStr | None = None
    price: Amount | None = None
    tax_rate: Annotated[StrictStr | StrictInt, Field(examples=["0.08"])] | None = None
    barcodes: list[StrictStr] | None = Field(default=None, max_length=50)
    active: StrictBool | None = None


class AdjustmentIn(Body):
    sku: Code
    location: Code
    delta: Quantity
    reason: StrictStr = Field(min_length=1, max_length=200)
    kind: Literal["adjustment", "receipt"] = "adjustment"


class CountIn(Body):
    sku: Code
    location: Code
    counted: Quantity


class TransferIn(Body):
    sku: Code
    from_location: Code
    to_location: Code
    quantity: Quantity


class RegisterIn(Body):
    code: Code
    location: Code


class ShiftIn(Body):
    opening_float: Amount


class CashMovementIn(Body):
    amount: Amount
    reason: StrictStr = Field(min_length=1, max_length=200)


class ShiftCloseIn(Body):
    counted_cash: Amount


class SaleLineIn(Body):
    sku: Code
    quantity: Quantity
    # Only to sell below or above the price the server finds (an override).
    unit_price: Amount | None = None
    discount: Amount | None = None
    # The scanned code of a line whose price is printed in its barcode: the server reads it.
    barcode: Annotated[StrictStr, Field(min_length=1, max_length=100)] | None = None


class TenderIn(Body):
    method: StrictStr
    amount: Amount
    reference: Annotated[StrictStr, Field(max_length=100)] | None = None
    connection: Code | None = None
    payment_method: GatewayToken | None = None
    terminal: Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")] | None = None


class SaleIn(Body):
    location: Code
    register_code: Code | None = Field(default=None, alias="register")
    customer: StrictStr | None = None
    lines: list[SaleLineIn] = Field(min_length=1, max_length=500)
    payments: list[TenderIn] = Field(default_factory=list, max_length=20)
    discount: Amount | None = None
    offline: StrictBool = False
    channel: Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_-]{0,31}$")] = "pos"
    external_id: Annotated[StrictStr, Field(min_length=1, max_length=255)] | None = None
    # Sell past the stock the ledger shows (a cashier's needs a manager's approval).
    stock_override: StrictBool = False
    # A manager's approval token (POST /staff/approvals) naming the acts this sale needs
    # approved: a cashier's discount or price override beyond the limits, a stock override.
    approval: Annotated[StrictStr, Field(min_length=1, max_length=100)] | None = None


class ReturnLineIn(Body):
    sku: Code
    quantity: Quantity


class ReturnIn(Body):
    lines: list[ReturnLineIn] = Field(min_length=1, max_length=500)
    restock: StrictBool = True
    refunds: list[TenderIn] = Field(default_factory=list, max_length=20)
    register_code: Code | None = Field(default=None, alias="register")
    # A manager's approval token (POST /staff/approvals), for a cashier's card refund
    # above the payments connection's limit.
    approval: Annotated[StrictStr, Field(min_length=1, max_length=100)] | None = None


class CustomerIn(Body):
    name: StrictStr | None = None
    email: StrictStr | None = None
    phone: StrictStr | None = None


class TokenIn(Body):
    role: Literal["admin", "manager", "cashier", "integration"]
    name: StrictStr = Field(default="", max_length=100)
    # A cashier's (or manager's) token bound to one register acts only there.
    register_code: Code | None = Field(default=None, alias="register")
    expires_at: AwareDatetime | None = None


class ConnectionIn(Body):
    name: Code
    platform: StrictStr
    settings: dict[str, Any] = Field(default_factory=dict)
    secrets: dict[str, Any] = Field(default_factory=dict)


class ConnectionPatch(Body):
    settings: dict[str, Any] | None = None
    secrets: dict[str, Any] | None = None
