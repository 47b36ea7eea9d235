"""The order poll over many pages while the store changes: an order updated between two
pages moves to the end of Magento's list, and the poll still sees every order (paging by
page number would skip the one that slid back onto the page already read)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tillflow.connectors.magento.adapter import ORDER_PAGE, MagentoChannel
from tillflow.connectors.magento.auth import Bearer
from tillflow.connectors.magento.client import MagentoClient
from tillflow_simulators.magento import MagentoSimulator

TOKEN = "magentopollingaccesstoken0000001"
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


class ChangingBetweenPages(httpx.BaseTransport):
    """Runs ``change`` once, after the first page of orders was answered."""

    def __init__(self, change: object) -> None:
        self._inner = httpx.HTTPTransport()
        self._change = change
        self.order_pages = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        if request.url.path.endswith("/V1/orders"):
            self.order_pages += 1
            if self.order_pages == 1:
                self._change()  # type: ignore[operator]
        return response

    def close(self) -> None:
        self._inner.close()


@pytest.fixture
def clocked() -> Iterator[tuple[MagentoSimulator, Clock]]:
    clock = Clock()
    with MagentoSimulator(access_token=TOKEN, clock=clock) as sim:
        yield sim, clock
        assert sim.violations == []


def test_an_order_updated_between_pages_costs_no_other_order(
        clocked: tuple[MagentoSimulator, Clock]) -> None:
    sim, clock = clocked
    sim.add_product("PL-1", "Polled", "2.00", qty=1000)
    placed = []
    for n in range(ORDER_PAGE + 20):
        clock.now = START + timedelta(seconds=n)
        placed.append(str(sim.place_guest_order([("PL-1", 1)]).entity_id))

    def cancel_the_first() -> None:
        clock.now = START + timedelta(hours=1)
        sim.cancel_order(int(placed[0]))

    transport = ChangingBetweenPages(cancel_the_first)
    channel = MagentoChannel(MagentoClient(sim.url, auth=Bearer(TOKEN), transport=transport),
                             source="default", website="base", barcode_attribute=None)
    page = channel.order_changes("2026-12-01T08:59:00Z")
    channel.close()
    assert transport.order_pages >= 2
    assert sorted(c.external_id for c in page.changes) == sorted(placed)
    assert page.cursor == "2026-12-01T10:00:00Z"  # the cancel, read on the last page
