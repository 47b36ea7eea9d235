"""Receipts of recorded sales through the API and the CLI, and the store's RCN layouts."""

from __future__ import annotations

import io
from pathlib import Path
from typing import cast

import pytest
from PIL import Image
from typer.testing import CliRunner

from support.api import Api
from support.receipt_store import sale_with_customer
from tillflow import demo
from tillflow.bootstrap import open_context
from tillflow.cli import app
from tillflow.db.store_details import read_store_details, write_store_details
from tillflow.db.uow import connection_of
from tillflow.domain.barcodes.rcn_config import rules_from_json
from tillflow.receipts.demo_printer import start_demo_printer
from tillflow.services.context import ServiceContext
from tillflow.settings import Settings
from tillflow_simulators.escpos.model import Printout, QrCode
from tillflow_simulators.escpos.parser import EscposParser
from tillflow_simulators.escpos.printer import VirtualPrinter

RULES = '[{"prefix": "25", "measure": "weight", "value_digits": 5, "decimals": 3}]'


def _parsed(data: bytes) -> Printout:
    parser = EscposParser()
    parser.feed(data)
    return Printout(elements=tuple(parser.elements))


def test_the_register_gets_a_sale_receipt_as_png_or_escpos(api: Api) -> None:
    sale = sale_with_customer(api.ctx)
    png = api.get(f"/sales/{sale.id}/receipt")
    assert (png.status_code, png.headers["content-type"]) == (200, "image/png")
    assert Image.open(io.BytesIO(png.content)).width == 576 + 16
    escpos = api.client.get(f"/api/v1/sales/{sale.id}/receipt",
                            headers=api.headers("cashier", {"Accept": "application/octet-stream"}))
    assert escpos.headers["content-type"] == "application/octet-stream"
    printed = _parsed(escpos.content)
    assert "Café Élan" in printed.text
    assert "Crème fraîche 20 cl" in printed.text
    assert printed.of_type(QrCode)[0].data == sale.id
    assert printed.drawer_kicks == []  # a reprint keeps the drawer shut
    narrow = api.get(f"/sales/{sale.id}/receipt", profile="epson-58mm")
    assert Image.open(io.BytesIO(narrow.content)).width == 384 + 16


def test_receipt_errors_use_the_envelope(api: Api) -> None:
    sale = sale_with_customer(api.ctx)
    assert api.get("/sales/nope/receipt").json()["error"]["code"] == "not_found"
    bad_profile = api.get(f"/sales/{sale.id}/receipt", profile="tm-9000")
    assert bad_profile.json()["error"]["code"] == "validation_error"
    html = api.client.get(f"/api/v1/sales/{sale.id}/receipt",
                          headers=api.headers("admin", {"Accept": "text/html"}))
    assert html.status_code == 406
    assert "error" in html.json()
    assert api.get(f"/sales/{sale.id}/receipt", role=None).status_code == 401


def test_by_barcode_reads_the_stores_own_rcn_layout(api: Api) -> None:
    rules = rules_from_json(RULES)
    stored_code = rules[0].build(item="00042", value="00000")
    api.product("CHEESE", "18.00", barcodes=[stored_code])
    scanned = rules[0].build(item="00042", value="01250")
    assert api.get(f"/products/by-barcode/{scanned}").status_code == 404  # default rules
    with api.ctx.uow() as uow:
        write_store_details(connection_of(uow), rcn_rules=rules)
        uow.commit()
    found = api.ok(api.get(f"/products/by-barcode/{scanned}"))
    assert (found["product"]["sku"], found["quantity"]) == ("CHEESE", "1.25")


def test_init_records_the_store_and_receipt_prints_it(tmp_path: Path) -> None:
    env = {"TILLFLOW_HOME": str(tmp_path / "home"),
           "TILLFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}"}
    rules_file = tmp_path / "rules.json"
    rules_file.write_text(RULES)
    runner = CliRunner()
    result = runner.invoke(app, ["init", "--currency", "EUR", "--store-name", "Épicerie Zoë",
                                 "--store-address", "2 Quai Vert, Lyon",
                                 "--rcn-rules", str(rules_file)], env=env)
    assert result.exit_code == 0, result.output
    bad = tmp_path / "bad.json"
    bad.write_text('[{"prefix": "99", "measure": "weight"}]')
    refused = runner.invoke(app, ["init", "--rcn-rules", str(bad)], env=env)
    assert (refused.exit_code, "must be 02 or 20-29" in refused.output) == (1, True)
    with open_context(Settings.from_env(env)) as ctx:
        with ctx.uow(read_only=True) as uow:
            details = read_store_details(connection_of(uow))
        assert (details.name, details.address_lines) == ("Épicerie Zoë", ("2 Quai Vert", "Lyon"))
        assert details.rcn_rules == rules_from_json(RULES)
        sale = sale_with_customer(ctx, named=False)
    png = tmp_path / "receipt.png"
    with VirtualPrinter() as printer:
        result = runner.invoke(app, ["receipt", sale.id, "--png", str(png),
                                     "--printer", f"tcp://127.0.0.1:{printer.port}"], env=env)
        assert result.exit_code == 0, result.output
        [printed] = printer.wait_for_receipts(1)
    assert "Épicerie Zoë" in printed.text
    assert "€" in printed.text
    with Image.open(png) as image:
        assert image.format == "PNG"
    shown = runner.invoke(app, ["receipt", sale.id], env=env)
    assert sale.number in shown.output
    missing = runner.invoke(app, ["receipt", "no-such-sale"], env=env)
    assert missing.exit_code == 1


@pytest.mark.parametrize("url", ["tcp://127.0.0.1:1", "lpt://1"])
def test_receipt_to_an_unreachable_printer_fails_clearly(tmp_path: Path, url: str) -> None:
    env = {"TILLFLOW_HOME": str(tmp_path / "home"),
           "TILLFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}"}
    runner = CliRunner()
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    with open_context(Settings.from_env(env)) as ctx:
        sale = sale_with_customer(ctx)
    result = runner.invoke(app, ["receipt", sale.id, "--printer", url], env=env)
    assert result.exit_code == 1
    assert "error:" in result.output


def test_the_demo_prints_its_receipts_on_a_virtual_printer(ctx: ServiceContext,
                                                          tmp_path: Path) -> None:
    documents = demo.seed(ctx, products=12)
    reported: list[str] = []
    printer = cast(VirtualPrinter, start_demo_printer(ctx, documents, png_dir=tmp_path,
                                                      report=reported.append))
    try:
        titles = [line.split()[0] for receipt in printer.receipts
                  for line in receipt.text.splitlines()
                  if line.startswith(("RECEIPT ", "RETURN ", "Z REPORT "))]
    finally:
        printer.stop()
    assert sorted(titles) == ["RECEIPT"] * (len(documents) - 2) + ["RETURN", "Z"]
    saved = [line for line in reported if "saved" in line]
    assert len(sorted(tmp_path.glob("receipt-*.png"))) == len(documents) == len(saved)
