"""What each platform's connector is: its settings, its secrets and the ports it serves.

A connector declares itself (no probing): one ``ConnectorSpec`` per platform, with a
factory for each port it implements. The sync engine, payments and ERP posting find a
connection's adapter through its platform's spec, so a new platform is a package of its
own and one entry in ``tillflow.connectors.available``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tillflow.domain.variants import VariantLimits
from tillflow.ports.accounting import (
    AccessTokens,
    AccountingPort,
    ErpCatalog,
    ErpCheck,
    ErpProbe,
    TokenEndpoint,
)
from tillflow.ports.commerce import ChannelFactory
from tillflow.ports.payments import PaymentGateway, PaymentWebhooks

COMMERCE = "commerce"
PAYMENTS = "payments"
ACCOUNTING = "accounting"

Settings = Mapping[str, Any]
Secrets = Mapping[str, str]


@dataclass(frozen=True)
class ConnectorSpec:
    platform: str
    required_settings: tuple[str, ...] = ()
    optional_settings: tuple[str, ...] = ()
    required_secrets: tuple[str, ...] = ()
    optional_secrets: tuple[str, ...] = ()
    description: str = ""
    # Checks the values of the settings (raises InvalidInput); known names are checked
    # for every platform.
    validate_settings: Callable[[Settings], None] | None = None
    # Checks which secrets go together (raises InvalidInput naming the missing one).
    validate_secrets: Callable[[Secrets], None] | None = None
    # What a new connection's settings say where its creator says nothing.
    default_settings: Settings = field(default_factory=dict)
    # One factory per port the platform implements, from a connection's settings and
    # opened secrets.
    commerce: ChannelFactory | None = None
    payments: Callable[[Settings, Secrets], PaymentGateway] | None = None
    accounting: Callable[[Settings, Secrets], AccountingPort] | None = None
    erp_catalog: Callable[[Settings, Secrets], ErpCatalog] | None = None
    # Reaches an ERP read-only to prove a connection's settings and secrets.
    erp_check: ErpProbe | None = None
    # How a payments platform's webhooks are verified and read.
    payment_webhooks: PaymentWebhooks | None = None
    # Books reached with OAuth 2.0 (Xero, QuickBooks Online): the token endpoint of a
    # connection, its postings and its check, each given the connection's leased tokens.
    oauth: Callable[[Settings, Secrets], TokenEndpoint] | None = None
    books: Callable[[Settings, Secrets, AccessTokens], AccountingPort] | None = None
    books_check: Callable[[Settings, Secrets, AccessTokens, str], list[ErpCheck]] | None = None
    books_catalog: Callable[[Settings, Secrets, AccessTokens], ErpCatalog] | None = None
    # How many options and variants a product may have on the platform, as it documents
    # them; a shop's connection makes tillflow refuse a product beyond them.
    variant_limits: VariantLimits | None = None

    @property
    def syncs_products(self) -> bool:
        """Whether the platform's products follow tillflow's, or master them."""
        return self.erp_catalog is not None or self.books_catalog is not None

    @property
    def ports(self) -> frozenset[str]:
        served = {COMMERCE: self.commerce, PAYMENTS: self.payments,
                  ACCOUNTING: self.accounting or self.books}
        return frozenset(port for port, factory in served.items() if factory is not None)

    @property
    def known_settings(self) -> frozenset[str]:
        return frozenset(self.required_settings) | frozenset(self.optional_settings)

    @property
    def known_secrets(self) -> frozenset[str]:
        return frozenset(self.required_secrets) | frozenset(self.optional_secrets)


@dataclass
class ConnectorRegistry:
    specs: dict[str, ConnectorSpec] = field(default_factory=dict)

    @classmethod
    def of(cls, specs: Iterable[ConnectorSpec]) -> ConnectorRegistry:
        return cls({spec.platform: spec for spec in specs})

    def get(self, platform: str) -> ConnectorSpec | None:
        return self.specs.get(platform)

    @property
    def platforms(self) -> list[str]:
        return sorted(self.specs)

    def serving(self, port: str) -> list[ConnectorSpec]:
        return [spec for spec in self.specs.values() if port in spec.ports]

    def commerce_factories(self) -> dict[str, ChannelFactory]:
        """The web shop platforms' channel factories, for the sync engine."""
        return {spec.platform: spec.commerce for spec in self.specs.values()
                if spec.commerce is not None}
