"""Golden bytes of the ESC/POS encoder, and what the virtual printer, reading the bytes on
its own, says was printed."""

from hypothesis import given, settings
from hypothesis import strategies as st

from support.printout import expected, seen
from support.receipt_samples import sale
from tillflow.receipt_layout.document import (
    LARGE,
    Barcode,
    Block,
    Cut,
    DrawerKick,
    Feed,
    QrCode,
    ReceiptDocument,
    Span,
    TextLine,
    TextStyle,
    line,
)
from tillflow.receipt_layout.escpos import encode
from tillflow.receipt_layout.profiles import EPSON_80MM, GENERIC_58MM_NO_CUTTER, DrawerPulse
from tillflow.receipt_layout.render import render_receipt
from tillflow_simulators.escpos import profiles as printers
from tillflow_simulators.escpos.parser import EscposParser

INIT_CP858 = b"\x1b@\x1bt\x13"


def test_golden_bytes_of_styles_barcode_qr_and_cut() -> None:
    document = ReceiptDocument(
        blocks=(
            line("Café", style=LARGE, align="center"),
            line("x"),
            Barcode(data="S-1"),
            QrCode(data="abc"),
            Cut(partial=True),
        )
    )
    assert encode(document, profile=EPSON_80MM) == (
        INIT_CP858
        + b"\x1ba\x01\x1d!\x11\x1bE\x01Caf\x82\n"
        + b"\x1ba\x00\x1d!\x00\x1bE\x00x\n"
        + b"\x1ba\x01\x1dh@\x1dw\x02\x1df\x00\x1dH\x02\x1dkI\x05{BS-1"
        + b"\x1d(k\x04\x001A2\x00\x1d(k\x03\x001C\x06\x1d(k\x03\x001E1"
        + b"\x1d(k\x06\x001P0abc\x1d(k\x03\x001Q0"
        + b"\x1bd\x06\x1dV\x01"
    )


def test_euro_pound_and_accents_use_the_profile_code_page() -> None:
    data = encode(ReceiptDocument(blocks=(line("€ £ é ñ ü"),)), profile=EPSON_80MM)
    assert data == INIT_CP858 + b"\xd5 \x9c \x82 \xa4 \x81\n"


def test_a_character_outside_the_code_page_switches_page_instead_of_garbling() -> None:
    document = ReceiptDocument(blocks=(line("Жé"),))
    data = encode(document, profile=EPSON_80MM)
    assert b"?" not in data
    parser = EscposParser(printers.EPSON_80MM)
    parser.feed(data)
    assert seen(parser.elements) == expected(document)


def test_drawer_kick_pin_and_pulse_times() -> None:
    pulse = DrawerPulse(pin=5, on_ms=50, off_ms=500)
    data = encode(ReceiptDocument(blocks=(pulse.kick(),)), profile=EPSON_80MM)
    assert data == INIT_CP858 + b"\x1bp\x01\x19\xfa"


def test_full_cut_and_feed() -> None:
    data = encode(ReceiptDocument(blocks=(Feed(3), Cut(partial=False))), profile=EPSON_80MM)
    assert data == INIT_CP858 + b"\x1bd\x03\x1bd\x06\x1dV\x00"


def test_whole_receipt_prints_as_laid_out() -> None:
    for profile, printer in (
        (EPSON_80MM, printers.EPSON_80MM),
        (GENERIC_58MM_NO_CUTTER, printers.GENERIC_58MM),
    ):
        document = render_receipt(sale(), profile=profile)
        parser = EscposParser(printer)
        parser.feed(encode(document, profile=profile))
        assert seen(parser.elements) == expected(document)
        assert parser.unknown == []


printable_characters = st.characters(codec="cp858", categories=("L", "N", "P", "S", "Zs"))
printable = st.text(alphabet=printable_characters, max_size=30)
words = st.text(alphabet=printable_characters, min_size=1, max_size=8)
styles = st.builds(
    TextStyle,
    bold=st.booleans(),
    underline=st.integers(0, 2),
    width=st.integers(1, 8),
    height=st.integers(1, 8),
    font=st.sampled_from(["a", "b"]),
    invert=st.booleans(),
)


PRINTER = printers.EPSON_80MM
CELL_DOTS = {"a": PRINTER.cell_width("A"), "b": PRINTER.cell_width("B")}


def _fits(text_line: TextLine) -> bool:
    """Whether the line fits the paper; a longer one wraps, as on a real printer."""
    used = sum(len(s.text) * s.style.width * CELL_DOTS[s.style.font] for s in text_line.spans)
    return used <= PRINTER.dots


text_lines = st.builds(
    TextLine,
    spans=st.lists(st.builds(Span, words, styles), max_size=3).map(tuple),
    align=st.sampled_from(["left", "center", "right"]),
).filter(_fits)
blocks: st.SearchStrategy[Block] = st.one_of(
    text_lines,
    st.builds(Barcode, data=st.text(alphabet="ABC123-", min_size=1, max_size=12)),
    st.builds(QrCode, data=printable.filter(bool), size=st.integers(1, 16)),
    st.builds(Feed, st.integers(1, 5)),
    st.builds(Cut, partial=st.booleans()),
    st.builds(DrawerKick, pin=st.sampled_from([2, 5]), on_ms=st.sampled_from([50, 100, 500])),
)


@settings(max_examples=150)
@given(st.lists(blocks, max_size=8))
def test_any_document_round_trips_through_bytes(document_blocks: list[Block]) -> None:
    document = ReceiptDocument(blocks=tuple(document_blocks))
    data = encode(document, profile=EPSON_80MM)
    parser = EscposParser(PRINTER)
    for start in range(0, len(data), 7):
        parser.feed(data[start : start + 7])
    assert seen(parser.elements) == expected(document)
