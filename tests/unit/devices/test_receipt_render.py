"""The pure receipt renderer: layout per profile, drawer on cash, barcode or QR."""

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

import pytest

from support.receipt_samples import sale, z_report
from tillflow.receipt_layout.document import Barcode, Cut, DrawerKick, Feed, QrCode, TextLine
from tillflow.receipt_layout.profiles import (
    EPSON_58MM,
    EPSON_80MM,
    GENERIC_58MM_NO_CUTTER,
    PrinterProfile,
    get_profile,
)
from tillflow.receipt_layout.render import money, render_receipt


def test_sale_lists_lines_totals_tenders_and_taxes() -> None:
    document = render_receipt(sale(), profile=EPSON_80MM)
    text = document.text
    for expected in ("Café Élan", "S-000042", "Crème brûlée", "1.275 x 3.20", "-0.50", "€12.58"):
        assert expected in text
    assert "Change" in text
    assert "10%" in text
    assert document.of_type(QrCode) == [QrCode(data="0b6f7c1e-6d0c-4c9e-9a55-4a1f5c2b9d10")]
    assert isinstance(document.blocks[-1], Cut)


@pytest.mark.parametrize("profile", [EPSON_80MM, EPSON_58MM])
def test_no_line_is_wider_than_the_paper(profile: PrinterProfile) -> None:
    for block in render_receipt(sale(), profile=profile).of_type(TextLine):
        widest = max((span.style.width for span in block.spans), default=1)
        assert len(block.text) * widest <= profile.columns_for("a")


def test_cash_opens_the_drawer_first_and_card_does_not() -> None:
    assert render_receipt(sale(), profile=EPSON_80MM).blocks[0] == DrawerKick()
    assert not render_receipt(sale(method="card"), profile=EPSON_80MM).of_type(DrawerKick)
    forced = render_receipt(sale(method="card"), profile=EPSON_80MM, open_drawer=True)
    assert forced.of_type(DrawerKick)


def test_printer_without_cutter_or_qr_feeds_and_prints_a_barcode() -> None:
    document = render_receipt(sale(), profile=GENERIC_58MM_NO_CUTTER)
    assert document.of_type(Barcode) == [Barcode(data="S-000042")]
    assert document.blocks[-1] == Feed(6)
    assert not document.of_type(Cut)


def test_return_and_z_report_titles() -> None:
    returned = render_receipt(replace(sale(), kind="return"), profile=EPSON_80MM)
    assert "RETURN" in returned.text
    assert "REFUND" in returned.text
    report = render_receipt(z_report(), profile=EPSON_80MM)
    assert "Z REPORT" in report.text
    assert "Difference" in report.text
    assert "-0.40" in report.text
    assert not report.of_type(DrawerKick)


def test_money_formatting() -> None:
    assert money(Decimal("-1.50"), "GBP") == "-£1.50"
    assert money(Decimal("3.00"), "CHF") == "CHF 3.00"


def test_naive_timestamps_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        replace(sale(), issued_at=datetime(2025, 1, 1))


def test_unknown_profile_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="epson-80mm"):
        get_profile("thermal-9000")
