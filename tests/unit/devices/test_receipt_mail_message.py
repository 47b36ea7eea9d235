"""The receipt email's parts, the SMTP settings from the environment, Accept negotiation."""

from dataclasses import replace

import pytest
from starlette.exceptions import HTTPException

from support.receipt_samples import sale
from tillflow.api.routes.receipts import negotiate
from tillflow.receipts.mail import receipt_html, receipt_message
from tillflow.receipts.mail_settings import MailSettings


def test_the_message_has_html_text_and_the_png() -> None:
    data = sale()
    message = receipt_message(data, png=b"\x89PNG...", text="RECEIPT S-000042",
                              sender="till@cafe.example", recipient="zoe@example.org")
    assert message["Subject"] == "Your receipt S-000042 from Café Élan"
    assert message["Message-ID"] == f"<receipt.{data.document_id}@cafe.example>"
    assert message["Date"] == "Sat, 01 Mar 2025 10:30:00 +0000"
    assert [part.get_content_type() for part in message.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "image/png"]
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content() == b"\x89PNG..."


def test_the_html_escapes_and_lists_lines_and_totals() -> None:
    html = receipt_html(sale())
    assert "Crème brûlée" in html
    assert "<td align=\"right\">€12.58</td>" in html
    assert "Change" in html
    assert "<script" not in receipt_html(replace(sale(), document_number="<script>"))


def test_mail_settings_come_from_the_environment() -> None:
    assert MailSettings.from_env({}) is None
    settings = MailSettings.from_env({
        "TILLFLOW_SMTP_HOST": "mail.example", "TILLFLOW_SMTP_FROM": "till@cafe.example",
        "TILLFLOW_SMTP_USERNAME": "till", "TILLFLOW_SMTP_PASSWORD": "hunter22",
        "TILLFLOW_SMTP_PORT": "2525",
    })
    assert settings is not None
    assert (settings.port, settings.security, settings.username) == (2525, "starttls", "till")
    assert "hunter22" not in repr(settings)
    for broken in ({"TILLFLOW_SMTP_SECURITY": "ssl3"}, {"TILLFLOW_SMTP_FROM": "nobody"},
                   {"TILLFLOW_SMTP_PASSWORD": ""}):
        env = {"TILLFLOW_SMTP_HOST": "mail.example", "TILLFLOW_SMTP_FROM": "a@b.example",
               "TILLFLOW_SMTP_USERNAME": "till", "TILLFLOW_SMTP_PASSWORD": "x", **broken}
        with pytest.raises(ValueError, match="SMTP"):
            MailSettings.from_env(env)


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("image/png", "png"),
        ("*/*", "png"),
        ("application/octet-stream", "escpos"),
        ("image/png;q=0.5, application/octet-stream", "escpos"),
        ("text/html, image/*;q=0.1", "png"),
    ],
)
def test_accept_chooses_png_or_escpos(accept: str, chosen: str) -> None:
    assert negotiate(accept) == chosen


def test_an_unservable_accept_is_406() -> None:
    with pytest.raises(HTTPException) as raised:
        negotiate("text/html, image/png;q=0")
    assert raised.value.status_code == 406
