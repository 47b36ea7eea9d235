"""Request bodies. Amounts and quantities arrive as decimal strings (or integers), never floats."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    Tag,
)

from tillflow.api.fields import (
    Barcode,
    Code,
    IssuedToken,
    Name,
    Reason,
    Secrets,
    Settings,
    Text,
    Word,
)

# Figures as integers are bounded like their decimal strings (15 digits, money.py): a
# larger one is refused here instead of overflowing a 64-bit column.
MAX_FIGURE = 10**15 - 1
Figure = Annotated[StrictInt, Field(ge=-MAX_FIGURE, le=MAX_FIGURE)]
# Checked and read by the domain (money.py), which names the field in its refusal.
Decimal = Annotated[StrictStr, Field(max_length=40, json_schema_extra={"format": "decimal"})]
Amount = Annotated[Decimal | Figure, Field(examples=["12.30"])]
Quantity = Annotated[Decimal | Figure, Field(examples=[1, "0.250"])]
# A gateway's card token (pm_..., tok_...): the only way a card reaches tillflow.
GatewayToken = Annotated[StrictStr, Field(pattern=r"^[a-z]{2,5}_[A-Za-z0-9_]{1,250}$")]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_by_name=False, validate_by_alias=True)


class LocationIn(Body):
    code: Code
    name: Name
    kind: Literal["store", "warehouse"] = "store"
    allow_negative_stock: StrictBool = False


TaxRate = Annotated[Decimal | Figure, Field(examples=["0.08"])]
# A cost may hold more places than money (an average of receipts): up to four.
Cost = Annotated[Decimal | Figure, Field(examples=["3.1250"])]
Category = Annotated[Text, Field(max_length=255, examples=["Clothing/Tees"])]
OptionText = Annotated[Text, Field(max_length=100)]


class ProductIn(Body):
    """A product of one SKU."""

    sku: Code
    name: Name
    price: Amount
    tax_rate: TaxRate = "0"
    barcodes: list[Barcode] = Field(default_factory=list, max_length=50)
    active: StrictBool = True
    cost: Cost | None = None
    category: Category | None = None


class ProductPatch(Body):
    name: Name | None = None
    price: Amount | None = None
    tax_rate: TaxRate | None = None
    barcodes: list[Barcode] | None = Field(default=None, max_length=50)
    active: StrictBool | None = None
    cost: Cost | None = None
    # The product's category ("" for none).
    category: Category | None = None


class OptionIn(Body):
    name: OptionText
    values: list[OptionText] = Field(max_length=500)


class VariantIn(Body):
    sku: Code
    options: dict[OptionText, OptionText] = Field(default_factory=dict, max_length=10)
    price: Amount
    barcodes: list[Barcode] = Field(default_factory=list, max_length=50)
    cost: Cost | None = None
    active: StrictBool = True


class ProductWithVariantsIn(Body):
    """A product with options and its variants, each a SKU taking one value of each."""

    name: Name
    tax_rate: TaxRate = "0"
    category: Category | None = None
    options: list[OptionIn] = Field(default_factory=list, max_length=10)
    variants: list[VariantIn] = Field(min_length=1, max_length=5000)


def _product_body_kind(body: object) -> str:
    return "<variants>" if isinstance(body, dict) and "variants" in body else "<sku>"


# Tagged by whether it lists variants; the tags name no field (see api.errors).
NewProductIn = Annotated[
    Annotated[ProductIn, Tag("<sku>")] | Annotated[ProductWithVariantsIn, Tag("<variants>")],
    Discriminator(_product_body_kind),
]


class VariantChangeIn(Body):
    """A variant to change (by its SKU) or to add (a new SKU, with a price)."""

    sku: Code
    options: dict[OptionText, OptionText] = Field(default_factory=dict, max_length=10)
    price: Amount | None = None
    barcodes: list[Barcode] | None = Field(default=None, max_length=50)
    cost: Cost | None = None
    active: StrictBool | None = None


class ProductGroupPatch(Body):
    name: Name | None = None
    category: Category | None = None
    tax_rate: TaxRate | None = None
    # The options after the change: the current ones, in place (values may be added, or
    # dropped where no variant takes them), then any new ones.
    options: list[OptionIn] | None = Field(default=None, max_length=10)
    variants: list[VariantChangeIn] = Field(default_factory=list, max_length=5000)
    # SKUs to take off: deleted, or made inactive where sales or stock refer to them.
    remove: list[Code] = Field(default_factory=list, max_length=5000)


class AdjustmentIn(Body):
    sku: Code
    location: Code
    delta: Quantity
    reason: Reason
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
    reason: Reason


class ShiftCloseIn(Body):
    counted_cash: Amount


class SaleLineIn(Body):
    sku: Code
    quantity: Quantity
    # Only to sell below or above the price the server finds (an override).
    unit_price: Amount | None = None
    discount: Amount | None = None
    # The scanned code of a line whose price is printed in its barcode: the server reads it.
    barcode: Barcode | None = None


class TenderIn(Body):
    method: Word
    amount: Amount
    reference: Annotated[Text, Field(max_length=100)] | None = None
    connection: Code | None = None
    payment_method: GatewayToken | None = None
    terminal: Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")] | None = None


class SaleIn(Body):
    location: Code
    register_code: Code | None = Field(default=None, alias="register")
    customer: Annotated[StrictStr, Field(pattern=r"^[0-9a-fA-F-]{1,64}$")] | None = None
    lines: list[SaleLineIn] = Field(min_length=1, max_length=500)
    payments: list[TenderIn] = Field(default_factory=list, max_length=20)
    discount: Amount | None = None
    offline: StrictBool = False
    # The number the register prints on the sale's receipt should the server not answer
    # (a sale made offline, or an answer lost); the sale is found by it (GET /sales?number=).
    offline_number: Annotated[StrictStr,
                              Field(pattern=r"^OFFLINE-[A-Za-z0-9-]{4,55}$")] | None = None
    # When the till made a sale it recorded offline (ISO 8601 with its offset).
    sold_at: AwareDatetime | None = None
    channel: Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_-]{0,31}$")] = "pos"
    # The platform's id of a channel sale. Free text as far as card data goes: it is stored
    # and published in the events.
    external_id: Annotated[Text, Field(min_length=1, max_length=255)] | None = None
    # Sell past the stock the ledger shows (a cashier's needs a manager's approval).
    stock_override: StrictBool = False
    # A manager's approval token (POST /staff/approvals) naming the acts this sale needs
    # approved: a cashier's discount or price override beyond the limits, a stock override.
    approval: IssuedToken | None = None


class ReturnLineIn(Body):
    sku: Code
    quantity: Quantity


class ReturnIn(Body):
    lines: list[ReturnLineIn] = Field(min_length=1, max_length=500)
    restock: StrictBool = True
    refunds: list[TenderIn] = Field(default_factory=list, max_length=20)
    register_code: Code | None = Field(default=None, alias="register")
    # A manager's approval token (POST /staff/approvals), for a cashier's card refund
    # above the payments connection's limit, or a cashier's void.
    approval: IssuedToken | None = None
    # Why the goods come back (free text, kept with the return); "void" takes back the
    # whole sale at its register in the shift that made it.
    reason: Annotated[Text, Field(min_length=1, max_length=32)] | None = None


class CustomerIn(Body):
    name: Name | None = None
    email: Annotated[Text, Field(max_length=254)] | None = None
    phone: Annotated[Text, Field(max_length=40)] | None = None


class CustomerPatch(CustomerIn):
    """Only the fields sent change; ``null`` clears one (an email or a phone must stay)."""


class TokenIn(Body):
    role: Literal["admin", "manager", "cashier", "integration"]
    name: Annotated[Text, Field(max_length=100)] = ""
    # A cashier's (or manager's) token bound to one register acts only there.
    register_code: Code | None = Field(default=None, alias="register")
    expires_at: AwareDatetime | None = None


class ConnectionIn(Body):
    name: Code
    platform: Word
    settings: Settings = Field(default_factory=dict)
    secrets: Secrets = Field(default_factory=dict)


class ConnectionPatch(Body):
    settings: Settings | None = None
    secrets: Secrets | None = None
