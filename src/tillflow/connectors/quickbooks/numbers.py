"""The ``DocNumber`` tillflow gives what it makes in QuickBooks, to find it again.

A sale's or return's document carries its number; anything else (a journal entry, a
payment) is numbered ``TF`` and a digest of its key, since a ``DocNumber`` holds 21
characters.
"""

from __future__ import annotations

import base64
import hashlib

from tillflow.domain.accounting.entries import JournalEntry

DOC_NUMBER_LENGTH = 21
RECEIVABLE = "receivable"


def number_of(key: str) -> str:
    digest = base64.b32encode(hashlib.sha256(key.encode()).digest()).decode()
    return "TF" + digest[:DOC_NUMBER_LENGTH - 2]


def sale_number(number: str, reference: str) -> str:
    """A document's own number where it fits, else the digest of its reference."""
    return number if number and len(number) <= DOC_NUMBER_LENGTH else number_of(reference)


def doc_number(entry: JournalEntry) -> str:
    if entry.source is None:
        return number_of(entry.reference)
    return sale_number(entry.source.number, entry.reference)
