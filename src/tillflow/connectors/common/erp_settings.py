"""What every ERP connection's settings may say, checked before anything is written.

Each ERP connector's spec validates its own settings with these common checks plus its
platform's; a bad value is an ``InvalidInput`` naming the setting (``settings.posting``),
so ``POST /connections`` and ``PATCH /connections/{name}`` answer 422 in the error
envelope and store nothing. An ERP's credentials travel in every call, so its ``url`` is
https:// unless the ERP is on this machine's loopback; a private authority's certificate
is the connection's ``ca_file``, as for shops (``tls``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from tillflow.connectors.common.setting_checks import (
    bad,
    check_choice,
    check_codes,
    check_text,
    check_url,
    check_whole,
)
from tillflow.connectors.common.tls import check_ca_file, is_loopback
from tillflow.domain.accounting.chart import validate_mapping
from tillflow.domain.errors import InvalidInput
from tillflow.ports.accounting import CATALOG_MASTERS, POLLED_SCOPES, POSTING_MODES


def check_erp_settings(settings: Mapping[str, Any]) -> None:
    _url(settings)
    check_ca_file(settings)
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


def _url(settings: Mapping[str, Any]) -> None:
    check_url(settings, "url")
    if "url" not in settings:
        return
    parts = urlsplit(settings["url"])
    if not parts.hostname:
        bad("url", "must name the ERP's host")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        bad("url", "must be an https:// address: the ERP's password or API key would cross "
                   "the network unencrypted (plain http is accepted on loopback only)")


def _polling(settings: Mapping[str, Any]) -> None:
    if "poll" in settings:
        poll = settings["poll"]
        if not isinstance(poll, list) or any(scope not in POLLED_SCOPES for scope in poll):
            bad("poll", f"must be a list of {', '.join(POLLED_SCOPES)}")
    check_whole(settings, "poll_seconds", low=0, high=86_400, unit=" of seconds")
