"""The agent's settings and the printer URL syntax of ``tillflow devices serve``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tillflow.devices.transports import (
    CupsTransport,
    FileTransport,
    NetworkTransport,
    SerialTransport,
    Transport,
    UsbTransport,
)
from tillflow.domain.barcodes import DEFAULT_RCN_RULES, RcnRule
from tillflow.receipt_layout.profiles import EPSON_80MM, PrinterProfile


@dataclass(frozen=True, kw_only=True)
class AgentSettings:
    register: str
    token: str
    queue_path: Path
    transport: Transport
    profile: PrinterProfile = EPSON_80MM
    scanner_url: str | None = None
    scanner_baudrate: int = 9600
    rcn_rules: tuple[RcnRule, ...] = field(default=DEFAULT_RCN_RULES)
    retry_seconds: float = 1.0
    # The browser register is served by tillflow, another origin than the agent's:
    # it may call the agent only from the origins named here.
    allowed_origins: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if len(self.token) < 16:
            raise ValueError("the agent token must have at least 16 characters")


def parse_printer_url(url: str) -> Transport:
    """``tcp://host[:9100]``, ``usb://VID:PID[?out_ep=0x01&in_ep=0x82]``,
    ``serial:///dev/ttyS0?baudrate=9600``, ``file:///dev/usb/lp0`` or ``cups://QUEUE``."""
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if parts.scheme == "tcp" and parts.hostname:
        return NetworkTransport(host=parts.hostname, port=parts.port or 9100)
    if parts.scheme == "usb":
        vendor, _, product = parts.netloc.partition(":")
        return UsbTransport(vendor_id=int(vendor, 16), product_id=int(product, 16),
                            in_ep=int(query.get("in_ep", "0x82"), 16),
                            out_ep=int(query.get("out_ep", "0x01"), 16))
    if parts.scheme == "serial" and parts.path:
        return SerialTransport(device=parts.path, baudrate=int(query.get("baudrate", "9600")))
    if parts.scheme == "file" and parts.path:
        return FileTransport(path=parts.path)
    if parts.scheme == "cups" and parts.netloc:
        return CupsTransport(queue=parts.netloc)
    raise ValueError(f"unsupported printer URL {url!r}")
