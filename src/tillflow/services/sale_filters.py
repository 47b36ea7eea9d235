"""The sales list's filters: the period the sales were made in, the register, the staff
member and the customer."""

from __future__ import annotations

from dataclasses import dataclass

from tillflow.domain.errors import InvalidInput
from tillflow.domain.reports import moment
from tillflow.domain.store import time_zone
from tillflow.ports.persistence import UnitOfWork
from tillflow.ports.records import SaleScope


@dataclass(frozen=True)
class SalesFilter:
    """The sales list's filters as asked: ``start`` and ``end`` are dates or ISO 8601
    times of the store's time zone; the register by its code, the staff member by id."""

    start: str | None = None
    end: str | None = None
    register: str | None = None
    staff: int | None = None
    customer: str | None = None


def scope(uow: UnitOfWork, filters: SalesFilter) -> SaleScope:
    zone = time_zone(uow.details.read().timezone)
    start = None if filters.start is None else moment(filters.start, zone, field="from")
    end = None if filters.end is None else moment(filters.end, zone, field="to")
    if start is not None and end is not None and start > end:
        raise InvalidInput("from is after to", details={"field": "from"})
    register = None
    if filters.register is not None:
        register = uow.registers.get(filters.register)
        if register is None:
            raise InvalidInput(f"unknown register {filters.register!r}",
                               details={"field": "register"})
    if filters.staff is not None and filters.staff not in {m.id for m in uow.staff.all()}:
        raise InvalidInput(f"no staff member has id {filters.staff}", details={"field": "staff"})
    if filters.customer is not None and uow.customers.get(filters.customer) is None:
        raise InvalidInput(f"unknown customer {filters.customer!r}",
                           details={"field": "customer"})
    return SaleScope(sold_from=start, sold_to=end,
                     register_id=register.id if register else None,
                     staff_id=filters.staff, customer_id=filters.customer)
