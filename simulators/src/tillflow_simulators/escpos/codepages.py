"""``ESC t n`` table numbers to Python codecs, from a python-escpos printer profile.

The numbering is the printer's own: CP858 is table 19 on an Epson and 53 on a POS-5890.
"""

from __future__ import annotations

import codecs
from functools import cache

from escpos.capabilities import get_profile

FALLBACK = "cp437"


@cache
def codec_for(table: int, escpos_profile: str = "default") -> str:
    """The Python codec of code table ``table``; unknown tables fall back to CP437."""
    return _codecs(escpos_profile).get(table, FALLBACK)


@cache
def _codecs(escpos_profile: str) -> dict[int, str]:
    known: dict[int, str] = {}
    for name, number in get_profile(escpos_profile).get_code_pages().items():
        codec = name.lower().replace("iso_", "iso")
        try:
            codecs.lookup(codec)
        except LookupError:
            continue
        known[int(number)] = codec
    return known
