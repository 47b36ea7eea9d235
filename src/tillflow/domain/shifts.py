"""Register shifts and the Z report that closes them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from tillflow.domain.errors import InvalidInput
from tillflow.domain.sales import CASH, ZERO


@dataclass(frozen=True)
class TenderTotals:
    method: str
    taken: Decimal = ZERO
    refunded: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        return self.taken - self.refunded


@dataclass(frozen=True)
class ShiftActivity:
    """What happened during a shift, summed from its sales, returns and cash movements."""

    sales_count: int = 0
    sales_total: Decimal = ZERO
    sales_tax: Decimal = ZERO
    discount_total: Decimal = ZERO
    returns_count: int = 0
    returns_total: Decimal = ZERO
    returns_tax: Decimal = ZERO
    cash_in: Decimal = ZERO
    cash_out: Decimal = ZERO
    tenders: tuple[TenderTotals, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ZReport:
    opening_float: Decimal
    activity: ShiftActivity
    expected_cash: Decimal
    counted_cash: Decimal

    @property
    def over_short(self) -> Decimal:
        return self.counted_cash - self.expected_cash

    @property
    def tax_total(self) -> Decimal:
        return self.activity.sales_tax - self.activity.returns_tax


def validate_float(amount: Decimal, *, field: str) -> Decimal:
    if amount < 0:
        raise InvalidInput(f"{field} must not be negative", details={"field": field})
    return amount


def validate_cash_movement(amount: Decimal, reason: str) -> None:
    if amount == 0:
        raise InvalidInput(
            "amount must not be zero (positive puts cash in, negative takes it out)",
            details={"field": "amount"},
        )
    if not reason.strip():
        raise InvalidInput("a cash movement needs a reason", details={"field": "reason"})


def expected_cash(opening_float: Decimal, activity: ShiftActivity) -> Decimal:
    cash = next((t for t in activity.tenders if t.method == CASH), TenderTotals(CASH))
    return opening_float + cash.net + activity.cash_in - activity.cash_out


def z_report(opening_float: Decimal, activity: ShiftActivity, counted_cash: Decimal) -> ZReport:
    validate_float(counted_cash, field="counted_cash")
    return ZReport(
        opening_float=opening_float,
        activity=activity,
        expected_cash=expected_cash(opening_float, activity),
        counted_cash=counted_cash,
    )
