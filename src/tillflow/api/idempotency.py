"""The Idempotency-Key header: an identifier with a format of its own, never free text.

A key is a UUID (what the register sends), with or without its dashes, or 1-255 letters,
digits and ``-_.:~`` holding no run of 13 or more digits, even one split by those
characters. A card number always has such a run, so none is stored as a key but as a
UUID's hexadecimal digits; one sent as a key is refused as card data.
"""

from __future__ import annotations

import re

from tillflow.domain.card_data import CardDataRefused, card_data_message, contains_card_number
from tillflow.domain.errors import InvalidInput

HEADER = "Idempotency-Key"
MAX_LENGTH = 255
# A UUID with or without its dashes (Python's uuid4().hex).
_UUID = re.compile(r"^[0-9a-fA-F]{8}(-?[0-9a-fA-F]{4}){3}-?[0-9a-fA-F]{12}$")
_TOKEN = re.compile(rf"^[A-Za-z0-9._:~-]{{1,{MAX_LENGTH}}}$")
_LONG_DIGIT_RUN = re.compile(r"[0-9](?:[._:~-]?[0-9]){12}")


def checked_key(key: str | None) -> str | None:
    """``key`` if it is well formed; raise ``InvalidInput`` (or ``CardDataRefused``) if not."""
    if key is None or _UUID.match(key):
        return key
    if _TOKEN.match(key) and not _LONG_DIGIT_RUN.search(key):
        return key
    if contains_card_number(key):
        raise CardDataRefused(card_data_message(HEADER), details={"field": HEADER})
    raise InvalidInput(
        f"{HEADER} must be a UUID, or 1-{MAX_LENGTH} letters, digits and -_.:~ "
        "with no run of 13 or more digits", details={"field": HEADER})
