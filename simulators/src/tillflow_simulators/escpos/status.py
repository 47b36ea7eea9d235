"""The bytes an Epson-compatible printer answers to ``DLE EOT n`` (real-time status)."""

from __future__ import annotations

# Bits 1 and 4 are always set; the rest flag conditions (ESC/POS DLE EOT reference).
FIXED = 0x12
OFFLINE = 0x08
STOPPED_BY_PAPER_END = 0x20
PAPER_NEAR_END = 0x0C
PAPER_END = 0x60


def status_byte(query: int, *, paper_out: bool, near_end: bool) -> int:
    """The answer to status query ``query`` (1 printer, 2 offline cause, 3 error, 4 paper)."""
    if query == 1:
        return FIXED | (OFFLINE if paper_out else 0)
    if query == 2:
        return FIXED | (STOPPED_BY_PAPER_END if paper_out else 0)
    if query == 4:
        return FIXED | (PAPER_END if paper_out else 0) | (PAPER_NEAR_END if near_end else 0)
    return FIXED
