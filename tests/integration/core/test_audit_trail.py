"""The audit trail: every sensitive act in the act's own transaction, one hash chain that
names any record altered or deleted in SQL, one valid chain under concurrent writers."""

from __future__ import annotations

import itertools
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from support.api import Api
from support.databases import row_counts
from support.live_server import serving
from tillflow.api.app import create_app
from tillflow.cli import app as cli
from tillflow.db.uow import engine_of
from tillflow.domain.audit import chain_hash
from tillflow.services import audit
from tillflow.services.context import ServiceContext


@pytest.fixture
def shop(api: Api) -> Api:
    api.location("S1")
    api.product("A", "10.00", tax_rate="0")
    api.stock("A", "S1", 20)
    return api


def _trail(api: Api) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = api.ok(api.get("/audit", limit=3, **({"cursor": cursor} if cursor else {})))
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def _acts(api: Api) -> list[tuple[str, str, str | None]]:
    return [(r["act"], r["actor"], r["subject"]) for r in _trail(api)]


def test_every_sensitive_act_is_recorded_with_who_and_what(shop: Api) -> None:
    shift = shop.register_with_shift("R1", "S1")
    made = shop.ok(shop.post("/tokens", {"role": "cashier", "name": "spare"}), 201)
    shop.ok(shop.client.delete(f"/api/v1/tokens/{made['id']}", headers=shop.headers("admin")))
    ana = shop.session("R1")
    shop.ok(shop.post("/staff", {"name": "Max", "role": "manager", "pin": "987654"}), 201)
    shop.ok(shop.client.post("/api/v1/staff/approvals", headers=ana, json={
        "name": "Max", "pin": "987654", "action": "discount"}), 201)
    shop.ok(shop.post(f"/shifts/{shift}/cash-movements", {"amount": "-20.00",
                                                          "reason": "safe drop"}), 201)
    shop.ok(shop.client.post("/api/v1/registers/R1/drawer-openings", headers=ana,
                             json={"reason": "change for the bakery"}), 201)
    sale = shop.ok(shop.post("/sales", {"location": "S1", "register": "R1",
                                        "lines": [{"sku": "A", "quantity": 2}],
                                        "payments": [{"method": "cash", "amount": "20.00"}]}),
                   201)
    shop.ok(shop.post(f"/sales/{sale['id']}/returns", {
        "lines": [{"sku": "A", "quantity": 1}], "register": "R1",
        "refunds": [{"method": "cash", "amount": "10.00"}]}), 201)
    shop.ok(shop.post(f"/shifts/{shift}/close", {"counted_cash": "95.00"}))
    shop.ok(shop.client.patch("/api/v1/staff/Ana", json={"active": False},
                              headers=shop.headers("admin")))
    shop.ok(shop.post("/staff/Max/pin", {"pin": "555555"}))
    shop.ok(shop.post("/connections", {
        "name": "shop", "platform": "shopify",
        "settings": {"shop_url": "http://127.0.0.1:9", "location": "S1"},
        "secrets": {"access_token": "shpat_secret-never-recorded", "webhook_secret": "w"}}),
        201)

    trail = _trail(shop)
    assert [r["act"] for r in trail if r["actor"] != "system"] == [
        "token.created", "token.revoked", "staff.added", "register.paired",
        "staff.added", "approval.granted", "cash.moved", "drawer.opened", "refund",
        "shift.closed_with_difference", "staff.deactivated", "staff.pin_reset",
        "connection.created"]
    by_act = {r["act"]: r for r in trail}
    assert by_act["token.revoked"]["data"]["id"] == made["id"]
    assert by_act["approval.granted"]["data"] == {"acts": ["discount"], "approved_by": "Max"}
    assert (by_act["approval.granted"]["actor"], by_act["approval.granted"]["register"]) == (
        "Ana", "R1")
    assert by_act["cash.moved"]["data"]["amount"] == "-20.00"
    assert by_act["drawer.opened"]["data"]["reason"] == "change for the bakery"
    assert by_act["refund"]["data"]["refunds"] == [{"method": "cash", "amount": "10.00"}]
    closed = by_act["shift.closed_with_difference"]["data"]
    assert (closed["expected"], closed["counted"], closed["over_short"]) == (
        "90.00", "95.00", "5.00")
    assert by_act["staff.deactivated"]["subject"] == "staff:Ana"
    assert "shpat_secret-never-recorded" not in str(trail)
    assert by_act["connection.created"]["data"]["secrets"] == ["access_token", "webhook_secret"]
    assert [r["seq"] for r in trail] == list(range(1, len(trail) + 1))
    assert audit.verify(shop.ctx).problems == []


def test_a_refused_act_leaves_no_record_and_only_an_admin_reads_the_trail(shop: Api) -> None:
    shift = shop.register_with_shift("R1", "S1")
    before = row_counts(engine_of(shop.ctx.store))
    for path, body in ((f"/shifts/{shift}/cash-movements", {"amount": "0", "reason": "x"}),
                       ("/registers/R404/drawer-openings", {"reason": "x"}),
                       ("/staff", {"name": "Bo", "role": "cashier", "pin": "12"})):
        assert shop.post(path, body).status_code in (404, 422)
    assert shop.client.delete("/api/v1/tokens/999", headers=shop.headers("admin")
                              ).status_code == 404
    assert row_counts(engine_of(shop.ctx.store)) == before
    for role in ("manager", "cashier", "integration"):
        assert shop.get("/audit", role=role).status_code == 403
    assert shop.get("/audit", cursor="not-a-cursor!").status_code == 422


