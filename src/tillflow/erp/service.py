"""Use cases of the accounting area: read the journal, trial balances, the chart, postings."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from tillflow.db.uow import connection_of
from tillflow.domain.accounting.entries import JournalEntry
from tillflow.domain.accounting.rules import trial_balance
from tillflow.domain.errors import InvalidInput, NotFound
from tillflow.erp import journal, oauth_tokens, posting_queue
from tillflow.erp.codec import entry_json
from tillflow.services import connections
from tillflow.services.context import ServiceContext

MAX_DAYS = 366


EARLIEST, LATEST = date(1970, 1, 1), date(9998, 12, 31)


def parse_bound(raw: str | None, *, field: str) -> datetime | None:
    """A date (its midnight, UTC) or an ISO datetime with an offset."""
    if raw is None or raw == "":
        return None
    try:
        value = (datetime.combine(date.fromisoformat(raw), time(), tzinfo=UTC)
                 if len(raw) == 10 else datetime.fromisoformat(raw))
    except ValueError:
        raise InvalidInput(f"{field} must be a date or an ISO datetime",
                           details={"field": field}) from None
    if value.tzinfo is None:
        raise InvalidInput(f"{field} needs a UTC offset", details={"field": field})
    if not EARLIEST <= value.date() <= LATEST:  # a day later must still be a date
        raise InvalidInput(f"{field} must be between {EARLIEST} and {LATEST}",
                           details={"field": field})
    return value


def read_journal(ctx: ServiceContext, *, start: datetime | None, end: datetime | None,
                 document: str | None = None) -> list[JournalEntry]:
    with ctx.uow(read_only=True) as uow:
        return journal.entries(connection_of(uow), ctx.currency, start=start, end=end,
                               document_number=document)


def journal_payload(ctx: ServiceContext, entries: list[JournalEntry]) -> dict[str, Any]:
    return {"entries": [entry_json(entry, ctx.currency) for entry in entries]}


def daily_trial_balance(ctx: ServiceContext, *, start: datetime,
                        end: datetime) -> dict[str, Any]:
    """Per UTC day from ``start`` to ``end``: debits, credits and balance per account."""
    if end <= start or end - start > timedelta(days=MAX_DAYS):
        raise InvalidInput(f"the range must cover 1 to {MAX_DAYS} days",
                           details={"field": "to"})
    days: dict[date, list[JournalEntry]] = defaultdict(list)
    for entry in read_journal(ctx, start=start, end=end):
        days[entry.occurred_at.astimezone(UTC).date()].append(entry)
    money = ctx.currency.format
    result = []
    for day in sorted(days):
        rows = trial_balance(line for entry in days[day] for line in entry.lines)
        result.append({
            "date": day.isoformat(),
            "accounts": [{"account": account, "debit": money(debit), "credit": money(credit),
                          "balance": money(debit - credit)} for account, debit, credit in rows],
            "total_debit": money(sum((row[1] for row in rows), Decimal(0))),
            "total_credit": money(sum((row[2] for row in rows), Decimal(0))),
        })
    return {"days": result}


def chart_payload(ctx: ServiceContext) -> dict[str, Any]:
    with ctx.uow(read_only=True) as uow:
        return {"accounts": dict(journal.chart(connection_of(uow)).accounts)}


def map_accounts(ctx: ServiceContext, mapping: dict[str, str]) -> dict[str, Any]:
    with ctx.uow() as uow:
        journal.set_mappings(connection_of(uow), mapping)
        uow.commit()
    return chart_payload(ctx)


def postings_payload(ctx: ServiceContext, name: str, *, status: str | None,
                     limit: int) -> dict[str, Any]:
    connections.get_connection(ctx, name)
    if status not in (None, posting_queue.PENDING, posting_queue.POSTED, posting_queue.DEAD):
        raise InvalidInput("status must be pending, posted or dead",
                           details={"field": "status"})
    with ctx.uow(read_only=True) as uow:
        found = posting_queue.listing(connection_of(uow), name=name, status=status, limit=limit)
    return {"items": [
        {"id": p.id, "reference": p.reference, "status": p.status, "attempts": p.attempts,
         "last_error": p.last_error, "external_id": p.external_id}
        for p in found
    ]}


def replay_posting(ctx: ServiceContext, name: str, posting_id: int) -> None:
    with ctx.uow() as uow:
        if not posting_queue.replay(connection_of(uow),
                                    name=name, posting_id=posting_id, now=uow.now):
            raise NotFound(f"no dead posting {posting_id} on {name!r}",
                           details={"id": posting_id})
        uow.commit()


def posting_health(ctx: ServiceContext, name: str) -> dict[str, Any]:
    """``ok``, ``retrying`` (the ERP is away: postings queue) or ``failing`` (dead letters)."""
    connections.get_connection(ctx, name)
    with ctx.uow(read_only=True) as uow:
        found = posting_queue.health(connection_of(uow), name)
        refused = oauth_tokens.refusal(connection_of(uow), name)
        now = uow.now
    state = "retrying" if found.retrying else "failing" if found.dead else "ok"
    if refused is not None:
        state = "failing"  # nothing posts until someone consents again
    lag = 0.0 if found.oldest_pending is None else (now - found.oldest_pending).total_seconds()
    return {"state": state, "pending": found.pending, "failed": found.dead,
            "posted": found.posted, "lag_seconds": round(max(lag, 0.0), 3),
            "last_error": refused or found.last_error}
