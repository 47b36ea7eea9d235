"""The ERP tests' peers: a real trytond started once per session and backend with a
database per test, restored from the cached snapshot, the
Odoo simulator on each protocol, and a real Odoo 17 and 19 started once per session with a
database per test module."""

from collections.abc import Callable, Iterator

import pytest

from support.odoo_peer import VERSIONS as ODOO_VERSIONS
from support.odoo_peer import OdooPeer, OdooServer
from support.odoo_peer import install as install_odoo
from support.peers import requires_peer
from support.tryton_peer import TrytonPeer, TrytonServer, install
from tillflow_simulators.odoo.simulator import OdooSimulator


@pytest.fixture(scope="session")
def tryton_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[
        Callable[[str], TrytonServer]]:
    """A trytond per backend the session asks for, started once and stopped at its end."""
    started: dict[str, TrytonServer] = {}

    def server(backend: str) -> TrytonServer:
        if backend not in started:
            install(postgresql=backend == "postgresql")
            found = TrytonServer(tmp_path_factory.mktemp(f"trytond-{backend}") / "server",
                                 backend=backend)
            found.start()
            started[backend] = found
        return started[backend]

    try:
        yield server
    finally:
        for found in started.values():
            found.stop()


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
    started: dict[str, OdooServer] = {}

    def server(version: str) -> OdooServer:
        if version not in started:
            found = OdooServer(install_odoo(version), tmp_path_factory.mktemp(f"odoo{version}"))
            found.start()
            started[version] = found
        return started[version]

    try:
        yield server
    finally:
        for found in started.values():
            found.stop()


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
