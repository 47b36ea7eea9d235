"""Encrypting connection secrets at rest (Fernet: AES-128-CBC with HMAC-SHA256).

The key comes from ``TILLFLOW_SECRET_KEY``. An embedded store without one gets a key file
in ``TILLFLOW_HOME`` (readable by its owner only) on first use, so a demo works out of the
box; a production deployment sets the variable and keeps the key out of the database.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

KEY_FILE = "secret.key"


class SecretKeyError(RuntimeError):
    """The key is missing, malformed, or not the one the secrets were sealed with."""


class SecretBox:
    def __init__(self, key: str) -> None:
        try:
            self._fernet = Fernet(key.encode())
        except ValueError:
            raise SecretKeyError(
                "TILLFLOW_SECRET_KEY must be 32 url-safe base64-encoded bytes "
                "(make one with: tillflow secret-key)"
            ) from None

    def seal(self, secrets: dict[str, str]) -> str:
        return self._fernet.encrypt(json.dumps(secrets, sort_keys=True).encode()).decode()

    def open(self, sealed: str) -> dict[str, str]:
        try:
            opened: dict[str, str] = json.loads(self._fernet.decrypt(sealed.encode()))
        except InvalidToken:
            raise SecretKeyError(
                "stored secrets cannot be opened with this TILLFLOW_SECRET_KEY"
            ) from None
        return opened

    def __repr__(self) -> str:
        return "SecretBox(<key hidden>)"


def new_key() -> str:
    return Fernet.generate_key().decode()


def load_key(*, environ_key: str | None, home: Path) -> str:
    """The configured key, else the embedded store's key file (created if missing)."""
    if environ_key:
        return environ_key
    path = home / KEY_FILE
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(new_key())
    return path.read_text().strip()
