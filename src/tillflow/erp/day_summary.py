"""A day's postings summed into one, for connections that post per day (``posting``
``day``): the usual way to put a shop's takings into Xero or QuickBooks.

A day is the store's own (its ``timezone`` setting, ``domain.accounting.days``): a sale
at 23:30 in Paris belongs to that Paris date, whatever the UTC date. Once it is over,
the entries booked for it (those of a shift: web orders and settlements go one by one)
are netted per account into one summary whose reference is ``day-summary:<date>``.
Entries are taken in booking order up to the first one of a day not yet over, so an
entry that reaches the journal late (a register that sold offline before midnight and
came back after; a sale counts on the day the till made it) is never skipped: it goes
into a later summary for its date (``day-summary:<date>:<id>``). Each summary keeps the
id of the last entry it covers (``through``), which is where the next one starts. It
runs under the connection's posting lease, so one worker summarises a connection at a
time.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, select

from tillflow.db.tables_accounting import erp_postings
from tillflow.domain.accounting.days import is_over, local_day
from tillflow.domain.accounting.entries import JournalEntry, summarise
from tillflow.domain.money import Currency
from tillflow.erp import journal, posting_queue
from tillflow.erp.codec import entry_json

PREFIX = "day-summary:"
THROUGH = "through"


def close_days(connection: Connection, currency: Currency, name: str, *,
               now: datetime, zone: ZoneInfo) -> int:
    """Queue the summaries of the store's days (in ``zone``) over since the last one;
    returns how many."""
    through = _through(connection, name)
    days: dict[date, list[JournalEntry]] = defaultdict(list)
    last = through
    for entry_id, entry in journal.entries_after(connection, currency, after_id=through):
        day = local_day(entry.occurred_at, zone)
        if not is_over(day, now=now, zone=zone):
            break
        last = entry_id
        if entry.shift_id is not None and entry.lines:
            days[day].append(entry)
    for day, entries in sorted(days.items()):
        reference = _reference(connection, name, day, first=through + 1)
        # Stated in the store's offset: the books date a document by the date its moment
        # carries, which is then the store's day and not UTC's.
        summary = summarise(entries, reference=reference, document_number=day.isoformat(),
                            occurred_at=entries[-1].occurred_at.astimezone(zone),
                            description=f"tillflow day {day.isoformat()} summary")
        posting_queue.enqueue(connection, name=name, reference=reference,
                              entry={**entry_json(summary, currency), THROUGH: last},
                              now=now)
    return len(days)


def _through(connection: Connection, name: str) -> int:
    rows = connection.execute(select(erp_postings.c.entry).where(
        erp_postings.c.connection == name,
        erp_postings.c.reference.like(f"{PREFIX}%"))).scalars()
    return max((int(entry.get(THROUGH, 0)) for entry in rows), default=0)


def _reference(connection: Connection, name: str, day: date, *, first: int) -> str:
    plain = f"{PREFIX}{day.isoformat()}"
    taken = connection.execute(select(erp_postings.c.id).where(
        erp_postings.c.connection == name, erp_postings.c.reference == plain)).first()
    return plain if taken is None else f"{plain}:{first}"
