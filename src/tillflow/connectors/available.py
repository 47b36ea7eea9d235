"""Every connector tillflow ships; the composition root builds the registry from this."""

from tillflow.connectors.adyen.spec import SPEC as ADYEN
from tillflow.connectors.magento.spec import SPEC as MAGENTO
from tillflow.connectors.odoo.spec import SPEC as ODOO
from tillflow.connectors.quickbooks.spec import SPEC as QUICKBOOKS
from tillflow.connectors.shopify.spec import SPEC as SHOPIFY
from tillflow.connectors.stripe.spec import SPEC as STRIPE
from tillflow.connectors.tryton.spec import SPEC as TRYTON
from tillflow.connectors.vendure.spec import SPEC as VENDURE
from tillflow.connectors.woocommerce.spec import SPEC as WOOCOMMERCE
from tillflow.connectors.xero.spec import SPEC as XERO
from tillflow.ports.registry import ConnectorRegistry


def registry() -> ConnectorRegistry:
    return ConnectorRegistry.of([SHOPIFY, WOOCOMMERCE, VENDURE, MAGENTO, STRIPE, ADYEN, TRYTON,
                                 ODOO, XERO, QUICKBOOKS])
