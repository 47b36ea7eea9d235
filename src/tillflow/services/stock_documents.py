"""What the back office's stock documents share: finding products and locations by
their codes, numbering, and creating a document once per Idempotency-Key."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from tillflow.domain.errors import Conflict, IdempotencyConflict, InvalidInput
from tillflow.ports.persistence import DuplicateRecord, UnitOfWork
from tillflow.ports.records import Location
from tillflow.services.context import ServiceContext

Document = TypeVar("Document")


@dataclass(frozen=True)
class Item:
    """A product as a stock document names it."""

    id: int
    sku: str


def product(uow: UnitOfWork, sku: str, *, field: str) -> Item:
    found = uow.products.get(sku)
    if found is None or found.id is None:
        raise InvalidInput(f"no product with SKU {sku!r}", details={"field": field, "sku": sku})
    return Item(id=found.id, sku=found.sku)


def location(uow: UnitOfWork, code: str, *, field: str) -> Location:
    found = uow.locations.get(code)
    if found is None:
        raise InvalidInput(f"unknown location {code!r}", details={"field": field})
    return found


def number(uow: UnitOfWork, prefix: str) -> str:
    """The next gap-free number of a kind of document: ``TR-000042``."""
    return f"{prefix}-{uow.numbers.next(f'stock:{prefix}'):06d}"


def create_once(ctx: ServiceContext, *, scope: str, key: str | None, request_hash: str,
                create: Callable[[UnitOfWork, str], Document],
                load: Callable[[UnitOfWork, str], Document | None]) -> tuple[Document, bool]:
    """Create a document (committed by ``create``'s unit of work here), or, when ``key``
    was used before with the same request, the document it made (False: not made now).
    The key is claimed in the same transaction, so two racing requests make one."""
    document_id = str(uuid.uuid4())
    try:
        with ctx.uow() as uow:
            if key is not None:
                uow.keys.claim(scope=scope, key=key, request_hash=request_hash,
                               resource_id=document_id, now=uow.now)
            made = create(uow, document_id)
            uow.commit()
        return made, True
    except DuplicateRecord:
        if key is None:
            raise
    with ctx.uow(read_only=True) as uow:
        stored = uow.keys.find(scope=scope, key=key)
        if stored is None:
            raise Conflict("a request with this Idempotency-Key was in flight; retry it",
                           details={"idempotency_key": key})
        if stored.request_hash != request_hash:
            raise IdempotencyConflict("this Idempotency-Key was used with a different request "
                                      "body", details={"idempotency_key": key})
        found = load(uow, stored.resource_id)
    assert found is not None
    return found, False
