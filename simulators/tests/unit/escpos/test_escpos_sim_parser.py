"""The virtual printer's parser on hand-written byte streams, command by command."""

import pytest

from tillflow_simulators.escpos.model import (
    Barcode,
    Cut,
    DrawerKick,
    Element,
    Feed,
    HriPosition,
    Image,
    Line,
    QrCode,
    Run,
    Style,
)
from tillflow_simulators.escpos.parser import EscposParser
from tillflow_simulators.escpos.profiles import (
    EPSON_58MM,
    EPSON_80MM,
    GENERIC_58MM,
    PrinterProfile,
    get_profile,
)
from tillflow_simulators.escpos.status import status_byte

ESC, GS = b"\x1b", b"\x1d"
PLAIN = Style()


def _parsed(data: bytes, profile: PrinterProfile = EPSON_80MM) -> list[Element]:
    parser = EscposParser(profile)
    assert parser.feed(data) == []
    assert parser.unknown == []
    return parser.elements


def _texts(data: bytes, profile: PrinterProfile = EPSON_80MM) -> list[str]:
    return [element.text for element in _parsed(data, profile) if isinstance(element, Line)]


def test_print_modes_make_styled_runs_in_one_line() -> None:
    data = (
        ESC + b"!\x38Big" + ESC + b"!\x00 small "
        + ESC + b"E\x01bold" + ESC + b"E\x00 "
        + ESC + b"-\x02under" + ESC + b"-0 "
        + ESC + b"M1fontB" + ESC + b"M0 "
        + GS + b"!\x21tall" + GS + b"!\x00 "
        + GS + b"B\x01inv\n"
    )
    [line] = _parsed(data)
    assert line == Line(runs=(
        Run("Big", Style(bold=True, width=2, height=2)),
        Run(" small ", PLAIN),
        Run("bold", Style(bold=True)),
        Run(" ", PLAIN),
        Run("under", Style(underline=2)),
        Run(" ", PLAIN),
        Run("fontB", Style(font="B")),
        Run(" ", PLAIN),
        Run("tall", Style(width=3, height=2)),
        Run(" ", PLAIN),
        Run("inv", Style(invert=True)),
    ))


def test_alignment_belongs_to_the_line_from_its_first_character() -> None:
    data = ESC + b"a\x01left half" + ESC + b"a2 still centred\nright\n" + ESC + b"a0\n"
    assert _parsed(data) == [
        Line(runs=(Run("left half still centred"),), align="center"),
        Line(runs=(Run("right"),), align="right"),
        Line(align="left"),
    ]


def test_initialize_drops_the_buffer_and_restores_power_on_modes() -> None:
    data = (b"kept\n" + ESC + b"a\x02" + ESC + b"E\x01" + ESC + b"t\x13dropped" + ESC + b"@"
            + b"\x9c\n")
    assert _parsed(data) == [Line(runs=(Run("kept"),)), Line(runs=(Run("£"),))]


def test_text_after_a_column_image_prints_on_its_own_line() -> None:
    stripe = ESC + b"*\x00\x01\x00\x80"
    elements = _parsed(stripe + b"text\n\n")
    assert elements[1:] == [Line(runs=(Run("text"),)), Line()]


@pytest.mark.parametrize(
    ("profile", "table", "data", "text"),
    [
        (EPSON_80MM, 19, b"\xd5 \x9c \x82 \xa4 \x81 \x8a", "€ £ é ñ ü è"),  # CP858
        (EPSON_80MM, 16, b"\x80 \xa3 \xe9 \xdf", "€ £ é ß"),  # Windows-1252
        (EPSON_80MM, 40, b"\xa4 \xa3 \xe7", "€ £ ç"),  # ISO 8859-15
        (EPSON_80MM, 0, b"\x9c \x82 \x9b", "£ é ¢"),  # CP437, the power-on table
        (EPSON_80MM, 17, b"\x86\xa0\xe0", "Жар"),  # CP866
        (EPSON_80MM, 30, b"\xa8\xae\x80", "ăđ\ufffd"),  # TCVN-3, given as characters
        (GENERIC_58MM, 53, b"\xd5 \x9c \x82", "€ £ é"),  # CP858 has another number there
        (EPSON_58MM, 19, b"\xd5", "€"),
    ],
)
def test_code_tables_by_the_models_numbering(
    profile: PrinterProfile, table: int, data: bytes, text: str
) -> None:
    assert _texts(ESC + b"t" + bytes((table,)) + data + b"\n", profile) == [text]


