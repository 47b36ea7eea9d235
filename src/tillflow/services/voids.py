"""A void: a whole sale taken back in the shift that made it (a mistake at the till, the
customer changing their mind at once), with a manager's approval. It is recorded as a
return with reason ``void``; a sale from another shift, or partly returned, is a return."""

from __future__ import annotations

from tillflow.domain.errors import Conflict
from tillflow.domain.records import SaleRecord
from tillflow.domain.returns import PricedReturn
from tillflow.ports.persistence import UnitOfWork
from tillflow.services.context import Actor
from tillflow.services.staff import APPROVER_ROLES
from tillflow.services.staff_approvals import required, use_approval_in

VOID = "void"


def check_void(uow: UnitOfWork, actor: Actor, sale: SaleRecord, priced: PricedReturn, *,
               shift_id: str | None, approval: str | None) -> str:
    """Who approves voiding ``sale``; refuses (writing nothing) what is not a void."""
    if shift_id is None or sale.shift_id != shift_id:
        raise Conflict("a sale is voided only at its register in the shift that made it; "
                       "take it back as a return", details={"field": "reason"})
    returned = {line.line_no: line.quantity for line in priced.lines}
    if any(line.returned_quantity or returned.get(line.line_no) != line.quantity
           for line in sale.lines):
        raise Conflict("a void takes back the whole sale, every line in full and nothing "
                       "returned before; take the rest back as a return",
                       details={"field": "lines"})
    if actor.role in APPROVER_ROLES:
        return actor.name
    if approval is None:
        raise required([VOID], "voiding a sale")
    return use_approval_in(uow, token=approval, acts=[VOID], register=actor.register,
                           key=f"void:{sale.id}")
