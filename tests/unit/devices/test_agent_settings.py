"""Printer URLs of ``tillflow devices serve`` and the agent's settings checks."""

from pathlib import Path

import pytest

from tillflow.devices.agent.settings import AgentSettings, parse_printer_url
from tillflow.devices.transports import (
    CupsTransport,
    FileTransport,
    NetworkTransport,
    SerialTransport,
    UsbTransport,
)


@pytest.mark.parametrize(
    ("url", "transport"),
    [
        ("tcp://192.168.1.50", NetworkTransport(host="192.168.1.50", port=9100)),
        ("tcp://printer.local:9101", NetworkTransport(host="printer.local", port=9101)),
        ("usb://04b8:0202", UsbTransport(vendor_id=0x04B8, product_id=0x0202)),
        (
            "serial:///dev/ttyS0?baudrate=19200",
            SerialTransport(device="/dev/ttyS0", baudrate=19200),
        ),
        ("file:///dev/usb/lp0", FileTransport(path="/dev/usb/lp0")),
        ("cups://TM-T20", CupsTransport(queue="TM-T20")),
    ],
)
def test_printer_urls(url: str, transport: object) -> None:
    assert parse_printer_url(url) == transport


def test_unknown_printer_url_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported printer URL"):
        parse_printer_url("lpt://1")


def test_short_tokens_are_refused() -> None:
    with pytest.raises(ValueError, match="16 characters"):
        AgentSettings(
            register="R1",
            token="short",
            queue_path=Path("q.sqlite3"),
            transport=FileTransport(path="/dev/null"),
        )
