"""Golden bytes of the ESC/POS encoder, and encode -> parse round trips."""

from hypothesis import given, settings
from hypothesis import strategies as st

from support.receipt_samples import sale
from tillflow.devices.document import (
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
from tillflow.devices.escpos_encoder import encode
from tillflow.devices.profiles import EPSON_80MM, GENERIC_58MM_NO_CUTTER, DrawerPulse
from tillflow.devices.render import render_receipt
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
    data = encode(ReceiptDocument(blocks=(line("Жé"),)), profile=EPSON_80MM)
    assert b"?" not in data
    parser = EscposParser(escpos_profile=EPSON_80MM.escpos_profile)
    parser.feed(data)
    assert parser.blocks == [line("Жé")]


def test_drawer_kick_pin_and_pulse_times() -> None:
    pulse = DrawerPulse(pin=5, on_ms=50, off_ms=500)
    data = encode(ReceiptDocument(blocks=(pulse.kick(),)), profile=EPSON_80MM)
    assert data == INIT_CP858 + b"\x1bp\x01\x19\xfa"


def test_full_cut_and_feed() -> None:
    data = encode(ReceiptDocument(blocks=(Feed(3), Cut(partial=False))), profile=EPSON_80MM)
    assert data == INIT_CP858 + b"\x1bd\x03\x1bd\x06\x1dV\x00"


def test_whole_receipt_parses_back_to_its_document() -> None:
    for profile in (EPSON_80MM, GENERIC_58MM_NO_CUTTER):
        document = render_receipt(sale(), profile=profile)
        parser = EscposParser(escpos_profile=profile.escpos_profile)
        parser.feed(encode(document, profile=profile))
        assert tuple(parser.blocks) == document.blocks


printable = st.text(
    alphabet=st.characters(codec="cp858", categories=("L", "N", "P", "S", "Zs")), max_size=30
)
styles = st.builds(
    TextStyle,
    bold=st.booleans(),
    underline=st.integers(0, 2),
    width=st.integers(1, 8),
    height=st.integers(1, 8),
    font=st.sampled_from(["a", "b"]),
    invert=st.booleans(),
)
text_lines = st.builds(
    TextLine,
    spans=st.lists(st.builds(Span, printable.filter(bool), styles), max_size=3).map(tuple),
    align=st.sampled_from(["left", "center", "right"]),
)
blocks: st.SearchStrategy[Block] = st.one_of(
    text_lines,
    st.builds(Barcode, data=st.text(alphabet="ABC123-", min_size=1, max_size=12)),
    st.builds(QrCode, data=printable.filter(bool), size=st.integers(1, 16)),
    st.builds(Feed, st.integers(1, 5)),
    st.builds(Cut, partial=st.booleans()),
    st.builds(DrawerKick, pin=st.sampled_from([2, 5]), on_ms=st.sampled_from([50, 100, 500])),
)


def _merged(document_blocks: tuple[Block, ...]) -> list[Block]:
    """Adjacent spans of one style print as one span."""
    merged: list[Block] = []
    for block in document_blocks:
        if isinstance(block, TextLine):
            spans: list[Span] = []
            for span in block.spans:
                if spans and spans[-1].style == span.style:
                    spans[-1] = Span(spans[-1].text + span.text, span.style)
                else:
                    spans.append(span)
            merged.append(TextLine(spans=tuple(spans), align=block.align))
        else:
            merged.append(block)
    return merged


@settings(max_examples=150)
@given(st.lists(blocks, max_size=8))
def test_any_document_round_trips_through_bytes(document_blocks: list[Block]) -> None:
    document = ReceiptDocument(blocks=tuple(document_blocks))
    data = encode(document, profile=EPSON_80MM)
    parser = EscposParser(escpos_profile=EPSON_80MM.escpos_profile)
    for start in range(0, len(data), 7):
        parser.feed(data[start : start + 7])
    assert parser.blocks == _merged(document.blocks)
