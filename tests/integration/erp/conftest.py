"""The ERP tests' peers: a real trytond per test, restored from the cached snapshot, and
the Odoo simulator on each protocol."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from support.tryton_peer import TrytonPeer, install
from tillflow_simulators.odoo.simulator import OdooSimulator


@pytest.fixture(scope="session")
def _tryton_installed() -> None:
    install()


@pytest.fixture(scope="session")
def _tryton_on_postgresql(_tryton_installed: None) -> None:
    install(postgresql=True)


@pytest.fixture
def trytond(request: pytest.FixtureRequest, _tryton_installed: None,
            tmp_path: Path) -> Iterator[TrytonPeer]:
    """trytond on SQLite, or on PostgreSQL where a test asks (``indirect`` parameter)."""
    backend = str(getattr(request, "param", "sqlite"))
    if backend == "postgresql":
        request.getfixturevalue("_tryton_on_postgresql")
    peer = TrytonPeer(tmp_path / "trytond", backend=backend)
    try:
        peer.start()
        yield peer
    finally:
        peer.remove()


@pytest.fixture(params=["json2", "jsonrpc"])
def protocol(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def odoo(protocol: str) -> Iterator[OdooSimulator]:
    simulator = OdooSimulator(version="19.0" if protocol == "json2" else "17.0")
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()
