"""What a Tryton connection needs (JSON-RPC)."""

from collections.abc import Mapping
from typing import Any

from tillflow.connectors.common.erp_settings import check_erp_settings
from tillflow.connectors.common.setting_checks import check_choice, check_codes
from tillflow.connectors.tryton.check import check_tryton
from tillflow.connectors.tryton.factory import tryton_accounting, tryton_catalog
from tillflow.domain.variants import VariantLimits
from tillflow.ports.accounting import SALES_AS
from tillflow.ports.registry import ConnectorSpec


def validate_tryton(settings: Mapping[str, Any]) -> None:
    check_erp_settings(settings)
    check_choice(settings, "sales", SALES_AS)
    check_codes(settings, "payment_methods")


SPEC = ConnectorSpec(
    platform="tryton",
    required_settings=("url", "database"),
    optional_settings=("posting", "accounts", "journal", "locations", "sales", "party",
                       "payment_methods", "poll", "poll_seconds", "catalog",
                       "ca_file"),
    required_secrets=("username", "password"),
    description="Tryton over JSON-RPC",
    validate_settings=validate_tryton,
    accounting=tryton_accounting,
    erp_catalog=tryton_catalog,
    erp_check=check_tryton,
    # Tryton's templates take any number of variants and attributes.
    variant_limits=VariantLimits(),
)
