"""Shops over TLS: https unless on loopback, a private authority's certificate as the
connection's ca_file (or SSL_CERT_FILE), and the connection check naming a certificate
problem in plain words."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from support.api import Api
from support.certificates import Authority, authority, tls_server
from support.databases import row_counts
from support.sync import SyncedStore, synced_store
from tillflow.cli import app
from tillflow.db.uow import engine_of
from tillflow.services.context import ServiceContext
from tillflow_simulators.woocommerce import WooCommerceSimulator

SECRETS = {"shopify": {"access_token": "shpat_x"}, "vendure": {"api_key": "vk"},
           "woocommerce": {"consumer_key": "ck_x", "consumer_secret": "cs_x"}}
PLATFORMS = sorted(SECRETS)


@pytest.fixture
def ca(tmp_path: Path) -> Authority:
    return authority(tmp_path / "ca")


@pytest.fixture
def synced(ctx: ServiceContext) -> Iterator[SyncedStore]:
    with synced_store(ctx) as store:
        store.api.location("S1")
        yield store


def _connect(api: Api, name: str, platform: str, **settings: Any) -> Any:
    return api.post("/connections", {"name": name, "platform": platform,
                                     "settings": {"location": "S1", **settings},
                                     "secrets": SECRETS[platform]})


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_shop_off_loopback_must_be_https(api: Api, platform: str) -> None:
    before = row_counts(engine_of(api.ctx.store))
    refused = _connect(api, "far", platform, shop_url="http://shop.example.com")
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert (error["code"], error["details"]["field"]) == ("validation_error", "settings.shop_url")
    assert "https://" in error["message"]
    assert row_counts(engine_of(api.ctx.store)) == before
    for n, url in enumerate(("https://shop.example.com", "http://127.0.0.1:9",
                             "http://localhost:9", "http://[::1]:9")):
        api.ok(_connect(api, f"ok{n}", platform, shop_url=url), 201)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_ca_file_must_be_a_readable_pem_certificate(api: Api, platform: str,
                                                       ca: Authority, tmp_path: Path) -> None:
    issued = ca.issue("leaf")
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("-----BEGIN CERTIFICATE-----\nnot base64 at all\n"
                       "-----END CERTIFICATE-----\n")
    for bad in ("ca.pem", str(tmp_path / "missing.pem"), str(issued.key), str(garbage), 7):
        refused = _connect(api, "shop", platform, shop_url="https://shop.example.com",
                           ca_file=bad)
        assert refused.status_code == 422, bad
        assert refused.json()["error"]["details"]["field"] == "settings.ca_file"
    api.ok(_connect(api, "shop", platform, shop_url="https://shop.example.com",
                    ca_file=str(ca.certificate)), 201)


def _problems(synced: SyncedStore, name: str) -> list[str]:
    report = synced.api.ok(synced.api.post(f"/connections/{name}/check"))
    problems: list[str] = report["problems"]
    return problems


@pytest.mark.parametrize("database", ["sqlite"])
def test_a_self_signed_shop_is_named_untrusted_until_its_certificate_is_given(
        synced: SyncedStore, monkeypatch: pytest.MonkeyPatch) -> None:
    with WooCommerceSimulator() as shop:
        key, secret = shop.auth
        for name, extra in (("plain", {}), ("private", {"ca_file": str(shop.certificate)})):
            synced.api.ok(synced.api.post("/connections", {
                "name": name, "platform": "woocommerce",
                "settings": {"shop_url": shop.url, "location": "S1", **extra},
                "secrets": {"consumer_key": key, "consumer_secret": secret}}), 201)
        [untrusted] = _problems(synced, "plain")
        assert "is not trusted" in untrusted
        assert "settings.ca_file" in untrusted
        assert "SSL" not in untrusted.replace("SSL_CERT_FILE", "")  # no OpenSSL jargon
        synced.work(until=lambda: _problems(synced, "private") == [])
        # SSL_CERT_FILE trusts it for a connection without a ca_file of its own.
        monkeypatch.setenv("SSL_CERT_FILE", str(shop.certificate))
        synced.api.ok(synced.api.patch("/connections/plain", {"settings": {"location": "S1"}}))
        synced.work(until=lambda: _problems(synced, "plain") == [])


@pytest.mark.parametrize("database", ["sqlite"])
@pytest.mark.parametrize("platform", PLATFORMS)
def test_an_expired_certificate_and_one_for_another_host_are_named(
        synced: SyncedStore, ca: Authority, platform: str) -> None:
    cases = ((ca.issue("expired", expired=True), "has expired"),
             (ca.issue("elsewhere", host="shop.example.com"), "is for another host"))
    for n, (issued, words) in enumerate(cases):
        with tls_server(issued) as url:
            synced.api.ok(_connect(synced.api, f"tls{n}", platform, shop_url=url,
                                   ca_file=str(ca.certificate)), 201)
            problems = _problems(synced, f"tls{n}")
        assert any(words in problem for problem in problems), problems


def test_the_command_line_check_names_the_problem(tmp_path: Path) -> None:
    env = {"TILLFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
           "TILLFLOW_HOME": str(tmp_path / "home"), "COLUMNS": "200"}
    runner = CliRunner()
    with WooCommerceSimulator() as shop:
        key, secret = shop.auth
        for args in (["init"], ["connect", "woocommerce", "--name", "woo", "--shop-url",
                                shop.url, "--location", "S1", "--consumer-key", key,
                                "--consumer-secret", secret]):
            done = runner.invoke(app, args, env=env)
            assert done.exit_code == 0, done.output
        checked = runner.invoke(app, ["connection", "check", "woo"], env=env)
    assert checked.exit_code == 1
    assert "is not trusted" in checked.output
    assert "woo: NOT ready" in checked.output


@pytest.mark.parametrize("database", ["sqlite"])
def test_https_to_a_plain_http_port_is_named(synced: SyncedStore) -> None:
    with WooCommerceSimulator() as shop:
        plain = shop.http_url.replace("http://", "https://")
        synced.api.ok(_connect(synced.api, "mixed", "woocommerce", shop_url=plain), 201)
        [problem] = _problems(synced, "mixed")
    assert "TLS handshake" in problem
    assert "https:// on that port" in problem