def test_a_table_the_model_lacks_prints_replacement_characters() -> None:
    assert _texts(ESC + b"t\xfeA\x80\n") == ["A\ufffd"]


def test_a_line_longer_than_the_paper_wraps() -> None:
    assert _texts(b"x" * 50 + b"\n") == ["x" * 48, "xx"]
    assert _texts(GS + b"!\x10" + b"y" * 25 + b"\n") == ["y" * 24, "y"]
    assert _texts(b"z" * 33 + b"\n", EPSON_58MM) == ["z" * 32, "z"]
    assert _texts(ESC + b"M\x01" + b"b" * 64 + b"\n") == ["b" * 64]


def test_tabs_move_to_the_next_eighth_column() -> None:
    assert _texts(b"ab\tc\n") == ["ab      c"]


def test_feeds_count_the_printed_line() -> None:
    assert _parsed(b"\n" + ESC + b"d\x03ab" + ESC + b"d\x02" + ESC + b"J\x40" + b"cd" + ESC
                   + b"J\x10") == [
        Line(), Feed(3), Line(runs=(Run("ab"),)), Feed(1), Line(runs=(Run("cd"),)),
    ]


@pytest.mark.parametrize(
    ("command", "partial"),
    [(b"V\x00", False), (b"V0", False), (b"V\x01", True), (b"V1", True),
     (b"VA\x03", False), (b"VB\x03", True)],
)
def test_cuts_print_what_is_pending_first(command: bytes, partial: bool) -> None:
    assert _parsed(b"last" + GS + command) == [Line(runs=(Run("last"),)), Cut(partial=partial)]


def test_drawer_kicks_by_esc_p_and_the_realtime_pulse() -> None:
    data = ESC + b"p\x00\x32\x32" + ESC + b"p1\x19\xfa" + b"\x10\x14\x01\x00\x02"
    assert _parsed(data) == [
        DrawerKick(pin=2, on_ms=100, off_ms=100),
        DrawerKick(pin=5, on_ms=50, off_ms=500),
        DrawerKick(pin=2, on_ms=200, off_ms=200),
    ]


def test_barcodes_of_both_functions_with_their_settings() -> None:
    data = (
        ESC + b"a\x01" + GS + b"h\x50" + GS + b"w\x02" + GS + b"H\x02"
        + GS + b"k\x024006381333931\x00"
        + GS + b"H0" + GS + b"kE\x05AB-12"
        + GS + b"kI\x0b{B" + b"No{{1" + b"{C\x0c\x22"
    )
    assert _parsed(data) == [
        _barcode("EAN13", "4006381333931", hri="below"),
        _barcode("CODE39", "AB-12", hri="none"),
        _barcode("CODE128", "No{11234", hri="none"),
    ]


def _barcode(symbology: str, data: str, *, hri: HriPosition) -> Barcode:
    return Barcode(symbology=symbology, data=data, height=0x50, module_width=2, hri=hri,
                   align="center")


def test_barcode_defaults_are_the_power_on_values() -> None:
    assert _parsed(GS + b"kI\x05{B123") == [
        Barcode(symbology="CODE128", data="123", height=162, module_width=3, hri="none",
                align="left"),
    ]


