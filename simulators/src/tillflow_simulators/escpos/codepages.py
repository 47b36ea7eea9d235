"""Character code tables (``ESC t n``) as the printer database publishes them.

The numbering is the model's own: CP858 is table 19 on an Epson and 53 on a POS-5890.
Bytes below 0x80 are ASCII on every table; the database gives the upper half either as a
Python codec or as the 128 characters themselves.
"""

from __future__ import annotations

import codecs
from functools import cache

from escpos.capabilities import CAPABILITIES
from escpos.capabilities import get_profile as capabilities

UNPRINTABLE = "\ufffd"
# What an Epson selects at power-on and after ESC @.
POWER_ON_TABLE = 0


def decode(data: bytes, *, table: int, model: str) -> str:
    upper = _upper_half(table, model)
    return "".join(chr(byte) if byte < 0x80 else upper[byte - 0x80] for byte in data)


@cache
def _upper_half(table: int, model: str) -> str:
    name = _table_names(model).get(table)
    encoding = CAPABILITIES["encodings"].get(name, {}) if name else {}
    if "data" in encoding:
        # The published rows leave unassigned positions blank.
        return "".join(encoding["data"]).replace(" ", UNPRINTABLE)
    codec = encoding.get("python_encode")
    if codec is None:
        return UNPRINTABLE * 128
    return bytes(range(0x80, 0x100)).decode(codecs.lookup(codec).name, errors="replace")


@cache
def _table_names(model: str) -> dict[int, str]:
    pages = capabilities(model).get_code_pages()
    return {int(number): name for name, number in pages.items()}
