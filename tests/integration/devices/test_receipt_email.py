"""Receipts mailed from the events log over STARTTLS with auth, once, whatever happens."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import Engine

from support.live_server import free_port
from support.receipt_store import sale_with_customer, second_sale
from support.smtp_server import HOST, MailServer
from tillflow.db.uow import SqlStore, connection_of
from tillflow.domain.store import StoreConfig
from tillflow.ports.records import StoredEvent
from tillflow.receipts import outbox_mail
from tillflow.receipts.mail_settings import MailSettings
from tillflow.receipts.mailer import ReceiptMailer, ReceiptMailRetries, ReceiptSender
from tillflow.retry import RetryPolicy
from tillflow.services import sales
from tillflow.services.context import ServiceContext
from tillflow.services.events import read_events
from tillflow.sync.consumers import ConsumerRunner

NO_JITTER = RetryPolicy(base=30, cap=3600, jitter=lambda: 1.0)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def timed_ctx(engine: Engine, store_config: StoreConfig, clock: Clock) -> ServiceContext:
    return ServiceContext(SqlStore(engine), store_config, clock=clock)


def _sender(server: MailServer | None, *, port: int, password: str = "s3cret pass",
            retry: RetryPolicy = NO_JITTER) -> ReceiptSender:
    settings = MailSettings(host=HOST, port=port, sender="receipts@cafe-elan.example",
                            username="till", password=password,
                            ca_file=str(server.cert_file) if server else None, timeout=3)
    return ReceiptSender(settings=settings, retry=retry)


def _runner(ctx: ServiceContext, sender: ReceiptSender) -> ConsumerRunner:
    return ConsumerRunner(ctx, [ReceiptMailer(sender=sender)],
                          jobs=[ReceiptMailRetries(ctx=ctx, sender=sender)])


def _sale_event(ctx: ServiceContext) -> StoredEvent:
    return next(e for e in read_events(ctx, after=0, limit=500) if e.type == "sale.completed")


def _row(ctx: ServiceContext, sale_id: str) -> outbox_mail.ReceiptEmail:
    with ctx.uow(read_only=True) as uow:
        row = outbox_mail.get(connection_of(uow), sale_id)
    assert row is not None
    return row


def test_the_receipt_is_mailed_once_over_starttls(timed_ctx: ServiceContext,
                                                  tmp_path: Path) -> None:
    sale = sale_with_customer(timed_ctx)
    with MailServer(tmp_path) as server:
        sender = _sender(server, port=server.port)
        assert _runner(timed_ctx, sender).run_once() >= 1
        ReceiptMailer(sender=sender).handle(timed_ctx, _sale_event(timed_ctx))  # redelivered
        assert _runner(timed_ctx, sender).run_once() == 0
    assert server.mailbox.recipients == [["ana@example.org"]]
    message = server.mailbox.messages[0]
    assert message["Subject"] == f"Your receipt {sale.number} from Café Élan"
    assert message["Message-ID"] == f"<receipt.{sale.id}@cafe-elan.example>"
    html = message.get_body(preferencelist=("html",))
    assert html is not None
    assert "Crème fraîche 20 cl" in html.get_content()
    text = message.get_body(preferencelist=("plain",))
    assert text is not None
    assert sale.number in text.get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == f"receipt-{sale.number}.png"
    png = Image.open(io.BytesIO(attachment.get_content()))
    assert png.format == "PNG"
    assert png.height > 400
    row = _row(timed_ctx, sale.id)
    assert (row.status, row.attempts, row.sent_at) == ("sent", 1, timed_ctx.clock())


def test_a_down_mail_server_delays_receipts_never_sales(
    timed_ctx: ServiceContext, clock: Clock, tmp_path: Path
) -> None:
    first = sale_with_customer(timed_ctx)
    port = free_port()  # nothing listens here yet
    runner = _runner(timed_ctx, _sender(None, port=port))
    runner.run_once()
    second = second_sale(timed_ctx)  # sales go on while the mail server is away
    runner.run_once()
    assert sales.get_sale(timed_ctx, first.id).status == first.status
    for sale in (first, second):
        row = _row(timed_ctx, sale.id)
        assert (row.status, row.attempts) == ("pending", 1)
        assert row.last_error is not None
        assert "mail server unavailable" in row.last_error
        assert row.next_attempt_at == clock.now + timedelta(seconds=30)
    assert runner.run_once() == 0  # nothing is due yet
    assert _row(timed_ctx, first.id).attempts == 1
    with MailServer(tmp_path, port=port) as server:
        runner = _runner(timed_ctx, _sender(server, port=port))
        clock.now += timedelta(seconds=31)
        assert runner.run_once() == 2
    assert sorted(m["Subject"] for m in server.mailbox.messages) == [
        f"Your receipt {first.number} from Café Élan",
        f"Your receipt {second.number} from Café Élan"]
    assert {(_row(timed_ctx, s.id).status, _row(timed_ctx, s.id).attempts)
            for s in (first, second)} == {("sent", 2)}


def test_a_wrong_password_is_retried_then_given_up(timed_ctx: ServiceContext,
                                                   clock: Clock, tmp_path: Path) -> None:
    sale = sale_with_customer(timed_ctx)
    with MailServer(tmp_path) as server:
        sender = _sender(server, port=server.port, password="wrong!",
                         retry=RetryPolicy(base=1, max_attempts=2, jitter=lambda: 1.0))
        runner = _runner(timed_ctx, sender)
        runner.run_once()
        assert _row(timed_ctx, sale.id).status == "pending"
        clock.now += timedelta(seconds=2)
        assert runner.run_once() == 1
        clock.now += timedelta(hours=1)
        assert runner.run_once() == 0
    row = _row(timed_ctx, sale.id)
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", 2, None)
    assert row.last_error is not None
    assert "SMTPAuthenticationError" in row.last_error
    assert server.mailbox.messages == []


def test_a_crash_mid_send_is_never_sent_again(timed_ctx: ServiceContext, clock: Clock,
                                              tmp_path: Path) -> None:
    sale = sale_with_customer(timed_ctx)
    with timed_ctx.uow() as uow:  # what a process that died while sending leaves behind
        outbox_mail.ensure(connection_of(uow), sale_id=sale.id, recipient="ana@example.org",
                           now=uow.now)
        row = outbox_mail.get(connection_of(uow), sale.id)
        assert row is not None
        assert outbox_mail.claim(connection_of(uow), row, now=uow.now)
        assert not outbox_mail.claim(connection_of(uow), row, now=uow.now)  # one claim per attempt
        uow.commit()
    with MailServer(tmp_path) as server:
        sender = _sender(server, port=server.port)
        runner = _runner(timed_ctx, sender)
        runner.run_once()  # the event again, and the job: the attempt may still be running
        assert _row(timed_ctx, sale.id).status == "sending"
        clock.now += sender.longest_attempt + timedelta(seconds=1)
        assert runner.run_once() == 1
        ReceiptMailer(sender=sender).handle(timed_ctx, _sale_event(timed_ctx))
    assert server.mailbox.messages == []
    row = _row(timed_ctx, sale.id)
    assert (row.status, row.last_error) == ("unconfirmed", outbox_mail.CRASHED_MID_SEND)


@pytest.mark.parametrize(("email", "with_customer"), [(None, True), ("ana@example.org", False)])
def test_no_email_no_customer_no_mail(timed_ctx: ServiceContext, email: str | None,
                                      with_customer: bool) -> None:
    sale = sale_with_customer(timed_ctx, email=email, with_customer=with_customer)
    _runner(timed_ctx, _sender(None, port=free_port())).run_once()
    with timed_ctx.uow(read_only=True) as uow:
        assert outbox_mail.get(connection_of(uow), sale.id) is None