def _qr_function(function: int, parameters: bytes) -> bytes:
    size = len(parameters) + 2
    return GS + b"(k" + bytes((size % 256, size // 256, 0x31, function)) + parameters


def test_qr_code_with_module_size_and_error_correction() -> None:
    data = (
        ESC + b"a\x01"
        + _qr_function(0x41, b"\x32\x00")
        + _qr_function(0x43, b"\x06")
        + _qr_function(0x45, b"\x32")
        + _qr_function(0x50, b"0" + "Café €".encode())
        + _qr_function(0x51, b"0")
    )
    assert _parsed(data) == [QrCode(data="Café €", module_size=6, level="Q", align="center")]


def test_raster_image_dots_and_magnification() -> None:
    [image] = _parsed(GS + b"v0\x03\x01\x00\x02\x00" + b"\x81\x40")
    assert isinstance(image, Image)
    assert (image.width, image.height, image.scale_x, image.scale_y) == (8, 2, 2, 2)
    dots = [(x, y) for y in range(2) for x in range(8) if image.dot(x, y)]
    assert dots == [(0, 0), (7, 0), (1, 1)]


def test_graphics_are_stored_then_printed() -> None:
    header = b"0\x01\x02\x31" + b"\x0a\x00\x01\x00"
    store = GS + b"(L" + bytes((len(header) + 4, 0)) + b"0p" + header + b"\xff\xc0"
    [image] = _parsed(store + GS + b"(L\x02\x0002")
    assert isinstance(image, Image)
    assert (image.width, image.height, image.scale_x, image.scale_y) == (10, 1, 1, 2)
    assert [image.dot(x, 0) for x in range(10)] == [True] * 10


def test_column_image_stripes_take_no_extra_line() -> None:
    # ESC * 33: 24 dots a column, 3 bytes; two columns, the first with its top dot only.
    stripe = ESC + b"*\x21\x02\x00" + b"\x80\x00\x00" + b"\x00\x00\x01"
    elements = _parsed(stripe + b"\n" + stripe + b"\nafter\n")
    assert [type(element) for element in elements] == [Image, Image, Line]
    image = elements[0]
    assert isinstance(image, Image)
    assert (image.width, image.height) == (2, 24)
    assert [(x, y) for y in range(24) for x in range(2) if image.dot(x, y)] == [(0, 0), (1, 23)]


def test_settings_are_read_past_with_their_arguments_and_others_recorded() -> None:
    parser = EscposParser()
    parser.feed(ESC + b"3\x0a" + GS + b"L\x0a\x0a" + b"\x1b\x99ok\n")
    assert parser.elements == [Line(runs=(Run("ok"),))]
    assert parser.unknown == [b"\x1b\x99"]


def test_status_queries_are_reported_in_order_across_feeds() -> None:
    parser = EscposParser()
    assert parser.feed(b"\x10\x04\x01ab\x10\x04") == [1]
    assert parser.feed(b"\x04\n") == [4]
    assert parser.elements == [Line(runs=(Run("ab"),))]


def test_a_stream_split_anywhere_parses_the_same() -> None:
    data = (
        ESC + b"@" + ESC + b"t\x13" + ESC + b"a\x01" + ESC + b"!\x38Caf\x82\n"
        + GS + b"kI\x05{B123" + _qr_function(0x50, b"0abc") + _qr_function(0x51, b"0")
        + GS + b"v0\x00\x01\x00\x01\x00\x0a" + ESC + b"p\x00\x32\x32" + ESC + b"d\x06"
        + GS + b"V\x01"
    )
    whole = EscposParser()
    whole.feed(data)
    for size in (1, 2, 3, 5):
        split = EscposParser()
        for start in range(0, len(data), size):
            split.feed(data[start : start + size])
        assert split.elements == whole.elements
    assert len(whole.elements) == 7


def test_profiles_come_from_the_printer_database() -> None:
    assert (EPSON_80MM.dots, EPSON_80MM.cell_width("A"), EPSON_80MM.cell_width("B")) == (
        576, 12, 9)
    assert (GENERIC_58MM.dots, dict(GENERIC_58MM.columns)) == (384, {"A": 32, "B": 42})
    assert get_profile("epson-58mm") is EPSON_58MM
    with pytest.raises(ValueError, match="known: epson-58mm, epson-80mm, generic-58mm"):
        get_profile("tm-9000")


def test_status_bytes_follow_epson_masks() -> None:
    assert status_byte(1, paper_out=False, near_end=False) == 0x12
    assert status_byte(1, paper_out=True, near_end=False) & 0x08
    assert status_byte(2, paper_out=True, near_end=False) == 0x32
    assert status_byte(4, paper_out=True, near_end=False) == 0x72
    assert status_byte(4, paper_out=False, near_end=True) == 0x1E
