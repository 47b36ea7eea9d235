"""What a Tryton connection needs (JSON-RPC)."""

from tillflow.connectors.registry import LEDGER, ConnectorSpec

SPEC = ConnectorSpec(
    platform="tryton",
    ports=frozenset({LEDGER}),
    required_settings=("url", "database"),
    optional_settings=("posting", "accounts", "journal", "locations"),
    required_secrets=("username", "password"),
    description="Tryton over JSON-RPC",
)
