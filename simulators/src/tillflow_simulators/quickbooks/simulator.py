"""The handle tests and the demo use: a simulated QuickBooks Online on loopback.

with QuickBooksSimulator(clock=FakeClock()) as qbo:
    tokens = qbo.connect()                           # a consent to the seeded company
    httpx.get(f"{qbo.company_url()}/query", params={"query": "select * from Item"},
              headers=qbo.headers(tokens))
    qbo.entities("SalesReceipt")                     # every sales receipt, as Intuit keeps it
"""

from __future__ import annotations

from collections.abc import Iterable
from types import TracebackType
from typing import Any

from tillflow_simulators.common.chaos import FaultRule
from tillflow_simulators.common.clock import Clock, FakeClock, SystemClock
from tillflow_simulators.common.oauth import Client, TokenSet
from tillflow_simulators.common.server import BackgroundServer
from tillflow_simulators.common.webhooks import DeliveryAttempt, WebhookFaults
from tillflow_simulators.quickbooks.app import PREFIX, build_app
from tillflow_simulators.quickbooks.company import Company, CompanySettings
from tillflow_simulators.quickbooks.limits import Throttles
from tillflow_simulators.quickbooks.schema import schema
from tillflow_simulators.quickbooks.seed import (
    RETAIL_ACCOUNTS,
    RETAIL_TAX_CODES,
    WALK_IN_CUSTOMER,
    AccountSpec,
    TaxCodeSpec,
    seed,
)
from tillflow_simulators.quickbooks.state import QboState
from tillflow_simulators.quickbooks.webhooks import Subscription

DEFAULT_CLIENT_ID = "QBO-SIM-CLIENT"
DEFAULT_CLIENT_SECRET = "qbo-sim-client-secret"  # noqa: S105 - the simulator's test app
DEFAULT_REDIRECT_URI = "http://127.0.0.1/quickbooks/callback"


class QuickBooksSimulator:
    """One app registered with a simulated QuickBooks Online, and one seeded company."""

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        throttles: Throttles | None = None,
        client_id: str = DEFAULT_CLIENT_ID,
        client_secret: str = DEFAULT_CLIENT_SECRET,
        redirect_uris: Iterable[str] = (DEFAULT_REDIRECT_URI,),
        company: CompanySettings | None = None,
        validate_responses: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        schema()  # read Intuit's XSD now, not inside the first request
        self.clock = clock or SystemClock()
        self.state = QboState(self.clock, throttles or Throttles(),
                              validate_responses=validate_responses)
        self.client = Client(client_id, client_secret, tuple(redirect_uris))
        self.state.identity.grants.register_client(self.client)
        self.realm_id = self.add_company(company or CompanySettings())
        self._host = host
        self.app = build_app(self.state)
        self._server = BackgroundServer(self.app, host=host, port=port)

    def advance_clock(self, seconds: float = 0.0, **delta: float) -> None:
        """Move the simulator's ``FakeClock`` on (``minutes=1``, ``hours=24`` ...)."""
        if not isinstance(self.clock, FakeClock):
            raise TypeError("advance_clock needs a simulator built with clock=FakeClock()")
        self.clock.advance(seconds, **delta)

    # -- lifecycle --------------------------------------------------------------------

    def start(self) -> QuickBooksSimulator:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> QuickBooksSimulator:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # -- addresses ----------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The address it serves on (the requested one until it is started)."""
        try:
            return self._server.url
        except RuntimeError:
            return f"http://{self._host}:{self._server.requested_port}"

    def company_url(self, realm_id: str | None = None) -> str:
        return f"{self.url}{PREFIX}/{realm_id or self.realm_id}"

    @property
    def token_url(self) -> str:
        return self.url + "/oauth2/v1/tokens/bearer"

    @property
    def revoke_url(self) -> str:
        return self.url + "/oauth2/v1/tokens/revoke"

    @property
    def authorize_url(self) -> str:
        return self.url + "/connect/oauth2"

    # -- companies and their books --------------------------------------------------------

    def add_company(self, settings: CompanySettings | None = None, *,
                    accounts: tuple[AccountSpec, ...] = RETAIL_ACCOUNTS,
                    tax_codes: tuple[TaxCodeSpec, ...] = RETAIL_TAX_CODES,
                    customers: tuple[str, ...] = (WALK_IN_CUSTOMER,)) -> str:
        """A new company with its accounts, tax codes and customers; its realm id."""
        company = self.state.add_company(settings or CompanySettings())
        seed(company, accounts=accounts, tax_codes=tax_codes, customers=customers)
        return company.realm_id

    def company(self, realm_id: str | None = None) -> Company:
        return self.state.companies[realm_id or self.realm_id]

    def entities(self, name: str, realm_id: str | None = None) -> list[dict[str, Any]]:
        """Every entity of ``name`` the company keeps (``"SalesReceipt"``), as copies."""
        company = self.company(realm_id)
        with company.lock:
            return [dict(entity) for entity in company.table(name).values()]

    def find(self, name: str, field: str, value: Any,
             realm_id: str | None = None) -> dict[str, Any]:
        """The one entity of ``name`` whose ``field`` is ``value`` (an Id for a test)."""
        [found] = [e for e in self.entities(name, realm_id) if e.get(field) == value]
        return found

    # -- consents and tokens --------------------------------------------------------------

    def connect(self, realm_id: str | None = None) -> TokenSet:
        """A user's consent to the app for a company, and its tokens."""
        consent = self.state.identity.consent(self.client.client_id, realm_id or self.realm_id)
        return self.state.identity.grants.issue(consent.consent_id)

    def revoke_consent(self, tokens: TokenSet) -> None:
        """The user disconnects the app in QuickBooks: its tokens stop working."""
        self.state.identity.grants.revoke_consent(tokens.consent_id)

    def expire_access_tokens(self) -> None:
        self.state.identity.grants.expire_access_tokens()

    def headers(self, tokens: TokenSet) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens.access_token}",
                "Accept": "application/json", "Content-Type": "application/json"}

    # -- throttles and faults -----------------------------------------------------------------

    def use_up_minute(self, realm_id: str | None = None) -> None:
        """Spend the company's minute of requests, as other apps of the company would."""
        realm = realm_id or self.realm_id
        while self.state.meter.allow(realm):
            pass

    def fail_next(self, count: int = 1, *, status: int = 503, path_prefix: str = PREFIX,
                  method: str | None = None, delay: float = 0.0) -> None:
        """Answer the next ``count`` matching calls with ``status`` (None: run them late)."""
        self.state.controls.faults.add(FaultRule(status=status, count=count, delay=delay,
                                                 path_prefix=path_prefix, method=method))

    # -- webhooks ---------------------------------------------------------------------------

    def subscribe_webhooks(self, url: str, verifier_token: str,
                           entities: Iterable[str] | None = None) -> None:
        """The app's webhook endpoint, verifier token and the entities it listens to."""
        self.state.webhooks.subscribe(Subscription(
            url, verifier_token, frozenset(entities) if entities is not None else None))

    @property
    def webhook_faults(self) -> WebhookFaults:
        return self.state.webhooks.sender.faults

    @property
    def deliveries(self) -> list[DeliveryAttempt]:
        return self.state.webhooks.sender.attempts

    def wait_for_webhooks(self, timeout: float = 10.0) -> bool:
        return self.state.webhooks.sender.wait_idle(timeout=timeout)
