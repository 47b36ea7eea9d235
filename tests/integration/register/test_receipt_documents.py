"""One receipt document per sale, gift, return and shift: found by its printed number
(an offline sale's too, after the replay), with the store's name, address, tax id, logo
and footer from its settings, and lines that add up to the subtotal."""

from __future__ import annotations

import base64
import io
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from typer.testing import CliRunner

from support.api import Api
from support.databases import row_counts
from tillflow.cli import app
from tillflow.db.uow import engine_of

OFFLINE_NUMBER = "OFFLINE-R1-0a1b2c3d4e5f"


def _logo() -> str:
    picture = Image.new("RGB", (120, 40), "white")
    picture.paste((0, 0, 0), (10, 10, 110, 30))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return base64.b64encode(out.getvalue()).decode()


@pytest.fixture
def till(api: Api) -> dict[str, str]:
    """Cashier Ana signed in at R1 (shift open) in shop S1."""
    api.location("S1")
    api.product("TEA", "3.35", tax_rate="0.08")
    api.product("MUG", "7.99", tax_rate="0.20")
    api.stock("TEA", "S1", 50)
    api.stock("MUG", "S1", 50)
    api.register_with_shift("R1", "S1")
    return api.session("R1")


def _sale(**extra: Any) -> dict[str, Any]:
    return {"location": "S1", "register": "R1",
            "lines": [{"sku": "TEA", "quantity": 3, "discount": "0.00"},
                      {"sku": "MUG", "quantity": 1}],
            "payments": [{"method": "cash", "amount": "30.00"}], **extra}


def _sell(api: Api, headers: dict[str, str], key: str, body: dict[str, Any]) -> Any:
    return api.client.post("/api/v1/sales", json=body,
                           headers={**headers, "Idempotency-Key": key})


def test_an_offline_receipt_finds_its_sale_after_the_replay(api: Api,
                                                            till: dict[str, str]) -> None:
    body = _sale(offline=True, offline_number=OFFLINE_NUMBER)
    first = api.ok(_sell(api, till, "offline-1", body), 201)
    again = api.ok(_sell(api, till, "offline-1", body), 201)  # the queue replayed twice
    assert again["id"] == first["id"]
    assert first["offline_number"] == OFFLINE_NUMBER
    for number in (OFFLINE_NUMBER, first["number"]):
        [found] = api.ok(api.get("/sales", number=number))["items"]
        assert found["id"] == first["id"]
    document = api.ok(api.get(f"/receipts/{OFFLINE_NUMBER}"))
    assert (document["document_id"], document["document_number"]) == (
        first["id"], first["number"])


def test_a_printed_offline_number_is_refused_where_it_does_not_belong(
        api: Api, till: dict[str, str]) -> None:
    api.ok(_sell(api, till, "offline-1", _sale(offline=True, offline_number=OFFLINE_NUMBER)),
           201)
    # A register sends the number it would print should the answer be lost.
    online = api.ok(_sell(api, till, "online-1",
                          _sale(offline_number="OFFLINE-R1-ffffffffffff")), 201)
    [found] = api.ok(api.get("/sales", number="OFFLINE-R1-ffffffffffff"))["items"]
    assert found["id"] == online["id"]
    before = row_counts(engine_of(api.ctx.store))
    malformed = _sell(api, till, "offline-2", _sale(offline=True, offline_number="R1-000001"))
    assert malformed.status_code == 422
    assert "offline_number" in malformed.text
    taken = _sell(api, till, "offline-3", _sale(offline=True, offline_number=OFFLINE_NUMBER))
    assert taken.status_code == 409
    assert taken.json()["error"]["details"]["field"] == "offline_number"
    assert row_counts(engine_of(api.ctx.store)) == before


def test_every_receipt_prints_the_store_and_its_lines_add_up(api: Api,
                                                             till: dict[str, str]) -> None:
    details = api.ok(api.patch("/settings/store", {
        "name": "Corner Tea House", "address": "1 Main St, Springfield",
        "tax_id": "GB123456789"}))
    assert details["tax_id"] == "GB123456789"
    settings = api.client.put("/api/v1/settings/receipt", headers=api.headers("admin"), json={
        "footer": "Thank you for visiting\nOpen 8-18 daily", "logo": _logo()})
    assert settings.status_code == 200, settings.text
    # The receipt settings show the store's details they print with their own.
    assert (settings.json()["name"], settings.json()["tax_id"]) == (
        "Corner Tea House", "GB123456789")
    manager = api.session("R1", name="Max", role="manager", pin="987654")
    sale = api.ok(_sell(api, manager, "sale-1", {**_sale(), "discount": "1.00",
                                              "lines": [{"sku": "TEA", "quantity": 3,
                                                         "discount": "0.50"},
                                                        {"sku": "MUG", "quantity": 1}]}), 201)
    document = api.ok(api.get(f"/receipts/{sale['number']}"))
    store = document["store"]
    assert (store["name"], store["address_lines"], store["tax_id"]) == (
        "Corner Tea House", ["1 Main St", "Springfield"], "GB123456789")
    assert store["logo"] == _logo()
    assert document["footer"] == ["Thank you for visiting", "Open 8-18 daily"]
    lines = sum(Decimal(line["line_total"]) for line in document["lines"])
    assert lines == Decimal(document["subtotal"]) == Decimal(sale["subtotal"])
    assert Decimal(document["discount_total"]) == Decimal("1.50")

    printed = CliRunner().invoke(app, ["receipt", sale["number"]], env=_cli_env(api))
    assert printed.exit_code == 0, printed.output
    for text in ("Corner Tea House", "1 Main St", "Springfield", "Tax ID GB123456789",
                 sale["number"], "Thank you for visiting", "Discount", "-1.50"):
        assert text in printed.output
    png = api.client.get(f"/api/v1/receipts/{sale['number']}",
                         headers=api.headers("cashier", {"Accept": "image/png"}))
    assert png.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(png.content)).height > 400

    gift = api.ok(api.get(f"/receipts/{sale['id']}", gift="true"))
    assert gift["kind"] == "gift"
    assert [(line["description"], line["line_total"]) for line in gift["lines"]] == [
        ("Product TEA", "0"), ("Product MUG", "0")]
    text = CliRunner().invoke(app, ["receipt", sale["number"], "--gift"], env=_cli_env(api))
    assert "GIFT RECEIPT" in text.output
    assert "7.99" not in text.output


