"""What ERP connectors implement (postings to the books; products and receipts), and errors.

Errors are classified by what the poster does next: ``ErpUnavailable`` → keep the posting
queued and retry later (in order); ``ErpRejected`` → dead letter with the ERP's message,
replayable once the mapping is fixed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

from tillflow.domain.accounting.entries import JournalEntry

# When postings go out: one per sale, or one summary per closed shift.
PER_SALE = "sale"
PER_SHIFT = "shift"
POSTING_MODES = (PER_SALE, PER_SHIFT)
# What a sale becomes in the ERP: a customer invoice or a plain journal entry.
SALES_AS = ("invoice", "move")
SALE_ORDER = "sale_order"
# What a connection's sync may be asked to do, and what its polling job may do by itself.
SYNC_SCOPES = ("receipts", "products-in", "products-out")
POLLED_SCOPES = ("receipts", "products-in")
# Who masters the products of an ERP connection (``settings.catalog``): tillflow, whose
# changes the ERP follows, or the ERP, whose products come in and whose fields tillflow
# no longer edits. A connection without the setting follows tillflow.
TILLFLOW_MASTERS = "tillflow"
ERP_MASTERS = "erp"
CATALOG_MASTERS = (TILLFLOW_MASTERS, ERP_MASTERS)


def catalog_master_of(settings: Mapping[str, Any]) -> str:
    """``tillflow`` or ``erp``: who masters the products of a connection with ``settings``."""
    return str(settings.get("catalog", TILLFLOW_MASTERS))


class ErpError(Exception):
    """Root of the ERP errors."""


class ErpUnavailable(ErpError):
    """The ERP could not be reached or answered with a server fault: retry later (not
    before ``retry_after`` seconds when the ERP said how long, as a rate limit does)."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ErpRejected(ErpError):
    """The ERP refused the document (closed period, unknown account): a person must act."""


@dataclass(frozen=True)
class ErpProduct:
    sku: str
    name: str
    price: Decimal
    cost: Decimal | None
    barcodes: tuple[str, ...]


@dataclass(frozen=True)
class ErpReceipt:
    """Goods received in the ERP (one stock move): ``external_id`` is the ERP's move id."""

    external_id: str
    sku: str
    location: str
    quantity: Decimal
    shipment: str


@dataclass(frozen=True)
class StockCount:
    """A count or an adjustment: ``on_hand`` of ``sku`` at tillflow ``location`` after it.

    Sent as the quantity the location now holds (an inventory), so sending it again is
    harmless: the ERP finds nothing left to correct.
    """

    reference: str
    sku: str
    location: str
    on_hand: Decimal
    occurred_at: datetime


@dataclass(frozen=True)
class ErpCheck:
    """One thing a connection's check found: ``ok`` or not, said in plain words.

    A failed check the user must fix names the setting or secret (``settings.database``)
    in ``field``; the connection is then refused (422) and nothing is stored.
    """

    name: str
    ok: bool
    detail: str
    field: str | None = None


class ErpProbe(Protocol):
    """Reaches the ERP with a connection's settings and reads, never writes: signs in,
    asks its version, modules, rights and currency. Raises ``ErpUnavailable`` when the
    ERP cannot be reached at all (it may be away; that is no reason to refuse it)."""

    def __call__(self, settings: Mapping[str, Any], secrets: Mapping[str, str], *,
                 currency: str) -> list[ErpCheck]: ...


class AccountingPort(Protocol):
    def post_entries(self, entries: Sequence[JournalEntry], *,
                     maybe_there: bool) -> list[str]:
        """Create and post ``entries`` in the ERP, in order; returns the ERP's ids.

        With ``maybe_there`` (an earlier attempt may have reached the ERP) each reference
        is looked up first: a posted document is taken as it is, a draft replaced.
        """
        ...

    def count_stock(self, counts: Sequence[StockCount], *, maybe_there: bool) -> list[str]:
        """Bring the ERP's stock at each count's location to its ``on_hand``; returns ids
        (``-`` for a count the ERP has nothing to record for, e.g. an unknown product)."""
        ...

    def close(self) -> None: ...


class ErpCatalog(Protocol):
    """An ERP's products and goods received, for connections that sync them."""

    def close(self) -> None: ...

    def products(self) -> list[ErpProduct]: ...

    def upsert_product(self, *, sku: str, name: str, price: Decimal,
                       barcodes: tuple[str, ...], tax_rate: Decimal | None = None,
                       active: bool = True, cost: Decimal | None = None) -> int | str:
        """Create the product of ``sku``, or bring the one the ERP has (archived or not)
        up to these values (``cost``, what a unit costs the store, left as the ERP has it
        when None); returns the ERP's id. Safe to repeat."""
        ...

    def receipts(self, *, after: int, locations: dict[str, str]) -> list[ErpReceipt]: ...

    def storage_location(self) -> str: ...


@dataclass(frozen=True)
class ErpVariant:
    """One SKU of a product with options: ``values`` holds its value of each of the
    product's options, in the product's order; an inactive one is withdrawn from sale."""

    sku: str
    price: Decimal
    barcodes: tuple[str, ...]
    values: tuple[str, ...]
    active: bool = True
    cost: Decimal | None = None


@dataclass(frozen=True)
class ErpProductWithVariants:
    """A product with options, as one product of the ERP (a template with attributes):
    ``key`` is tillflow's id of it (kept when it is renamed), ``options`` each option's
    name and values in order, ``variants`` every SKU of it tillflow keeps."""

    key: str
    name: str
    tax_rate: Decimal | None
    category: str | None
    options: tuple[tuple[str, tuple[str, ...]], ...]
    variants: tuple[ErpVariant, ...]


@runtime_checkable
class ErpCatalogVariants(Protocol):
    """What an ERP whose products group variants under a template offers besides
    ``ErpCatalog``; an ERP without it gets each SKU as a product of its own."""

    def upsert_variants(self, product: ErpProductWithVariants) -> Mapping[str, int | str]:
        """Create ``product`` as one template with an attribute per option and a variant
        per SKU, or bring the ERP's (the template already holding one of its SKUs, archived
        or not) up to it; variants of that template ``product`` no longer lists are
        archived. Returns the ERP's id of each SKU's variant. Safe to repeat."""
        ...


# Books kept in a SaaS (Xero, QuickBooks Online) reached with OAuth 2.0 tokens.
PER_DAY = "day"
BOOKS_POSTING_MODES = (*POSTING_MODES, PER_DAY)


class ConsentRevoked(ErpUnavailable):
    """The books refuse the connection's refresh token (consent revoked or lapsed):
    postings wait, and the health says to connect again."""


@dataclass(frozen=True)
class TokenGrant:
    """What a token endpoint answers: a short-lived access token and the refresh token
    that replaces the one spent (refresh tokens are single-use)."""

    access_token: str
    refresh_token: str
    expires_in: int


class TokenEndpoint(Protocol):
    def refresh(self, refresh_token: str) -> TokenGrant:
        """Spend ``refresh_token`` for new tokens; raises ``ConsentRevoked`` when the
        endpoint refuses it, ``ErpUnavailable`` when it cannot be reached."""
        ...


class AccessTokens(Protocol):
    """A connection's current access token, refreshed before it expires by one worker
    at a time (a refresh token must never be spent twice)."""

    def access_token(self) -> str: ...

    def refused(self, token: str) -> None:
        """The books answered 401 to ``token``: the next ``access_token`` is a fresh one."""
        ...
