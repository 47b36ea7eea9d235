"""The ERP tests' peers: a real trytond started once per session and backend with a
database per test, restored from the cached snapshot, the
Odoo simulator on each protocol, and a real Odoo 17 and 19 started once per session with a
database per test module."""

from collections.abc import Callable, Iterator

import pytest

from support.odoo_peer import VERSIONS as ODOO_VERSIONS
from support.odoo_peer import OdooPeer, OdooServer
from support.odoo_peer import install as install_odoo
from support.peer_cache import started_once
from support.peers import requires_peer
from support.tryton_peer import TrytonPeer, TrytonServer, install
from tillflow_simulators.odoo.simulator import OdooSimulator


@pytest.fixture(scope="session")
def tryton_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[
        Callable[[str], TrytonServer]]:
    """A trytond per backend the session asks for, started once and stopped at its end."""
    def make(backend: str) -> TrytonServer:
        install(postgresql=backend == "postgresql")
        return TrytonServer(tmp_path_factory.mktemp(f"trytond-{backend}") / "server",
                            backend=backend)

    with started_once(make) as server:
        yield server


@pytest.fixture
def trytond(request: pytest.FixtureRequest,
            tryton_servers: Callable[[str], TrytonServer]) -> Iterator[TrytonPeer]:
    """A database of its own on the session's trytond, on SQLite or on PostgreSQL where a
    test asks (``indirect`` parameter)."""
    peer = TrytonPeer(tryton_servers(str(getattr(request, "param", "sqlite"))))
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
def odoo_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[
        Callable[[str], OdooServer]]:
    """Each Odoo version the session asks for: built (or found in the cache) and started
    once, stopped when the session ends."""
    def make(version: str) -> OdooServer:
        return OdooServer(install_odoo(version), tmp_path_factory.mktemp(f"odoo{version}"))

    with started_once(make) as server:
        yield server


@pytest.fixture(scope="module", params=ODOO_VERSIONS, ids=lambda v: f"odoo{v}")
def odoo_peer(request: pytest.FixtureRequest,
              odoo_servers: Callable[[str], OdooServer]) -> Iterator[OdooPeer]:
    """A database of its own per test module and version on the session's Odoo; a module
    runs against one version with
    ``pytest.mark.parametrize("odoo_peer", ["19"], indirect=True)``."""
    version = str(request.param)
    requires_peer(f"odoo/odoo-{version}.tar.gz")
    peer = OdooPeer(odoo_servers(version))
    try:
        peer.create()
        peer.start()
        yield peer
    finally:
        peer.remove()
