"""Emailed receipts: a consumer of ``sale.completed`` and a retry job, both in the worker.

The consumer tries each receipt once, as the sale's event arrives, and never raises for
a mail failure, so the events behind it keep flowing. A failed receipt waits in
``receipt_emails`` for the retry job, which sends it again when the workers'
``RetryPolicy`` says so, until it is sent or retrying is over (``failed``). Nothing here
runs in the sale's request: a slow or absent mail server delays only the email. See
``outbox_mail`` for why a receipt is never sent twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage

import structlog

from tillflow.db.uow import connection_of
from tillflow.ports.records import StoredEvent
from tillflow.receipt_layout.profiles import EPSON_80MM, PrinterProfile
from tillflow.receipt_layout.render import render_receipt
from tillflow.receipts import outbox_mail
from tillflow.receipts.mail import MailError, deliver, receipt_message
from tillflow.receipts.mail_settings import MailSettings
from tillflow.receipts.reprint import render, sale_receipt_data
from tillflow.retry import RetryPolicy
from tillflow.services.context import ServiceContext

log = structlog.get_logger("tillflow.receipts")
# Mail servers come back in minutes, not seconds: 30 s growing to an hour, 8 attempts.
RETRY = RetryPolicy(base=30, cap=3600, max_attempts=8)
BATCH = 20


@dataclass(frozen=True, kw_only=True)
class ReceiptSender:
    settings: MailSettings
    profile: PrinterProfile = EPSON_80MM
    retry: RetryPolicy = RETRY

    def attempt(self, ctx: ServiceContext, sale_id: str) -> bool:
        """Send the receipt if an attempt is due and no other worker took it; True if tried."""
        with ctx.uow(read_only=True) as uow:
            row = outbox_mail.get(connection_of(uow), sale_id)
            due = row is not None and row.due(uow.now)
        if row is None or not due:
            return False
        message = self._message(ctx, sale_id, row.recipient)
        with ctx.uow() as uow:
            if not outbox_mail.claim(connection_of(uow), row, now=uow.now):
                return False
            uow.commit()
        attempt = row.attempts + 1
        try:
            deliver(self.settings, message)
        except MailError as exc:
            self._failed(ctx, sale_id, attempt, exc)
            return True
        with ctx.uow() as uow:
            outbox_mail.finish(connection_of(uow), sale_id, status="sent", now=uow.now)
            uow.commit()
        return True

    def _message(self, ctx: ServiceContext, sale_id: str, recipient: str) -> EmailMessage:
        data = sale_receipt_data(ctx, sale_id)
        return receipt_message(
            data, png=render(data, profile=self.profile, output="png"),
            text=render_receipt(data, profile=self.profile, open_drawer=False).text,
            sender=self.settings.sender, recipient=recipient,
        )

    def _failed(self, ctx: ServiceContext, sale_id: str, attempt: int, exc: MailError) -> None:
        give_up = not exc.retriable or self.retry.exhausted(attempt)
        with ctx.uow() as uow:
            retry_at = uow.now + timedelta(seconds=self.retry.delay(attempt))
            outbox_mail.finish(connection_of(uow),
                               sale_id, status="failed" if give_up else "pending",
                               now=uow.now, error=str(exc),
                               next_attempt_at=None if give_up else retry_at)
            uow.commit()
        log.warning("receipt email not sent", sale_id=sale_id, attempt=attempt,
                    gave_up=give_up, error=str(exc))

    @property
    def longest_attempt(self) -> timedelta:
        """Longer than an attempt lasts (about ten SMTP exchanges, each timed out). Should
        one outlast it, its row reads ``unconfirmed`` until it records ``sent``: a late
        guess costs a label, never a second email."""
        return timedelta(seconds=self.settings.timeout * 30)


@dataclass(frozen=True, kw_only=True)
class ReceiptMailer:
    """The consumer: one row and a first attempt per sale with a customer's email."""

    sender: ReceiptSender

    @property
    def name(self) -> str:
        return "receipt-email"

    def handle(self, ctx: ServiceContext, event: StoredEvent) -> None:
        if event.type != "sale.completed" or not event.data.get("customer"):
            return
        with ctx.uow() as uow:
            customer = uow.customers.get(event.data["customer"])
            if customer is None or not customer.email:
                return
            outbox_mail.ensure(connection_of(uow), sale_id=event.data["id"],
                               recipient=customer.email, now=uow.now)
            uow.commit()
        self.sender.attempt(ctx, event.data["id"])


@dataclass(frozen=True, kw_only=True)
class ReceiptMailRetries:
    """The worker job: retries that are due, and rows a crashed process left mid-send."""

    ctx: ServiceContext
    sender: ReceiptSender

    def run_once(self) -> int:
        with self.ctx.uow() as uow:
            abandoned = outbox_mail.mark_unconfirmed(
                connection_of(uow), sending_before=uow.now - self.sender.longest_attempt,
                now=uow.now)
            due = outbox_mail.due(connection_of(uow), now=uow.now, limit=BATCH)
            uow.commit()
        if abandoned:
            log.warning("receipt emails unconfirmed", count=abandoned)
        return abandoned + sum(self.sender.attempt(self.ctx, sale_id) for sale_id in due)


def _sender(environ: Mapping[str, str] | None) -> ReceiptSender | None:
    settings = MailSettings.from_env(environ)
    return None if settings is None else ReceiptSender(settings=settings)


def receipt_consumers(environ: Mapping[str, str] | None = None) -> list[ReceiptMailer]:
    """The mailer when a mail server is configured (``TILLFLOW_SMTP_*``), else none."""
    sender = _sender(environ)
    return [] if sender is None else [ReceiptMailer(sender=sender)]


def receipt_jobs(ctx: ServiceContext,
                 environ: Mapping[str, str] | None = None) -> list[ReceiptMailRetries]:
    """The retry job when a mail server is configured, else none."""
    sender = _sender(environ)
    return [] if sender is None else [ReceiptMailRetries(ctx=ctx, sender=sender)]
