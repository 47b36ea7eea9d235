"""What a QuickBooks Online connection needs (Accounting API v3 with OAuth 2.0)."""

from collections.abc import Mapping
from typing import Any

from tillflow.connectors.common.books_settings import check_books_settings
from tillflow.connectors.quickbooks.factory import (
    quickbooks_check,
    quickbooks_endpoint,
    quickbooks_items,
    quickbooks_postings,
)
from tillflow.ports.registry import ConnectorSpec


def validate_quickbooks(settings: Mapping[str, Any]) -> None:
    check_books_settings(settings, organisation="realm_id")


SPEC = ConnectorSpec(
    platform="quickbooks",
    required_settings=("realm_id", "accounts", "tax_codes"),
    optional_settings=("posting", "api_url", "token_url", "party", "catalog"),
    required_secrets=("client_id", "client_secret", "refresh_token"),
    description="QuickBooks Online Accounting API (OAuth 2.0): sales, returns, cash and "
                "summaries",
    validate_settings=validate_quickbooks,
    oauth=quickbooks_endpoint,
    books=quickbooks_postings,
    books_check=quickbooks_check,
    books_catalog=quickbooks_items,
)
