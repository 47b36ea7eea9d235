"""The ERP tests' peers: a real trytond per test, restored from the cached snapshot."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from support.tryton_peer import TrytonPeer, install


@pytest.fixture(scope="session")
def _tryton_installed() -> None:
    install()


@pytest.fixture
def trytond(_tryton_installed: None, tmp_path: Path) -> Iterator[TrytonPeer]:
    peer = TrytonPeer(tmp_path / "trytond")
    peer.start()
    try:
        yield peer
    finally:
        peer.stop()
