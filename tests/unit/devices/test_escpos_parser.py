"""The virtual printer's parser on byte streams other software sends."""

from tillflow.devices.document import (
    Barcode,
    Cut,
    DrawerKick,
    Feed,
    Span,
    TextLine,
    TextStyle,
)
from tillflow_simulators.escpos.parser import EscposParser
from tillflow_simulators.escpos.status import status_byte


def test_print_mode_realtime_kick_and_function_a_barcode() -> None:
    parser = EscposParser()
    queries = parser.feed(
        b"\x1b!\x38Big\x1b!\x00 small\n"
        b"\x10\x14\x01\x00\x02"
        b"\x1dH\x02\x1dk\x024006381333931\x00"
        b"\x1dV\x41\x03"
    )
    assert queries == []
    assert parser.blocks == [
        TextLine(
            spans=(
                Span("Big", TextStyle(bold=True, width=2, height=2)),
                Span(" small", TextStyle()),
            )
        ),
        DrawerKick(pin=2, on_ms=200, off_ms=200),
        Barcode(
            data="4006381333931", symbology="EAN13", height=162, width=3, hri="below", align="left"
        ),
        Cut(partial=False),
    ]


def test_status_queries_are_reported_in_order() -> None:
    parser = EscposParser()
    assert parser.feed(b"\x10\x04\x01ab\x10\x04") == [1]
    assert parser.feed(b"\x04\n") == [4]
    assert parser.blocks == [TextLine(spans=(Span("ab"),))]


def test_images_are_skipped_by_length_and_unknown_commands_recorded() -> None:
    parser = EscposParser()
    raster = b"\x1dv0\x00\x02\x00\x02\x00" + b"\x0a\x1b\x1d\x10"
    parser.feed(raster + b"\x1b\x99ok\n\x1bd\x02")
    assert parser.blocks == [TextLine(spans=(Span("ok"),)), Feed(2)]
    assert parser.unknown == [b"\x1b\x99"]


def test_ascii_digit_arguments_and_pin_five() -> None:
    parser = EscposParser()
    parser.feed(b"\x1ba1\x1bE1x\n\x1bp1\x19\xfa")
    assert parser.blocks == [
        TextLine(spans=(Span("x", TextStyle(bold=True)),), align="center"),
        DrawerKick(pin=5, on_ms=50, off_ms=500),
    ]


def test_status_bytes_follow_epson_masks() -> None:
    assert status_byte(1, paper_out=False, near_end=False) == 0x12
    assert status_byte(1, paper_out=True, near_end=False) & 0x08
    assert status_byte(4, paper_out=True, near_end=False) == 0x72
    assert status_byte(4, paper_out=False, near_end=True) == 0x1E
