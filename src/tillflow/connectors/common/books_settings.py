"""What a connection to SaaS books (Xero, QuickBooks Online) may say, checked at create.

Shape only, before anything is stored: ``posting`` one of sale, shift or day; ``accounts``
posting roles to the books' account codes; ``tax_codes`` tax rates (``"0.20"``) to the
books' tax codes; the organisation (``tenant_id``) or company (``realm_id``); ``api_url``
and ``token_url`` https:// (plain http on loopback only, for a simulator). Whether the
books have those accounts and codes is the connection's check.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from tillflow.connectors.common.setting_checks import (
    bad,
    check_choice,
    check_codes,
    check_text,
    check_url,
)
from tillflow.connectors.common.tls import is_loopback
from tillflow.domain.accounting.chart import validate_mapping
from tillflow.domain.errors import InvalidInput
from tillflow.ports.accounting import BOOKS_POSTING_MODES, CATALOG_MASTERS

# Roles every connection posts to, whatever it sells: the clearing account of tenders and
# summaries, revenue, cash moved to the safe, and cash over or short.
REQUIRED_ROLES = ("revenue", "tender", "cash_transfer", "over_short")


def check_books_settings(settings: Mapping[str, Any], *, organisation: str) -> None:
    check_choice(settings, "posting", BOOKS_POSTING_MODES)
    check_choice(settings, "catalog", CATALOG_MASTERS)
    check_text(settings, organisation)
    check_text(settings, "party")
    for key in ("api_url", "token_url"):
        _secure_url(settings, key)
    check_codes(settings, "accounts")
    try:
        validate_mapping(settings.get("accounts") or {})
    except InvalidInput as exc:
        bad("accounts", str(exc))
    missing = [role for role in REQUIRED_ROLES if role not in (settings.get("accounts") or {})]
    if missing:
        bad("accounts", f"must map {', '.join(missing)} to the books' account codes")
    _tax_codes(settings)


def _tax_codes(settings: Mapping[str, Any]) -> None:
    check_codes(settings, "tax_codes")
    codes = settings.get("tax_codes") or {}
    if not codes:
        bad("tax_codes", 'must map each tax rate the till sells at ("0.20") to a tax code')
    for rate in codes:
        try:
            value = Decimal(rate)
        except InvalidOperation:
            bad("tax_codes", f"has {rate!r}, which is no tax rate (write 0.20 for 20 %)")
        if not value.is_finite() or not 0 <= value < 1:
            bad("tax_codes", f"has {rate!r}: a rate is a fraction from 0 to below 1")


def _secure_url(settings: Mapping[str, Any], key: str) -> None:
    check_url(settings, key)
    if key not in settings:
        return
    parts = urlsplit(settings[key])
    if not parts.hostname:
        bad(key, "must name a host")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        bad(key, "must be an https:// address (plain http is accepted on loopback only)")
