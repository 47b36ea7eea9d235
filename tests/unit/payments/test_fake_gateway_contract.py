"""The in-memory gateway passes the same contract as the real adapters."""

import pytest

from support.payment_contract import TokenGatewayContract
from tillflow.connectors.fake_payments import FakeGateway


class TestFakeGateway(TokenGatewayContract):
    @pytest.fixture
    def gateway(self) -> FakeGateway:
        return FakeGateway()
