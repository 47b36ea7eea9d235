"""The customer's receipt as an email, and its delivery over SMTP.

Delivery errors are classified by what the sender does next: a refused recipient or
message will be refused again (``retriable=False``); anything else (server down, slow,
busy, a wrong password being fixed) is worth another attempt later.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime
from html import escape

from tillflow.receipt_layout.data import ReceiptData
from tillflow.receipt_layout.render import money
from tillflow.receipts.mail_settings import MailSettings


class MailError(Exception):
    def __init__(self, message: str, *, retriable: bool) -> None:
        super().__init__(message)
        self.retriable = retriable


def receipt_message(data: ReceiptData, *, png: bytes, text: str, sender: str,
                    recipient: str) -> EmailMessage:
    """HTML body, the printed text as the plain alternative, the receipt PNG attached.

    The Message-ID is derived from the document, so a copy the mail system ever sees
    twice is recognisable as the same receipt.
    """
    message = EmailMessage()
    message["Subject"] = f"Your receipt {data.document_number} from {data.store.name}"
    message["From"] = sender
    message["To"] = recipient
    message["Date"] = format_datetime(data.issued_at)
    message["Message-ID"] = f"<receipt.{data.document_id}@{sender.rpartition('@')[2]}>"
    message.set_content(text)
    message.add_alternative(receipt_html(data), subtype="html")
    message.add_attachment(png, maintype="image", subtype="png",
                           filename=f"receipt-{data.document_number}.png")
    return message


def receipt_html(data: ReceiptData) -> str:
    currency = data.currency
    # Lines at their full amount with each discount under them, as the printer prints
    # them: the lines add up to the subtotal.
    rows = "".join(
        f"<tr><td>{escape(line.description)}</td>"
        f"<td align=\"right\">{escape(format(line.quantity.normalize(), 'f'))}</td>"
        f"<td align=\"right\">{escape(money(line.line_total, currency))}</td></tr>"
        + (f"<tr><td colspan=\"2\">&nbsp;&nbsp;Discount</td>"
           f"<td align=\"right\">{escape(money(-line.discount, currency))}</td></tr>"
           if line.discount else "")
        for line in data.lines
    )
    totals = [("Subtotal", data.subtotal), ("Discount", -data.discount_total),
              ("Tax", data.tax_total), ("Total", data.total)]
    totals += [(tender.method.capitalize(), tender.amount) for tender in data.tenders]
    if data.change:
        totals.append(("Change", data.change))
    total_rows = "".join(
        f"<tr><td colspan=\"2\">{escape(label)}</td>"
        f"<td align=\"right\">{escape(money(amount, currency))}</td></tr>"
        for label, amount in totals if amount or label == "Total"
    )
    address = "<br>".join(escape(part) for part in data.store.address_lines)
    tax_id = f"<br>Tax ID {escape(data.store.tax_id)}" if data.store.tax_id else ""
    footer = "".join(f"<p>{escape(text)}</p>" for text in data.footer)
    when = data.issued_at.strftime("%Y-%m-%d %H:%M")
    return (
        "<!doctype html><html><body style=\"font-family:sans-serif\">"
        f"<h2>{escape(data.store.name)}</h2><p>{address}{tax_id}</p>"
        f"<p>Receipt <b>{escape(data.document_number)}</b>, {escape(when)}</p>"
        f"<table cellpadding=\"4\">{rows}{total_rows}</table>{footer}"
        "<p>The printed receipt is attached; show it to return an item.</p>"
        "</body></html>"
    )


def deliver(settings: MailSettings, message: EmailMessage) -> None:
    """Send ``message``; raise ``MailError`` saying whether a retry can help."""
    try:
        with _connect(settings) as client:
            if settings.security == "starttls":
                # Fails when the server offers no STARTTLS: credentials never go in clear.
                client.starttls(context=_tls(settings))
            if settings.username is not None and settings.password is not None:
                client.login(settings.username, settings.password)
            client.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailError(f"recipient refused: {_first(exc.recipients)}", retriable=False) from exc
    except smtplib.SMTPDataError as exc:
        raise MailError(f"message refused: {exc.smtp_code} {exc.smtp_error!r}",
                        retriable=exc.smtp_code < 500) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(f"mail server unavailable: {type(exc).__name__}: {exc}",
                        retriable=True) from exc


def _connect(settings: MailSettings) -> smtplib.SMTP:
    if settings.security == "tls":
        return smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                context=_tls(settings))
    return smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)


def _tls(settings: MailSettings) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=settings.ca_file)


def _first(refused: dict[str, tuple[int, bytes]]) -> str:
    address, (code, reason) = next(iter(refused.items()))
    return f"{address} ({code} {reason.decode(errors='replace')})"
