"""The Vendure tests' peers: one real Vendure for the session (started from the cached
seed database), posting its plugin's webhooks through a relay that each test points at
its own tillflow; and a Vendure of its own for a test that fills the catalog."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from support.sync import SyncedStore, synced_store
from support.vendure_peer import (
    WEBHOOK_SECRET,
    Vendure,
    VendurePeer,
    ensure_seed,
    install,
    webhook_relay,
)
from tillflow.connectors.vendure.adapter import VendureChannel
from tillflow.connectors.vendure.factory import vendure_channel
from tillflow.services.context import ServiceContext


@pytest.fixture(scope="session")
def _vendure_installed(tmp_path_factory: pytest.TempPathFactory) -> None:
    install()
    ensure_seed(tmp_path_factory.mktemp("vendure-seed"))


@contextmanager
def _running(folder: Path) -> Iterator[Vendure]:
    with webhook_relay() as (relay, relay_url):
        peer = VendurePeer(folder, webhook_url=f"{relay_url}/webhooks/vendure",
                           webhook_secret=WEBHOOK_SECRET)
        peer.start()
        try:
            yield Vendure(peer, relay, peer.api_key())
        finally:
            relay.target = None
            peer.stop()


@pytest.fixture(scope="session")
def vendure(_vendure_installed: None, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[Vendure]:
    with _running(tmp_path_factory.mktemp("vendure")) as running:
        yield running


@pytest.fixture
def own_vendure(_vendure_installed: None, tmp_path: Path) -> Iterator[Vendure]:
    """A Vendure for one test: the shared one stays small, so its reconciliations stay
    quick."""
    with _running(tmp_path / "vendure") as running:
        yield running


@pytest.fixture(scope="module")
def module_vendure(_vendure_installed: None, tmp_path_factory: pytest.TempPathFactory
                   ) -> Iterator[Vendure]:
    """A Vendure for one test module, whose shop-wide settings (taxes, shipping, payment
    methods, promotions) it may change without touching the shared one."""
    with _running(tmp_path_factory.mktemp("vendure-module")) as running:
        yield running


@pytest.fixture
def shop(vendure: Vendure) -> Iterator[VendureChannel]:
    """The connector's channel on the shared Vendure, called directly."""
    channel = vendure_channel({"shop_url": vendure.peer.url},
                              {"api_key": vendure.api_key, "webhook_secret": WEBHOOK_SECRET})
    yield channel
    channel.close()


@pytest.fixture
def store(ctx: ServiceContext, vendure: Vendure) -> Iterator[SyncedStore]:
    """A tillflow with its sync engine, receiving the shared Vendure's webhooks."""
    with synced_store(ctx) as synced:
        vendure.attach(synced.url)
        synced.api.location("S1")
        yield synced
