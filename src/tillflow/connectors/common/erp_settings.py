"""What every ERP connection's settings may say, checked before anything is written.

Each ERP connector's spec validates its own settings with these common checks plus its
platform's; a bad value is an ``InvalidInput`` naming the setting (``settings.posting``),
so ``POST /connections`` and ``PATCH /connections/{name}`` answer 422 in the error
envelope and store nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tillflow.connectors.common.setting_checks import (
    bad,
    check_choice,
    check_codes,
    check_text,
    check_url,
    check_whole,
)
from tillflow.domain.accounting.chart import validate_mapping
from tillflow.domain.errors import InvalidInput
from tillflow.ports.accounting import CATALOG_MASTERS, POLLED_SCOPES, POSTING_MODES


def check_erp_settings(settings: Mapping[str, Any]) -> None:
    check_url(settings, "url")
    check_text(settings, "database")
    check_choice(settings, "posting", POSTING_MODES)
    check_text(settings, "journal")
    check_codes(settings, "locations")
    check_text(settings, "party")
    check_choice(settings, "catalog", CATALOG_MASTERS)
    _polling(settings)
    if "accounts" in settings:
        check_codes(settings, "accounts")
        try:
            validate_mapping(settings["accounts"])
        except InvalidInput as exc:
            bad("accounts", str(exc))


def _polling(settings: Mapping[str, Any]) -> None:
    if "poll" in settings:
        poll = settings["poll"]
        if not isinstance(poll, list) or any(scope not in POLLED_SCOPES for scope in poll):
            bad("poll", f"must be a list of {', '.join(POLLED_SCOPES)}")
    check_whole(settings, "poll_seconds", low=0, high=86_400, unit=" of seconds")
