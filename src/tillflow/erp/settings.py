"""What an ERP connection's settings may say, checked before anything is written.

Each connector spec of a ledger platform names its validator; a bad value is an
``InvalidInput`` naming the setting (``settings.posting``), so ``POST /connections`` and
``PATCH /connections/{name}`` answer 422 in the error envelope and store nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tillflow.connectors.odoo.client import PROTOCOLS
from tillflow.domain.errors import InvalidInput
from tillflow.ledger.chart import validate_mapping

PER_SALE = "sale"
PER_SHIFT = "shift"
POSTING_MODES = (PER_SALE, PER_SHIFT)
SALES_AS = ("invoice", "move")
SYNC_SCOPES = ("receipts", "products-in", "products-out")
POLLED_SCOPES = ("receipts", "products-in")


def validate_tryton(settings: Mapping[str, Any]) -> None:
    _common(settings)
    _codes(settings, "payment_methods")


def validate_odoo(settings: Mapping[str, Any]) -> None:
    _common(settings)
    _choice(settings, "protocol", PROTOCOLS)
    _codes(settings, "payment_journals")


def _polling(settings: Mapping[str, Any]) -> None:
    if "poll" in settings:
        poll = settings["poll"]
        if not isinstance(poll, list) or any(scope not in POLLED_SCOPES for scope in poll):
            _bad("poll", f"must be a list of {', '.join(POLLED_SCOPES)}")
    if "poll_seconds" in settings:
        seconds = settings["poll_seconds"]
        if isinstance(seconds, bool) or not isinstance(seconds, int) or not \
                0 <= seconds <= 86_400:
            _bad("poll_seconds", "must be a whole number of seconds from 0 to 86400")


def _common(settings: Mapping[str, Any]) -> None:
    url = settings.get("url")
    if "url" in settings and (not isinstance(url, str)
                              or not url.startswith(("http://", "https://"))):
        _bad("url", "must be an http:// or https:// address")
    _text(settings, "database")
    _choice(settings, "posting", POSTING_MODES)
    _text(settings, "journal")
    _codes(settings, "locations")
    _choice(settings, "sales", SALES_AS)
    _text(settings, "party")
    _polling(settings)
    if "accounts" in settings:
        _codes(settings, "accounts")
        try:
            validate_mapping(settings["accounts"])
        except InvalidInput as exc:
            _bad("accounts", str(exc))


def _choice(settings: Mapping[str, Any], key: str, choices: tuple[str, ...]) -> None:
    if key in settings and settings[key] not in choices:
        _bad(key, f"must be one of {', '.join(choices)}")


def _text(settings: Mapping[str, Any], key: str) -> None:
    if key in settings and (not isinstance(settings[key], str) or not settings[key].strip()):
        _bad(key, "must be a non-empty string")


def _codes(settings: Mapping[str, Any], key: str) -> None:
    """A mapping of non-empty strings to non-empty strings."""
    value = settings.get(key)
    if key in settings and (not isinstance(value, dict) or not all(
            isinstance(k, str) and k.strip() and isinstance(v, str) and v.strip()
            for k, v in value.items())):
        _bad(key, "must map names to non-empty strings")


def _bad(key: str, message: str) -> None:
    raise InvalidInput(f"settings.{key} {message}", details={"field": f"settings.{key}"})
