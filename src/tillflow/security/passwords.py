"""Back-office passwords, stored only as salted scrypt hashes (as PINs are).

A password is the member's own and apart from their till PIN: the PIN is short and typed
in front of customers, the password opens the whole back office.
"""

from __future__ import annotations

from tillflow.security.pins import hash_pin, verify_pin

PASSWORD_MIN_CHARS = 10
PASSWORD_MAX_CHARS = 200


def valid_password(password: str) -> bool:
    """Long enough to resist guessing offline, short enough to hash cheaply, and not all
    digits (a PIN is no password)."""
    return (PASSWORD_MIN_CHARS <= len(password) <= PASSWORD_MAX_CHARS
            and password.strip() == password and not password.isdigit())


def hash_password(password: str) -> str:
    return hash_pin(password)


def verify_password(password: str, stored: str | None) -> bool:
    """Constant-time check; a member with no password set never matches."""
    return stored is not None and verify_pin(password, stored)
