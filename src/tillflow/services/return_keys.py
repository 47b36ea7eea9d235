"""A return's Idempotency-Key: the same return sent again (a lost answer, a retry, a
double tap) answers the return it made; the key with another request is refused.

The key is claimed in the return's own transaction, under the sale's lock, so of two
duplicates racing, one records the return and the other answers it.
"""

from __future__ import annotations

from dataclasses import dataclass

from tillflow.domain.errors import IdempotencyConflict
from tillflow.domain.records import ReturnRecord
from tillflow.ports.persistence import UnitOfWork
from tillflow.services.context import ServiceContext

SCOPE = "returns"


@dataclass(frozen=True)
class ReturnKey:
    key: str
    # A digest of the sale's id and the request's body: what the key stands for.
    request_hash: str


class Replayed(Exception):
    """Raised inside the return's transaction (rolling it back) when the key made a return
    already; carries that return."""

    def __init__(self, record: ReturnRecord) -> None:
        super().__init__(record.id)
        self.record = record


def recorded(uow: UnitOfWork, key: ReturnKey | None) -> ReturnRecord | None:
    """The return ``key`` made, if any; the key used with another request is refused."""
    if key is None:
        return None
    stored = uow.keys.find(scope=SCOPE, key=key.key)
    if stored is None:
        return None
    if stored.request_hash != key.request_hash:
        raise IdempotencyConflict("this Idempotency-Key was used with a different request body",
                                  details={"idempotency_key": key.key})
    record = uow.sales.get_return(stored.resource_id)
    assert record is not None, "a claimed key names the return made with it"
    return record


def replayed(ctx: ServiceContext, key: ReturnKey | None) -> ReturnRecord | None:
    """``recorded`` in a read of its own."""
    if key is None:
        return None
    with ctx.uow(read_only=True) as uow:
        return recorded(uow, key)


def claim(uow: UnitOfWork, key: ReturnKey | None, return_id: str) -> None:
    """Take the key for the return being recorded (``DuplicateRecord`` if taken)."""
    if key is not None:
        uow.keys.claim(scope=SCOPE, key=key.key, request_hash=key.request_hash,
                       resource_id=return_id, now=uow.now)
