"""The audit trail's chain: canonical records, their hashes, and the chain's verification.

Each record's hash is SHA-256 over the previous record's hash followed by the record's
canonical JSON (sorted keys, no spaces, ASCII), as the inalterability rule for French
tills asks: a record changed, removed or put in another place breaks the chain at that
point. The first record follows the empty hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

GENESIS = ""


@dataclass(frozen=True, kw_only=True)
class AuditEntry:
    """One sensitive act as a service records it: who did what to which subject."""

    act: str
    actor: str
    role: str
    register: str | None = None
    subject: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class AuditRecord:
    """A record as stored: its place in the chain, its content and the hashes."""

    seq: int
    occurred_at: datetime
    actor: str
    act: str
    subject: str | None
    content: str
    prev_hash: str
    hash: str

    def document(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.content)
        return parsed


@dataclass(frozen=True)
class ChainProblem:
    """``altered``: the record is not what was written; ``missing``: records from
    ``seq`` to ``last`` are gone; ``head``: the chain's head names no stored record."""

    kind: Literal["altered", "missing", "head"]
    seq: int
    last: int
    detail: str

    def __str__(self) -> str:
        where = f"record {self.seq}" if self.seq == self.last else \
            f"records {self.seq}-{self.last}"
        return f"{where} {self.kind}: {self.detail}"


def content_of(seq: int, occurred_at: datetime, entry: AuditEntry) -> str:
    return json.dumps({
        "seq": seq, "at": occurred_at.isoformat(), "actor": entry.actor, "role": entry.role,
        "register": entry.register, "act": entry.act, "subject": entry.subject,
        "data": dict(entry.data),
    }, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str)


def chain_hash(prev_hash: str, content: str) -> str:
    return hashlib.sha256((prev_hash + content).encode()).hexdigest()


def chained(entries: Iterable[AuditEntry], *, after_seq: int, after_hash: str,
            occurred_at: datetime) -> list[AuditRecord]:
    """The records that follow the chain's head ``(after_seq, after_hash)``."""
    records = []
    seq, prev = after_seq, after_hash
    for entry in entries:
        seq += 1
        content = content_of(seq, occurred_at, entry)
        digest = chain_hash(prev, content)
        records.append(AuditRecord(seq=seq, occurred_at=occurred_at, actor=entry.actor,
                                   act=entry.act, subject=entry.subject, content=content,
                                   prev_hash=prev, hash=digest))
        prev = digest
    return records


class ChainCheck:
    """Feed the stored records in ``seq`` order, then ``finish`` with the head."""

    def __init__(self) -> None:
        self.problems: list[ChainProblem] = []
        self.count = 0
        self._seq = 0
        self._hash = GENESIS
        self._altered: set[int] = set()

    def add(self, record: AuditRecord) -> None:
        self.count += 1
        consistent = _consistent(record)
        if not consistent:
            self._flag(record.seq, "its content does not match its hash")
        if record.seq > self._seq + 1:
            self.problems.append(ChainProblem("missing", self._seq + 1, record.seq - 1,
                                              "deleted from the chain"))
        elif record.prev_hash != self._hash and consistent and self._seq:
            # This record is intact, so the one before it is not what was hashed here.
            self._flag(self._seq, f"record {record.seq} was chained to another hash")
        self._seq, self._hash = record.seq, record.hash

    def finish(self, *, head_seq: int, head_hash: str) -> list[ChainProblem]:
        if head_seq > self._seq:
            self.problems.append(ChainProblem("missing", self._seq + 1, head_seq,
                                              "deleted from the end of the chain"))
        elif head_seq < self._seq:
            self.problems.append(ChainProblem("head", head_seq, head_seq,
                                              f"the head is at {head_seq}, the chain "
                                              f"goes on to {self._seq}"))
        elif head_seq and head_hash != self._hash:
            self._flag(self._seq, "the chain's head holds another hash")
        return sorted(self.problems, key=lambda p: p.seq)

    def _flag(self, seq: int, detail: str) -> None:
        if seq not in self._altered:
            self._altered.add(seq)
            self.problems.append(ChainProblem("altered", seq, seq, detail))


def _consistent(record: AuditRecord) -> bool:
    if chain_hash(record.prev_hash, record.content) != record.hash:
        return False
    try:
        document = record.document()
    except ValueError:
        return False
    return (document.get("seq") == record.seq and document.get("act") == record.act
            and document.get("actor") == record.actor
            and document.get("subject") == record.subject
            and document.get("at") == record.occurred_at.isoformat())
