"""A test that needs a packed third-party peer skips where it is absent, naming it, and
fails instead under CI, which has the peers."""

from pathlib import Path

import pytest

from support.peers import ROOT, requires_peer, shared_peers


@pytest.fixture
def packed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "odoo").mkdir()
    (tmp_path / "odoo" / "odoo-19.tar.gz").touch()
    monkeypatch.setenv("TILLFLOW_SHARED_PEERS", str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    return tmp_path


def test_the_peers_are_packed_beside_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TILLFLOW_SHARED_PEERS", raising=False)
    assert shared_peers() == ROOT.parent / "shared" / "peers"


def test_a_packed_peer_is_found(packed: Path) -> None:
    assert requires_peer("odoo/odoo-19.tar.gz") == packed / "odoo" / "odoo-19.tar.gz"


def test_a_missing_peer_skips_naming_what_is_missing(packed: Path) -> None:
    with pytest.raises(pytest.skip.Exception, match=r"odoo-17\.tar\.gz is missing"):
        requires_peer("odoo/odoo-17.tar.gz")


def test_a_missing_peer_fails_under_ci(packed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"odoo-17\.tar\.gz is missing"):
        requires_peer("odoo/odoo-17.tar.gz")
