"""What an Odoo connection needs (JSON-2 or JSON-RPC external API)."""

from tillflow.connectors.registry import LEDGER, ConnectorSpec
from tillflow.erp.settings import validate_odoo

SPEC = ConnectorSpec(
    platform="odoo",
    ports=frozenset({LEDGER}),
    required_settings=("url", "database"),
    optional_settings=("protocol", "posting", "accounts", "journal", "locations", "sales",
                       "party", "payment_journals", "poll", "poll_seconds"),
    required_secrets=("username",),
    optional_secrets=("password", "api_key"),
    description="Odoo external API (JSON-2 for 19+, JSON-RPC for 16-18)",
    validate_settings=validate_odoo,
)
