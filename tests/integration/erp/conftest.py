"""The ERP tests' peers: a real trytond per test, restored from the cached snapshot, the
Odoo simulator on each protocol, and a real Odoo 17 and 19 per test module."""

import functools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from support.odoo_peer import VERSIONS as ODOO_VERSIONS
from support.odoo_peer import OdooInstall, OdooPeer
from support.odoo_peer import install as install_odoo
from support.peers import requires_peer
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


@pytest.fixture(scope="session")
def odoo_install() -> Callable[[str], OdooInstall]:
    """Each Odoo version the session asks for, built (or found in the cache) once."""
    return functools.cache(install_odoo)


@pytest.fixture(scope="module", params=ODOO_VERSIONS, ids=lambda v: f"odoo{v}")
def odoo_peer(request: pytest.FixtureRequest, odoo_install: Callable[[str], OdooInstall],
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[OdooPeer]:
    """A real Odoo per test module and version, serving a database of its own; a module
    runs against one version with
    ``pytest.mark.parametrize("odoo_peer", ["19"], indirect=True)``."""
    version = str(request.param)
    requires_peer(f"odoo/odoo-{version}.tar.gz")
    peer = OdooPeer(odoo_install(version), tmp_path_factory.mktemp(f"odoo{version}"))
    try:
        peer.create()
        peer.start()
        yield peer
    finally:
        peer.remove()
