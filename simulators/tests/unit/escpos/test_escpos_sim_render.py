"""The virtual printer's pictures: symbols a scanner reads back, text in its cells."""

import io
from collections.abc import Iterator

import pytest
import zxingcpp
from PIL import Image as Pil

from tillflow_simulators.escpos import render
from tillflow_simulators.escpos.model import (
    Align,
    Barcode,
    Cut,
    Element,
    Feed,
    Image,
    Line,
    Printout,
    QrCode,
    QrLevel,
    Run,
    Style,
)
from tillflow_simulators.escpos.profiles import PROFILES, PrinterProfile
from tillflow_simulators.escpos.render import MARGIN, render_png

EPSON_80MM = PROFILES["epson-80mm"]
INK = 128


def _picture(*elements: Element, profile: PrinterProfile = EPSON_80MM) -> Pil.Image:
    png = render_png(Printout(elements=elements), profile=profile)
    return Pil.open(io.BytesIO(png)).convert("L")


def _ink(picture: Pil.Image) -> tuple[int, int, int, int]:
    """The box around every dark dot: left, top, and right and bottom past the last one."""
    box = picture.point(lambda value: 255 if value < INK else 0).getbbox()
    assert box is not None, "nothing was drawn"
    return box


def _dark_dots(picture: Pil.Image) -> int:
    return sum(picture.histogram()[:INK])


def _line(text: str, style: Style = Style(), align: Align = "left") -> Line:
    return Line(runs=(Run(text, style),), align=align)


@pytest.mark.parametrize("profile", PROFILES.values(), ids=list(PROFILES))
def test_paper_is_the_print_width_with_a_margin_each_side(profile: PrinterProfile) -> None:
    picture = _picture(_line("x"), Feed(2), profile=profile)
    assert picture.width == profile.dots + 2 * MARGIN
    assert picture.height == 3 * render.LINE_SPACING + 2 * MARGIN


@pytest.mark.parametrize(
    ("symbology", "data", "read_as", "read"),
    [
        ("EAN13", "4006381333931", "EAN13", "4006381333931"),
        ("EAN8", "96385074", "EAN8", "96385074"),
        ("UPC-A", "036000291452", "EAN13", "0036000291452"),
        ("CODE39", "AB-12", "Code39", "AB-12"),
        ("CODE128", "S-000042", "Code128", "S-000042"),
        ("ITF", "12345670", "ITF", "12345670"),
        ("CODABAR", "A40156B", "Codabar", "A40156B"),
        ("GS1-128", "0101234567890128", "Code128", "(01)01234567890128"),
    ],
)
def test_a_scanner_reads_each_barcode_from_the_picture(
    symbology: str, data: str, read_as: str, read: str
) -> None:
    barcode = Barcode(symbology=symbology, data=data, height=80, module_width=2, hri="below",
                      align="center")
    [found] = zxingcpp.read_barcodes(_picture(barcode))
    assert (found.format.name, found.text) == (read_as, read)


def test_barcode_bars_take_the_module_width_and_height() -> None:
    narrow, wide = (
        _ink(_picture(Barcode(symbology="EAN13", data="4006381333931", height=60,
                              module_width=width, hri="none", align="left")))
        for width in (2, 3)
    )
    # EAN-13 is 95 modules wide.
    assert (narrow[2] - narrow[0], wide[2] - wide[0]) == (95 * 2, 95 * 3)
    assert narrow[3] - narrow[1] == 60


def test_a_symbology_nothing_can_draw_shows_its_outline_and_data() -> None:
    barcode = Barcode(symbology="CODE93", data="X1", height=60, module_width=2, hri="none",
                      align="left")
    picture = _picture(barcode)
    assert zxingcpp.read_barcodes(picture) == []
    assert _dark_dots(picture) > 0
    assert picture.histogram()[render.GREY] > 0


