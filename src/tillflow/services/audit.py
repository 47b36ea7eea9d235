"""The audit trail of sensitive acts: recorded in the act's own transaction, read by an
admin, verified record by record against its hash chain (``domain.audit``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tillflow.domain.audit import AuditEntry, AuditRecord, ChainCheck, ChainProblem
from tillflow.ports.persistence import UnitOfWork
from tillflow.services.context import Actor, ServiceContext

VERIFY_BATCH = 1000


def record(uow: UnitOfWork, actor: Actor, act: str, *, subject: str | None = None,
           **data: Any) -> None:
    """Add ``act`` by ``actor`` to the trail when ``uow`` commits (never without it)."""
    uow.audit(AuditEntry(act=act, actor=actor.name, role=actor.role, register=actor.register,
                         subject=subject, data=data))


def page(ctx: ServiceContext, *, after: int, limit: int) -> list[AuditRecord]:
    with ctx.uow(read_only=True) as uow:
        return uow.audit_log.page(after=after, limit=limit)


@dataclass(frozen=True)
class Verification:
    records: int
    head_seq: int
    head_hash: str
    problems: list[ChainProblem]


def verify(ctx: ServiceContext) -> Verification:
    """Check every record against its hash and its place in the chain; names each record
    altered or missing."""
    check = ChainCheck()
    with ctx.uow(read_only=True) as uow:
        head_seq, head_hash, stored = uow.audit_log.head()
        after = 0
        while after < max(head_seq, stored):
            batch = uow.audit_log.page(after=after, limit=VERIFY_BATCH)
            for found in batch:
                if found.seq > max(head_seq, stored):
                    break
                check.add(found)
            if not batch:
                break
            after = batch[-1].seq
    problems = check.finish(head_seq=head_seq, head_hash=head_hash)
    return Verification(records=check.count, head_seq=head_seq, head_hash=head_hash,
                        problems=problems)
