"""Transfers between locations with the units in transit: sent (they leave the source),
then received (they reach the destination) or cancelled (they go back). Each step is one
transaction of ledger movements, so the levels shops and ERPs are told of are always
what each location really holds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tillflow.domain.errors import Conflict, NotFound
from tillflow.domain.inventory import Movement, MovementKind
from tillflow.domain.stock_documents import CANCELLED, RECEIVED, check_lines, check_route
from tillflow.ports.persistence import UnitOfWork
from tillflow.ports.stock_records import DocumentLine, Transfer
from tillflow.services import payloads, stock_documents
from tillflow.services.context import Actor, ServiceContext
from tillflow.services.inventory import parse_quantity, record_movements

SCOPE = "stock_transfer"


@dataclass(frozen=True)
class TransferLineRequest:
    sku: str
    quantity: object


@dataclass(frozen=True)
class TransferRequest:
    from_location: str
    to_location: str
    lines: Sequence[TransferLineRequest]
    note: str | None = None


def send(ctx: ServiceContext, actor: Actor, request: TransferRequest, *,
         idempotency_key: str | None, request_hash: str) -> tuple[Transfer, bool]:
    """Send the goods: they leave the source now (409 if it lacks them) and are in transit."""
    check_route(request.from_location, request.to_location)
    quantities = [parse_quantity(line.quantity, field=f"lines.{n}.quantity")
                  for n, line in enumerate(request.lines)]
    check_lines([line.sku for line in request.lines], quantities)

    def create(uow: UnitOfWork, transfer_id: str) -> Transfer:
        source = stock_documents.location(uow, request.from_location, field="from_location")
        target = stock_documents.location(uow, request.to_location, field="to_location")
        items = [stock_documents.product(uow, line.sku, field=f"lines.{n}.sku")
                 for n, line in enumerate(request.lines)]
        number = stock_documents.number(uow, "TR")
        lines = [DocumentLine(line_no=n, product_id=item.id, sku=item.sku, quantity=q)
                 for n, (item, q) in enumerate(zip(items, quantities, strict=True), start=1)]
        uow.stock_documents.add_transfer(
            transfer_id=transfer_id, number=number, from_location_id=source.id,
            to_location_id=target.id, note=request.note, lines=lines, now=uow.now,
            actor=actor.name)
        record_movements(uow, actor, {line.product_id: line.sku for line in lines}, [source], [
            Movement(line.product_id, source.id, MovementKind.TRANSFER, -line.quantity,
                     reason=f"transfer {number} to {target.code}, in transit",
                     reference=number) for line in lines])
        return _emitted(uow, transfer_id, "stock_transfer.sent")

    return stock_documents.create_once(ctx, scope=SCOPE, key=idempotency_key,
                                       request_hash=request_hash, create=create,
                                       load=lambda uow, i: uow.stock_documents.get_transfer(i))


def receive(ctx: ServiceContext, actor: Actor, transfer_id: str) -> Transfer:
    """The goods reach the destination. Receiving a received transfer again changes nothing."""
    return _close(ctx, actor, transfer_id, status=RECEIVED)


def cancel(ctx: ServiceContext, actor: Actor, transfer_id: str) -> Transfer:
    """The goods go back to the source. Cancelling a cancelled transfer changes nothing."""
    return _close(ctx, actor, transfer_id, status=CANCELLED)


def _close(ctx: ServiceContext, actor: Actor, transfer_id: str, *, status: str) -> Transfer:
    with ctx.uow() as uow:
        found = _get(uow, transfer_id)
        if not uow.stock_documents.close_transfer(transfer_id, status=status, now=uow.now,
                                                  actor=actor.name):
            closed = _get(uow, transfer_id)  # another request closed it first
            if closed.status != status:
                raise Conflict(f"transfer {closed.number} is {closed.status}",
                               details={"status": closed.status})
            return closed
        to = found.to_location if status == RECEIVED else found.from_location
        where = stock_documents.location(uow, to, field="location")
        why = (f"transfer {found.number} from {found.from_location}" if status == RECEIVED
               else f"transfer {found.number} cancelled, back from transit")
        record_movements(uow, actor, {line.product_id: line.sku for line in found.lines},
                         [where], [
            Movement(line.product_id, where.id, MovementKind.TRANSFER, line.quantity,
                     reason=why, reference=found.number) for line in found.lines])
        closed = _emitted(uow, transfer_id, f"stock_transfer.{status}")
        uow.commit()
    return closed


def get_transfer(ctx: ServiceContext, transfer_id: str) -> Transfer:
    with ctx.uow(read_only=True) as uow:
        return _get(uow, transfer_id)


def list_transfers(ctx: ServiceContext, *, status: str | None, limit: int) -> list[Transfer]:
    with ctx.uow(read_only=True) as uow:
        return [_get(uow, i) for i in uow.stock_documents.transfer_ids(status=status,
                                                                       limit=limit)]


def describe(transfer: Transfer) -> dict[str, object]:
    return {
        "id": transfer.id, "number": transfer.number, "status": transfer.status,
        "from_location": transfer.from_location, "to_location": transfer.to_location,
        "note": transfer.note,
        "lines": [{"sku": line.sku, "quantity": payloads.quantity(line.quantity)}
                  for line in transfer.lines],
        "sent_at": transfer.sent_at.isoformat(), "sent_by": transfer.sent_by,
        "closed_at": transfer.closed_at.isoformat() if transfer.closed_at else None,
        "closed_by": transfer.closed_by,
    }


def _get(uow: UnitOfWork, transfer_id: str) -> Transfer:
    found = uow.stock_documents.get_transfer(transfer_id)
    if found is None:
        raise NotFound(f"no transfer {transfer_id!r}", details={"id": transfer_id})
    return found


def _emitted(uow: UnitOfWork, transfer_id: str, event_type: str) -> Transfer:
    transfer = _get(uow, transfer_id)
    uow.emit(event_type, describe(transfer))
    return transfer
