"""What an Odoo connection needs (JSON-2 or JSON-RPC external API)."""

from collections.abc import Mapping
from typing import Any

from tillflow.connectors.common.erp_settings import check_erp_settings
from tillflow.connectors.common.setting_checks import check_choice, check_codes
from tillflow.connectors.odoo.check import check_odoo
from tillflow.connectors.odoo.client import PROTOCOLS
from tillflow.connectors.odoo.factory import odoo_accounting, odoo_catalog
from tillflow.domain.variants import VariantLimits
from tillflow.ports.accounting import SALE_ORDER, SALES_AS
from tillflow.ports.registry import ConnectorSpec


def validate_odoo(settings: Mapping[str, Any]) -> None:
    check_erp_settings(settings)
    check_choice(settings, "sales", (*SALES_AS, SALE_ORDER))
    check_choice(settings, "protocol", PROTOCOLS)
    check_codes(settings, "payment_journals")


SPEC = ConnectorSpec(
    platform="odoo",
    required_settings=("url", "database"),
    optional_settings=("protocol", "posting", "accounts", "journal", "locations", "sales",
                       "party", "payment_journals", "poll", "poll_seconds", "catalog",
                       "ca_file"),
    required_secrets=("username",),
    optional_secrets=("password", "api_key"),
    description="Odoo external API (JSON-2 for 19+, JSON-RPC for 16-19)",
    validate_settings=validate_odoo,
    accounting=odoo_accounting,
    erp_catalog=odoo_catalog,
    erp_check=check_odoo,
    # Odoo documents no limit on a template's attributes or variants.
    variant_limits=VariantLimits(),
)
