"""What an ERP connection's settings may say, checked before anything is written.

Each connector spec of a ledger platform names its validator; a bad value is an
``InvalidInput`` naming the setting (``settings.posting``), so ``POST /connections`` and
``PATCH /connections/{name}`` answer 422 in the error envelope and store nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tillflow.connectors.odoo.client import PROTOCOLS
from tillflow.connectors.setting_checks import (
    bad,
    check_choice,
    check_codes,
    check_text,
    check_url,
    check_whole,
)
from tillflow.domain.errors import InvalidInput
from tillflow.ledger.chart import validate_mapping

PER_SALE = "sale"
PER_SHIFT = "shift"
POSTING_MODES = (PER_SALE, PER_SHIFT)
SALES_AS = ("invoice", "move")
SALE_ORDER = "sale_order"
ODOO_SALES_AS = (*SALES_AS, SALE_ORDER)
SYNC_SCOPES = ("receipts", "products-in", "products-out")
POLLED_SCOPES = ("receipts", "products-in")


def validate_tryton(settings: Mapping[str, Any]) -> None:
    _common(settings)
    check_choice(settings, "sales", SALES_AS)
    check_codes(settings, "payment_methods")


def validate_odoo(settings: Mapping[str, Any]) -> None:
    _common(settings)
    check_choice(settings, "sales", ODOO_SALES_AS)
    check_choice(settings, "protocol", PROTOCOLS)
    check_codes(settings, "payment_journals")


def _polling(settings: Mapping[str, Any]) -> None:
    if "poll" in settings:
        poll = settings["poll"]
        if not isinstance(poll, list) or any(scope not in POLLED_SCOPES for scope in poll):
            bad("poll", f"must be a list of {', '.join(POLLED_SCOPES)}")
    check_whole(settings, "poll_seconds", low=0, high=86_400, unit=" of seconds")


def _common(settings: Mapping[str, Any]) -> None:
    check_url(settings, "url")
    check_text(settings, "database")
    check_choice(settings, "posting", POSTING_MODES)
    check_text(settings, "journal")
    check_codes(settings, "locations")
    check_text(settings, "party")
    _polling(settings)
    if "accounts" in settings:
        check_codes(settings, "accounts")
        try:
            validate_mapping(settings["accounts"])
        except InvalidInput as exc:
            bad("accounts", str(exc))
