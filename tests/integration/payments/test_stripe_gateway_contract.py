"""The Stripe adapter against localstripe passes the payments contract."""

from collections.abc import Iterator

import pytest

from support.payment_contract import TokenGatewayContract
from tillflow.connectors.stripe.gateway import StripeGateway

TEST_KEY = "sk_test_tillflow"


class TestStripeGateway(TokenGatewayContract):
    @pytest.fixture
    def gateway(self, localstripe: str) -> Iterator[StripeGateway]:
        gateway = StripeGateway(api_key=TEST_KEY, api_base=localstripe)
        yield gateway
        gateway.close()
