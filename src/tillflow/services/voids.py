"""A void: a whole sale taken back in the shift that made it (a mistake at the till, the
customer changing their mind at once), with a manager's approval. It is recorded as a
return with reason ``void``; a sale from another shift, or partly returned, is a return."""

from __future__ import annotations

from collections.abc import Sequence

from tillflow.domain.errors import Conflict
from tillflow.domain.records import SaleRecord
from tillflow.domain.returns import PricedReturn
from tillflow.ports.persistence import UnitOfWork
from tillflow.services.context import Actor
from tillflow.services.staff import APPROVER_ROLES
from tillflow.services.staff_approvals import required, use_approval_in

VOID = "void"


def check_void(uow: UnitOfWork, actor: Actor, sale: SaleRecord, priced: PricedReturn, *,
               shift_id: str | None, approval: str | None, also: Sequence[str] = ()) -> str:
    """Who approves voiding ``sale``; refuses (writing nothing) what is not a void.

    A cashier's token must name ``void`` and every act of ``also`` (the void's card refund
    above the limit): one manager's PIN approves the whole void, and the token is spent
    once, here, in the return's transaction."""
    check_is_void(sale, priced, shift_id=shift_id)
    if actor.role in APPROVER_ROLES:
        return actor.name
    acts = sorted({VOID, *also})
    if approval is None:
        raise required(acts, "voiding a sale")
    return use_approval_in(uow, token=approval, acts=acts, register=actor.register,
                           key=approval_key(sale.id))


def check_is_void(sale: SaleRecord, priced: PricedReturn, *, shift_id: str | None) -> None:
    """Refuse what is not a void: checked again before a void's card is refunded."""
    if shift_id is None or sale.shift_id != shift_id:
        raise Conflict("a sale is voided only at its register in the shift that made it; "
                       "take it back as a return", details={"field": "reason"})
    returned = {line.line_no: line.quantity for line in priced.lines}
    if any(line.returned_quantity or returned.get(line.line_no) != line.quantity
           for line in sale.lines):
        raise Conflict("a void takes back the whole sale, every line in full and nothing "
                       "returned before; take the rest back as a return",
                       details={"field": "lines"})


def approval_key(sale_id: str) -> str:
    """What a void's approval is bound to once used: the sale (voided once at most)."""
    return f"void:{sale_id}"
