"""The route table is the Open Source store's, and every route the simulator serves is in
it and in Adobe's schema of every version."""

from __future__ import annotations

import pytest

from tillflow_simulators.magento import schema
from tillflow_simulators.magento.rest import ENDPOINTS
from tillflow_simulators.magento.routes import open_source_routes


def test_a_literal_segment_beats_a_parameter() -> None:
    match = open_source_routes().match("GET", "/V1/customers/search")
    assert match is not None
    assert match.route.url == "/V1/customers/search"
    by_id = open_source_routes().match("GET", "/V1/customers/7")
    assert by_id is not None
    assert dict(by_id.params) == {"customerId": "7"}


def test_the_admin_token_route_is_the_two_factor_modules() -> None:
    match = open_source_routes().match("POST", "/V1/integration/admin/token")
    assert match is not None
    assert match.route.service.startswith("Magento\\TwoFactorAuth\\")


def test_commerce_only_operations_have_no_route() -> None:
    table = open_source_routes()
    assert table.match("GET", "/V1/company/") is None
    assert table.match("GET", "/V1/webhooks/list") is None


@pytest.mark.parametrize("version", schema.VERSIONS)
def test_every_served_route_is_open_source_and_described(version: str) -> None:
    routes = {(r.method, r.url): r for r in open_source_routes()}
    admin = schema.load(version, "admin")
    for key in ENDPOINTS:
        assert key in routes, key
        assert admin.has(key[0], routes[key].template), (version, key)
