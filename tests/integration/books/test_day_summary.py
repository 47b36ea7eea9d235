"""Day summaries: a day goes once it is over, and an entry that reaches the journal late
goes into a later summary for its date, never lost and never twice."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from tillflow.db.uow import connection_of
from tillflow.domain.accounting.entries import JournalEntry, JournalLine
from tillflow.erp import journal, posting_queue
from tillflow.erp.day_summary import close_days
from tillflow.services.context import ServiceContext

UTC_ZONE = ZoneInfo("UTC")
PARIS = ZoneInfo("Europe/Paris")


def _book(ctx: ServiceContext, reference: str, when: datetime, amount: str) -> None:
    entry = JournalEntry(reference=reference, kind="sale", document_number=reference,
                         occurred_at=when, description=reference, shift_id="S1", lines=(
                             JournalLine("tender:cash", "1000", debit=Decimal(amount)),
                             JournalLine("revenue:0", "4000", credit=Decimal(amount))))
    with ctx.uow() as uow:
        assert journal.save_entry(connection_of(uow), entry, ctx.currency)
        uow.commit()


def _close(ctx: ServiceContext, now: datetime,
           zone: ZoneInfo = UTC_ZONE) -> list[tuple[str, str]]:
    with ctx.uow() as uow:
        close_days(connection_of(uow), ctx.currency, "books", now=now, zone=zone)
        uow.commit()
    with ctx.uow(read_only=True) as uow:
        found = posting_queue.listing(connection_of(uow), name="books", status=None,
                                      limit=10)
    return [(p.reference, next(line["debit"] for line in p.entry["lines"]
                               if line["role"] == "tender:cash")) for p in found]


def test_a_late_entry_goes_into_a_later_summary_of_its_day(ctx: ServiceContext) -> None:
    _book(ctx, "sale:1", datetime(2026, 12, 1, 18, tzinfo=UTC), "10.00")
    _book(ctx, "sale:2", datetime(2026, 12, 2, 9, tzinfo=UTC), "20.00")
    assert _close(ctx, datetime(2026, 12, 2, 10, tzinfo=UTC)) == [
        ("day-summary:2026-12-01", "10.00")]
    # A register that sold offline before midnight comes back on the 2nd.
    _book(ctx, "sale:3", datetime(2026, 12, 1, 23, 50, tzinfo=UTC), "5.00")
    assert len(_close(ctx, datetime(2026, 12, 2, 12, tzinfo=UTC))) == 1  # the 2nd goes on
    assert _close(ctx, datetime(2026, 12, 3, 0, 10, tzinfo=UTC)) == [
        ("day-summary:2026-12-01", "10.00"), ("day-summary:2026-12-01:2", "5.00"),
        ("day-summary:2026-12-02", "20.00")]
    assert len(_close(ctx, datetime(2026, 12, 4, tzinfo=UTC))) == 3  # nothing twice


def test_a_day_is_the_stores_own(ctx: ServiceContext) -> None:
    paris = datetime(2026, 12, 6, 23, 30, tzinfo=PARIS)  # 22:30 UTC, still the 6th in Paris
    _book(ctx, "sale:1", paris, "10.00")
    _book(ctx, "sale:2", datetime(2026, 12, 7, 0, 30, tzinfo=PARIS), "20.00")  # the 7th
    # 23:45 UTC is the 7th in Paris already: the 6th is over there, the 7th is not.
    assert _close(ctx, datetime(2026, 12, 6, 23, 45, tzinfo=UTC), PARIS) == [
        ("day-summary:2026-12-06", "10.00")]
    with ctx.uow(read_only=True) as uow:
        [summary] = posting_queue.listing(connection_of(uow), name="books", status=None,
                                          limit=1)
    # Dated in Paris's offset, so the books date it the 6th.
    assert datetime.fromisoformat(summary.entry["occurred_at"]).date().isoformat() == (
        "2026-12-06")
    assert _close(ctx, datetime(2026, 12, 7, 23, 0, tzinfo=UTC), PARIS)[1:] == [
        ("day-summary:2026-12-07", "20.00")]