def _verify(api: Api, tmp_path: Path) -> tuple[int, str]:
    """``tillflow audit verify`` on the test's database (made a store first)."""
    url = engine_of(api.ctx.store).url.render_as_string(hide_password=False)
    env = {"TILLFLOW_DATABASE_URL": url, "TILLFLOW_HOME": str(tmp_path)}
    assert CliRunner().invoke(cli, ["init"], env=env).exit_code == 0
    result = CliRunner().invoke(cli, ["audit", "verify"], env=env)
    return result.exit_code, result.output


def _sql(api: Api, statement: str) -> None:
    with engine_of(api.ctx.store).begin() as connection:
        connection.execute(text(statement))


def test_verify_names_each_record_altered_or_deleted_in_sql(shop: Api, tmp_path: Path) -> None:
    shift = shop.register_with_shift("R1", "S1")
    for n in range(1, 7):
        shop.ok(shop.post(f"/shifts/{shift}/cash-movements",
                          {"amount": f"{n}.00", "reason": f"float {n}"}), 201)
    seqs = {r["data"]["reason"]: r["seq"] for r in _trail(shop) if r["act"] == "cash.moved"}
    code, out = _verify(shop, tmp_path)
    assert code == 0, out
    assert f"{max(seqs.values())} record(s), chain intact" in out

    altered, deleted, last = seqs["float 2"], seqs["float 4"], seqs["float 6"]
    _sql(shop, f"UPDATE audit_log SET content = replace(content, '2.00', '200.00') "
               f"WHERE seq = {altered}")
    _sql(shop, f"DELETE FROM audit_log WHERE seq = {deleted}")
    _sql(shop, f"DELETE FROM audit_log WHERE seq = {last}")
    code, out = _verify(shop, tmp_path)
    assert code == 1
    assert f"record {altered} altered" in out
    assert f"record {deleted} missing" in out
    assert f"record {last} missing" in out
    problems = [str(p) for p in audit.verify(shop.ctx).problems]
    assert len(problems) == 3, problems


def test_a_record_rewritten_with_its_hash_is_caught_by_the_next(shop: Api,
                                                                tmp_path: Path) -> None:
    shift = shop.register_with_shift("R1", "S1")
    for n in (1, 2):
        shop.ok(shop.post(f"/shifts/{shift}/cash-movements",
                          {"amount": f"{n}.00", "reason": f"float {n}"}), 201)
    first = next(r for r in _trail(shop) if r["act"] == "cash.moved")
    # Someone who knows the scheme rewrites the record and hashes it again; the record
    # after it still holds the hash it was chained to.
    with engine_of(shop.ctx.store).begin() as connection:
        content = connection.execute(text("SELECT content FROM audit_log WHERE seq = :seq"),
                                     {"seq": first["seq"]}).scalar_one()
        forged = content.replace('"-1.00"', '"-100.00"').replace('"1.00"', '"100.00"')
        assert forged != content
        connection.execute(text("UPDATE audit_log SET content = :content, hash = :hash "
                                "WHERE seq = :seq"),
                           {"content": forged, "seq": first["seq"],
                            "hash": chain_hash(first["prev_hash"], forged)})
    code, out = _verify(shop, tmp_path)
    assert code == 1
    assert f"record {first['seq']} altered: record {first['seq'] + 1} was chained" in out


CLIENTS = 8


@pytest.fixture
def live(ctx: ServiceContext, shop: Api) -> Iterator[str]:
    with serving(create_app(ctx)) as url:
        yield url


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_concurrent_writers_make_one_valid_chain(live: str, shop: Api) -> None:
    shifts = [shop.register_with_shift(f"R{n}", "S1") for n in range(CLIENTS)]
    admin = {"Authorization": f"Bearer {shop.tokens['admin']}"}
    barrier = threading.Barrier(CLIENTS)

    def till(n: int) -> list[int]:
        statuses = []
        with httpx.Client(base_url=f"{live}/api/v1", headers=admin, timeout=30) as client:
            barrier.wait()
            for round_no in range(6):
                statuses.append(client.post(f"/shifts/{shifts[n]}/cash-movements", json={
                    "amount": "1.00", "reason": f"till {n} round {round_no}"}).status_code)
                statuses.append(client.post(f"/registers/R{n}/drawer-openings", json={
                    "reason": f"till {n} round {round_no}"}).status_code)
                statuses.append(client.post("/tokens", json={
                    "role": "cashier", "name": f"{n}-{round_no}-{uuid.uuid4()}"}).status_code)
        return statuses

    with ThreadPoolExecutor(CLIENTS) as pool:
        statuses = [s for batch in pool.map(till, range(CLIENTS)) for s in batch]
    assert set(statuses) == {201}
    trail = _trail(shop)
    assert [r["seq"] for r in trail] == list(range(1, len(trail) + 1))
    assert sum(r["act"] in ("cash.moved", "drawer.opened", "token.created")
               and r["actor"] == "test admin" for r in trail) == len(statuses)
    for before, after in itertools.pairwise(trail):
        assert after["prev_hash"] == before["hash"]
    result = audit.verify(shop.ctx)
    assert (result.problems, result.records, result.head_seq) == ([], len(trail), len(trail))
