"""Staff PINs (and back-office passwords), stored only as salted scrypt hashes.

A PIN has few digits, so a fast hash of it falls to brute force at once; scrypt makes each
guess cost memory and time, and the server also locks a member out after failed attempts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SCHEME = "scrypt"
_N, _R, _P = 2**14, 8, 1
_SALT_BYTES = 16
_KEY_BYTES = 32
PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 8


def valid_pin(pin: str) -> bool:
    return pin.isascii() and pin.isdigit() and PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS


def hash_pin(pin: str) -> str:
    """A salted scrypt hash of a PIN or any other short secret a person types."""
    salt = secrets.token_bytes(_SALT_BYTES)
    key = _derive(pin, salt, n=_N, r=_R, p=_P)
    return "$".join((SCHEME, str(_N), str(_R), str(_P), _b64(salt), _b64(key)))


def verify_pin(pin: str, stored: str) -> bool:
    """Constant-time check of ``pin`` against a hash made by ``hash_pin``."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        expected = base64.b64decode(key)
        derived = _derive(pin, base64.b64decode(salt), n=int(n), r=int(r), p=int(p))
    except ValueError:
        return False
    return scheme == SCHEME and hmac.compare_digest(derived, expected)


def _derive(pin: str, salt: bytes, *, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=_KEY_BYTES,
                          maxmem=64 * 1024 * 1024)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()
