"""How tillflow reaches the store's mail server, read from the environment.

``TILLFLOW_SMTP_HOST`` turns emailed receipts on. With it: ``TILLFLOW_SMTP_FROM`` (the
sender address, required), ``TILLFLOW_SMTP_PORT`` (587), ``TILLFLOW_SMTP_SECURITY``
(``starttls``, the default; ``tls`` for implicit TLS, usually port 465; ``none`` only for a
relay on the same machine), ``TILLFLOW_SMTP_USERNAME`` / ``TILLFLOW_SMTP_PASSWORD``,
``TILLFLOW_SMTP_CA_FILE`` (trust a private certificate authority) and
``TILLFLOW_SMTP_TIMEOUT`` (seconds, 10).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Security = Literal["starttls", "tls", "none"]
_SECURITIES: tuple[Security, ...] = ("starttls", "tls", "none")


@dataclass(frozen=True, kw_only=True)
class MailSettings:
    host: str
    sender: str
    port: int = 587
    security: Security = "starttls"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_file: str | None = None
    timeout: float = 10.0

    def __post_init__(self) -> None:
        if self.security not in _SECURITIES:
            raise ValueError(f"SMTP security must be one of {', '.join(_SECURITIES)}")
        if (self.username is None) != (self.password is None):
            raise ValueError("SMTP username and password go together")
        if "@" not in self.sender:
            raise ValueError(f"SMTP sender {self.sender!r} is not an email address")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> MailSettings | None:
        """The settings, or ``None`` when no mail server is configured."""
        env = os.environ if environ is None else environ
        host = env.get("TILLFLOW_SMTP_HOST")
        if not host:
            return None
        security = env.get("TILLFLOW_SMTP_SECURITY", "starttls")
        if security not in _SECURITIES:
            raise ValueError(f"TILLFLOW_SMTP_SECURITY must be one of {', '.join(_SECURITIES)}")
        return cls(
            host=host,
            sender=env.get("TILLFLOW_SMTP_FROM", ""),
            port=int(env.get("TILLFLOW_SMTP_PORT", "587")),
            security=security,
            username=env.get("TILLFLOW_SMTP_USERNAME") or None,
            password=env.get("TILLFLOW_SMTP_PASSWORD") or None,
            ca_file=env.get("TILLFLOW_SMTP_CA_FILE") or None,
            timeout=float(env.get("TILLFLOW_SMTP_TIMEOUT", "10")),
        )
