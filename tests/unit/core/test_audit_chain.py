"""The audit trail's hash chain: each record covers the one before it, and the check names
each record altered, deleted or moved."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime

from tillflow.domain.audit import (
    GENESIS,
    AuditEntry,
    AuditRecord,
    ChainCheck,
    chain_hash,
    chained,
)

AT = datetime(2026, 12, 6, 9, 30, 0, 123456, tzinfo=UTC)


def _chain(count: int) -> list[AuditRecord]:
    return chained([AuditEntry(act="cash.moved", actor="Ana", role="cashier", register="R1",
                               subject=f"shift:{n}", data={"amount": f"{n}.00"})
                    for n in range(1, count + 1)],
                   after_seq=0, after_hash=GENESIS, occurred_at=AT)


def _problems(records: list[AuditRecord], *, head: AuditRecord | None = None) -> list[str]:
    check = ChainCheck()
    for record in records:
        check.add(record)
    last = head if head is not None else (records[-1] if records else None)
    return [str(p) for p in check.finish(head_seq=last.seq if last else 0,
                                         head_hash=last.hash if last else GENESIS)]


def test_each_record_hashes_its_content_after_the_previous_hash() -> None:
    records = _chain(3)
    assert [r.seq for r in records] == [1, 2, 3]
    assert records[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(records):
        assert after.prev_hash == before.hash
    for record in records:
        assert record.hash == chain_hash(record.prev_hash, record.content)
        assert record.document()["data"] == {"amount": f"{record.seq}.00"}
    # The content is canonical: sorted keys, no spaces, ASCII only.
    assert records[0].content.startswith('{"act":"cash.moved","actor":"Ana","at":')
    assert " " not in records[0].content
    assert _problems(records) == []


def test_a_chain_continues_from_its_head() -> None:
    first = _chain(2)
    more = chained([AuditEntry(act="token.created", actor="cli:root", role="admin")],
                   after_seq=first[-1].seq, after_hash=first[-1].hash, occurred_at=AT)
    assert _problems([*first, *more]) == []


def test_an_altered_record_is_named() -> None:
    records = _chain(5)
    forged = records[2].content.replace('"3.00"', '"0.03"')
    records[2] = replace(records[2], content=forged)
    assert _problems(records) == ["record 3 altered: its content does not match its hash"]


def test_a_record_rewritten_with_a_fresh_hash_is_named_by_the_next_one() -> None:
    records = _chain(5)
    forged = records[1].content.replace('"2.00"', '"0.02"')
    records[1] = replace(records[1], content=forged,
                         hash=chain_hash(records[1].prev_hash, forged))
    assert _problems(records) == ["record 2 altered: record 3 was chained to another hash"]


def test_a_column_changed_beside_its_hashed_content_is_named() -> None:
    records = _chain(3)
    records[0] = replace(records[0], actor="Max")
    assert _problems(records) == ["record 1 altered: its content does not match its hash"]


def test_deleted_records_are_named_in_the_middle_at_the_start_and_at_the_end() -> None:
    records = _chain(6)
    assert _problems([*records[:2], *records[4:]]) == [
        "records 3-4 missing: deleted from the chain"]
    assert _problems(records[1:]) == ["record 1 missing: deleted from the chain"]
    assert _problems(records[:4], head=records[-1]) == [
        "records 5-6 missing: deleted from the end of the chain"]


def test_a_head_that_names_another_last_record_is_reported() -> None:
    records = _chain(3)
    assert _problems(records, head=replace(records[-1], hash="0" * 64)) == [
        "record 3 altered: the chain's head holds another hash"]
    assert _problems(records, head=records[1]) == [
        "record 2 head: the head is at 2, the chain goes on to 3"]