@pytest.mark.parametrize("level", ["L", "M", "Q", "H"])
def test_a_scanner_reads_the_qr_code_with_its_level(level: QrLevel) -> None:
    qr = QrCode(data="Café € 0b6f7c1e", module_size=4, level=level, align="right")
    picture = _picture(qr)
    [found] = zxingcpp.read_barcodes(picture)
    assert (found.format.name, found.text, found.ec_level) == ("QRCode", "Café € 0b6f7c1e", level)
    assert _ink(picture)[2] == MARGIN + EPSON_80MM.dots


def test_alignment_places_the_text() -> None:
    left, center, right = (_ink(_picture(_line("ab", align=align)))
                           for align in ("left", "center", "right"))
    assert left[0] < MARGIN + 12
    assert abs((center[0] + center[2]) / 2 - (MARGIN + EPSON_80MM.dots / 2)) < 12
    assert right[2] > MARGIN + EPSON_80MM.dots - 12


def test_double_width_and_height_magnify_the_characters() -> None:
    normal = _ink(_picture(_line("H")))
    double = _ink(_picture(_line("H", Style(width=2, height=2))))
    assert double[2] - double[0] == pytest.approx(2 * (normal[2] - normal[0]), abs=2)
    assert double[3] - double[1] == pytest.approx(2 * (normal[3] - normal[1]), abs=2)


def test_emphasis_underline_and_reverse_show() -> None:
    plain = _dark_dots(_picture(_line("Total")))
    assert _dark_dots(_picture(_line("Total", Style(bold=True)))) > plain
    underlined = _picture(_line("Total", Style(underline=2)))
    assert _dark_dots(underlined) >= plain + 5 * EPSON_80MM.cell_width("A") * 2
    reverse = _dark_dots(_picture(_line("Total", Style(invert=True))))
    assert reverse > 5 * EPSON_80MM.cell_width("A") * render.CHARACTER_HEIGHT["A"] // 2


def test_accents_and_currency_signs_are_glyphs_of_their_own() -> None:
    cell = EPSON_80MM.cell_width("A")
    glyphs = {char: _picture(_line(char)).crop((MARGIN, 0, MARGIN + cell, 60)).tobytes()
              for char in "€£éèñüE?\ufffd"}
    assert len(set(glyphs.values())) == len(glyphs)


@pytest.fixture
def no_monospace_font(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(render, "MONOSPACE_FONT", "no-such-font.ttf")
    render._font.cache_clear()
    render._glyph.cache_clear()
    yield
    render._font.cache_clear()
    render._glyph.cache_clear()


@pytest.mark.usefixtures("no_monospace_font")
def test_without_dejavu_the_text_still_keeps_its_columns() -> None:
    left = _ink(_picture(_line("a" + " " * 46 + "b")))
    assert left[0] < MARGIN + 12
    assert left[2] > MARGIN + EPSON_80MM.dots - 12


def test_image_dots_print_black_and_magnified() -> None:
    image = Image(width=8, height=2, data=b"\x81\x40", scale_x=2, scale_y=3)
    picture = _picture(image)
    dark = {(index % picture.width - MARGIN, index // picture.width - MARGIN)
            for index, value in enumerate(picture.tobytes()) if value < INK}
    assert dark == {(x, y) for dot_x, dot_y in ((0, 0), (7, 0), (1, 1))
                    for x in range(2 * dot_x, 2 * dot_x + 2)
                    for y in range(3 * dot_y, 3 * dot_y + 3)}


def test_a_partial_cut_leaves_a_bridge_in_the_middle() -> None:
    middle = MARGIN + EPSON_80MM.dots // 2
    full, partial = (_picture(Cut(partial=partial)) for partial in (False, True))
    row = MARGIN + render.LINE_SPACING // 2
    assert [full.getpixel((x, row)) for x in range(middle - 3, middle + 3)].count(render.GREY)
    assert render.GREY not in [partial.getpixel((x, row)) for x in range(middle - 20, middle + 20)]
