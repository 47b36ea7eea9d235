"""The Stripe adapter passes the payments contract against localstripe, behind the
server that adds what localstripe lacks as Stripe documents it (support.stripe_shapes:
Idempotency-Key replays, the Search API, ``created`` ranges)."""

from collections.abc import Iterator

import pytest

from support.payment_contract import TokenGatewayContract
from support.stripe_shapes import stripe_shapes
from tillflow.connectors.stripe.gateway import StripeGateway

TEST_KEY = "sk_test_tillflow"


class TestStripeGateway(TokenGatewayContract):
    @pytest.fixture
    def gateway(self, localstripe: str) -> Iterator[StripeGateway]:
        with stripe_shapes(localstripe) as (_, url):
            gateway = StripeGateway(api_key=TEST_KEY, api_base=url)
            yield gateway
            gateway.close()
