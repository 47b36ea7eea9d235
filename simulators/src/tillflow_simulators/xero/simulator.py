"""The handle tests and the demo use: a simulated Xero on loopback, and ways to steer it.

with XeroSimulator(clock=FakeClock()) as xero:
    tokens = xero.connect()                         # a consent to the seeded organisation
    httpx.get(f"{xero.api_url}/Invoices", headers=xero.headers(tokens))
    xero.books().table("Invoices")                  # every invoice posted, as Xero keeps it
    xero.clock.advance(minutes=1)                   # a new minute for the rate limit
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from types import TracebackType
from typing import Any

from tillflow_simulators.common.chaos import FaultRule
from tillflow_simulators.common.clock import Clock, FakeClock, SystemClock
from tillflow_simulators.common.oauth import Client, TokenSet
from tillflow_simulators.common.server import BackgroundServer
from tillflow_simulators.common.webhooks import DeliveryAttempt, WebhookFaults
from tillflow_simulators.xero.accounting import PREFIX
from tillflow_simulators.xero.app import build_app
from tillflow_simulators.xero.books import Books, Settings
from tillflow_simulators.xero.identity import DEFAULT_SCOPES
from tillflow_simulators.xero.limits import RateLimits
from tillflow_simulators.xero.openapi import specs
from tillflow_simulators.xero.seed import (
    RETAIL_CHART,
    RETAIL_TAX_RATES,
    WALK_IN_CUSTOMER,
    AccountSpec,
    TaxRateSpec,
    seed,
)
from tillflow_simulators.xero.state import XeroState
from tillflow_simulators.xero.webhooks import IntentResult

DEFAULT_CLIENT_ID = "XERO-SIM-CLIENT"
DEFAULT_CLIENT_SECRET = "xero-sim-client-secret"  # noqa: S105 - the simulator's test app
DEFAULT_REDIRECT_URI = "http://127.0.0.1/xero/callback"


class XeroSimulator:
    """One app registered with a simulated Xero, and one seeded organisation."""

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        rate_limits: RateLimits | None = None,
        client_id: str = DEFAULT_CLIENT_ID,
        client_secret: str = DEFAULT_CLIENT_SECRET,
        redirect_uris: Iterable[str] = (DEFAULT_REDIRECT_URI,),
        organisation: Settings | None = None,
        validate_responses: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        specs()  # read Xero's specs now, not inside the first request
        self.clock = clock or SystemClock()
        self.state = XeroState(self.clock, rate_limits or RateLimits(),
                               validate_responses=validate_responses)
        self.client = Client(client_id, client_secret, tuple(redirect_uris))
        self.state.identity.grants.register_client(self.client)
        self.tenant_id = self.add_organisation(organisation or Settings())
        self._host = host
        self.app = build_app(self.state)
        self._server = BackgroundServer(self.app, host=host, port=port)

    def advance_clock(self, seconds: float = 0.0, **delta: float) -> None:
        """Move the simulator's ``FakeClock`` on (``minutes=1``, ``hours=24`` ...)."""
        if not isinstance(self.clock, FakeClock):
            raise TypeError("advance_clock needs a simulator built with clock=FakeClock()")
        self.clock.advance(seconds, **delta)

    # -- lifecycle --------------------------------------------------------------------

    def start(self) -> XeroSimulator:
        self._server.bind()
        self.state.webhooks.api_url = self.api_url
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> XeroSimulator:
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

    @property
    def api_url(self) -> str:
        return self.url + PREFIX

    @property
    def token_url(self) -> str:
        return self.url + "/connect/token"

    @property
    def authorize_url(self) -> str:
        return self.url + "/identity/connect/authorize"

    @property
    def revocation_url(self) -> str:
        return self.url + "/connect/revocation"

    @property
    def connections_url(self) -> str:
        return self.url + "/connections"

    # -- organisations and their books ------------------------------------------------------

    def add_organisation(self, settings: Settings | None = None, *,
                         accounts: tuple[AccountSpec, ...] = RETAIL_CHART,
                         tax_rates: tuple[TaxRateSpec, ...] = RETAIL_TAX_RATES,
                         contacts: tuple[str, ...] = (WALK_IN_CUSTOMER,)) -> str:
        """A new organisation with its chart, tax rates and contacts; its tenant id."""
        books = self.state.add_organisation(settings or Settings())
        seed(books, accounts=accounts, tax_rates=tax_rates, contacts=contacts)
        return books.tenant_id

    def books(self, tenant_id: str | None = None) -> Books:
        """An organisation's books: ``books().table("Invoices")`` is every invoice kept."""
        return self.state.organisations[tenant_id or self.tenant_id]

    def documents(self, table: str, tenant_id: str | None = None) -> list[dict[str, Any]]:
        books = self.books(tenant_id)
        with books.lock:
            return [dict(record) for record in books.table(table).values()]

    def set_lock_dates(self, *, period: date | None = None, end_of_year: date | None = None,
                       tenant_id: str | None = None) -> None:
        settings = self.books(tenant_id).settings
        settings.period_lock_date, settings.end_of_year_lock_date = period, end_of_year

    def archive_account(self, code: str, tenant_id: str | None = None) -> None:
        books = self.books(tenant_id)
        with books.lock:
            account = books.account_by_code(code)
            if account is None:
                raise KeyError(code)
            account["Status"] = "ARCHIVED"
            books.touch(account)

    # -- consents and tokens --------------------------------------------------------------

    def connect(self, *, scopes: tuple[str, ...] = DEFAULT_SCOPES,
                tenants: list[str] | None = None) -> TokenSet:
        """A user's consent to the app for ``tenants`` (all by default), and its tokens."""
        consent = self.state.identity.consent(self.client.client_id, scopes, tenants)
        return self.state.identity.grants.issue(consent.consent_id)

    def revoke_consent(self, tokens: TokenSet) -> None:
        """The user disconnects the app: its connections go and its tokens stop working."""
        grants = self.state.identity.grants
        grants.revoke_consent(tokens.consent_id)
        for consent in grants.consents():
            if consent.consent_id == tokens.consent_id:
                self.state.identity.connections(consent).clear()

    def expire_access_tokens(self) -> None:
        self.state.identity.grants.expire_access_tokens()

    def headers(self, tokens: TokenSet, tenant_id: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens.access_token}",
                "xero-tenant-id": tenant_id or self.tenant_id, "Accept": "application/json"}

    # -- limits and faults --------------------------------------------------------------------

    def exhaust_daily_allowance(self, tenant_id: str | None = None) -> None:
        self.state.meter.exhaust_day(tenant_id or self.tenant_id)

    def fail_next(self, count: int = 1, *, status: int = 503, path_prefix: str = PREFIX,
                  method: str | None = None, retry_after: int | None = None,
                  delay: float = 0.0) -> None:
        """Answer the next ``count`` matching calls with ``status`` (None: run them late)."""
        self.state.controls.faults.add(FaultRule(status=status, count=count, delay=delay,
                                                 path_prefix=path_prefix, method=method,
                                                 retry_after=retry_after))

    # -- webhooks ---------------------------------------------------------------------------

    def subscribe_webhooks(self, url: str, key: str) -> IntentResult:
        """Set the app's webhook URL and key and run intent to receive against it."""
        return self.state.webhooks.intent_to_receive(url, key)

    @property
    def webhook_faults(self) -> WebhookFaults:
        return self.state.webhooks.sender.faults

    @property
    def deliveries(self) -> list[DeliveryAttempt]:
        return self.state.webhooks.sender.attempts

    def wait_for_webhooks(self, timeout: float = 10.0) -> bool:
        return self.state.webhooks.sender.wait_idle(timeout=timeout)

