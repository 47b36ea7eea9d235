"""What a Tryton connection needs (JSON-RPC)."""

from tillflow.connectors.registry import LEDGER, ConnectorSpec
from tillflow.erp.settings import validate_tryton

SPEC = ConnectorSpec(
    platform="tryton",
    ports=frozenset({LEDGER}),
    required_settings=("url", "database"),
    optional_settings=("posting", "accounts", "journal", "locations", "sales", "party",
                       "payment_methods", "poll", "poll_seconds"),
    required_secrets=("username", "password"),
    description="Tryton over JSON-RPC",
    validate_settings=validate_tryton,
)
