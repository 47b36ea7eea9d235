"""What a Xero connection needs (Accounting API with OAuth 2.0)."""

from collections.abc import Mapping
from typing import Any

from tillflow.connectors.common.books_settings import check_books_settings
from tillflow.connectors.xero.factory import (
    xero_check,
    xero_endpoint,
    xero_items,
    xero_postings,
)
from tillflow.ports.registry import ConnectorSpec


def validate_xero(settings: Mapping[str, Any]) -> None:
    check_books_settings(settings, organisation="tenant_id")


SPEC = ConnectorSpec(
    platform="xero",
    required_settings=("tenant_id", "accounts", "tax_codes"),
    optional_settings=("posting", "api_url", "token_url", "party", "catalog"),
    required_secrets=("client_id", "client_secret", "refresh_token"),
    description="Xero Accounting API (OAuth 2.0): sales, returns, cash and summaries",
    validate_settings=validate_xero,
    oauth=xero_endpoint,
    books=xero_postings,
    books_check=xero_check,
    books_catalog=xero_items,
)