def test_receipt_settings_refuse_what_cannot_print(api: Api) -> None:
    before = row_counts(engine_of(api.ctx.store))
    # The store's name, address and tax id are set in one place, /settings/store: sent
    # with the receipt's footer and logo they are refused, naming the field.
    for body, field in (({"logo": "not base64!"}, "logo"),
                        ({"logo": base64.b64encode(b"GIF89a....").decode()}, "logo"),
                        ({"footer": "x" * 1001}, "footer"),
                        ({"name": "Mine", "footer": "Thanks"}, "name"),
                        ({"tax_id": "GB1"}, "tax_id")):
        refused = api.client.put("/api/v1/settings/receipt", json=body,
                                 headers=api.headers("admin"))
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["code"] == "validation_error"
        assert field in refused.text
    for body, field in (({"name": "  "}, "name"), ({"tax_id": "x" * 65}, "tax_id"),
                        ({"address": "x" * 301}, "address"), ({"footer": "Thanks"}, "footer"),
                        ({"name": "Mine", "timezone": "Mars/Olympus"}, "timezone")):
        refused = api.client.patch("/api/v1/settings/store", json=body,
                                   headers=api.headers("admin"))
        assert refused.status_code == 422, refused.text
        assert field in refused.text
    assert api.client.put("/api/v1/settings/receipt", json={"footer": "Mine"},
                          headers=api.headers("cashier")).status_code == 403
    assert api.client.patch("/api/v1/settings/store", json={"tax_id": "GB1"},
                            headers=api.headers("manager")).status_code == 403
    assert row_counts(engine_of(api.ctx.store)) == before
    assert api.get("/receipts/R404-000001").status_code == 404


def _cli_env(api: Api) -> dict[str, str]:
    """The test's store for the command, recorded as `tillflow init` would."""
    env = {"TILLFLOW_DATABASE_URL": engine_of(api.ctx.store).url.render_as_string(
        hide_password=False)}
    initialised = CliRunner().invoke(app, ["init", "--currency", "USD"], env=env)
    assert initialised.exit_code == 0, initialised.output
    return env


def test_cli_errors_are_one_line_from_any_folder(api: Api, till: dict[str, str],
                                                 tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for args in (["receipt", "R1-999999"], ["receipt", "R1-000001", "--profile", "nope"]):
        result = CliRunner().invoke(app, args, env=_cli_env(api))
        assert result.exit_code == 1
        assert result.output.count("\n") == 1, result.output
        assert "Traceback" not in result.output
    # A folder with no store: one line saying where it looked and what to do, for every
    # command, and nothing left behind.
    monkeypatch.delenv("TILLFLOW_HOME", raising=False)
    monkeypatch.delenv("TILLFLOW_DATABASE_URL", raising=False)
    for args in (["sync", "status"], ["stock", "verify"], ["receipt", "R1-000013"],
                 ["staff", "list"], ["audit", "verify"]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 1, result.output
        assert result.output == (
            f"error: no tillflow store at {tmp_path / '.tillflow' / 'tillflow.db'}; run "
            "`tillflow init`, or set TILLFLOW_HOME (or TILLFLOW_DATABASE_URL) to the "
            "store's\n"), args
    assert not (tmp_path / ".tillflow" / "tillflow.db").exists()


def test_init_records_what_receipts_print(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(base64.b64decode(_logo()))
    env = {"TILLFLOW_HOME": str(tmp_path / "home")}
    done = CliRunner().invoke(app, ["init", "--store-name", "Corner Tea House",
                                    "--store-tax-id", "GB123456789",
                                    "--receipt-footer", "Thank you", "--receipt-footer", "Bye",
                                    "--store-logo", str(logo)], env=env)
    assert done.exit_code == 0, done.output
    assert "tax id, footer, logo" in done.output
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a picture")
    refused = CliRunner().invoke(app, ["init", "--store-logo", str(broken)], env=env)
    assert (refused.exit_code, refused.output.splitlines()[-1]) == (
        1, "error: the logo is not a base64 PNG or JPEG image")


def test_two_sales_racing_for_one_printed_number_record_one(api: Api,
                                                            till: dict[str, str]) -> None:
    body = _sale(offline=True, offline_number=OFFLINE_NUMBER)
    answers: list[int] = []
    barrier = threading.Barrier(4)

    def send(key: str) -> None:
        barrier.wait()
        answers.append(_sell(api, till, key, body).status_code)

    threads = [threading.Thread(target=send, args=(f"racer-{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [201, 409, 409, 409]
    assert len(api.ok(api.get("/sales", number=OFFLINE_NUMBER))["items"]) == 1
