"""The preview draws €, £ and accents as real glyphs where DejaVu Sans Mono is installed
(``scripts/setup`` installs it), and still draws something without it."""

from pathlib import Path

import pytest
from PIL import ImageFont

from tillflow.receipt_layout.document import PLAIN
from tillflow.receipt_layout.preview import _font, _glyph

NOT_A_CHARACTER = "\U000f0000"  # private use: no font has it, so it draws the missing box


def _ink(char: str) -> bytes:
    return _glyph(char, PLAIN, 12).tobytes()


def test_accents_and_currency_signs_are_their_own_glyphs() -> None:
    font = _font(19)
    if not isinstance(font, ImageFont.FreeTypeFont) or "DejaVu" not in str(font.path):
        pytest.skip("DejaVu Sans Mono is not installed (scripts/setup installs it)")
    assert Path(str(font.path)).name == "DejaVuSansMono.ttf"
    missing = _ink(NOT_A_CHARACTER)
    for char, plain in (("€", "E"), ("£", "L"), ("é", "e"), ("ñ", "n"), ("Ü", "U")):
        assert _ink(char) not in (missing, _ink(plain)), char


def test_every_character_leaves_ink_with_or_without_the_font() -> None:
    for char in "€£éA":
        assert min(_glyph(char, PLAIN, 12).tobytes()) < 255
