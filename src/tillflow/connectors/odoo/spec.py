"""What an Odoo connection needs (JSON-2 or JSON-RPC external API)."""

from tillflow.connectors.registry import LEDGER, ConnectorSpec

SPEC = ConnectorSpec(
    platform="odoo",
    ports=frozenset({LEDGER}),
    required_settings=("url", "database"),
    optional_settings=("protocol", "posting", "accounts", "journal", "locations"),
    required_secrets=("username",),
    optional_secrets=("password", "api_key"),
    description="Odoo external API (JSON-2 for 19+, JSON-RPC for 16-18)",
)
