"""A faithful local Xero: the Accounting API checked against Xero's own OpenAPI, OAuth 2.0
with tenants, idempotency keys, call limits and signed webhooks."""

from tillflow_simulators.xero.books import Books, Settings
from tillflow_simulators.xero.limits import RateLimits
from tillflow_simulators.xero.seed import AccountSpec, TaxRateSpec
from tillflow_simulators.xero.signing import sign, verify
from tillflow_simulators.xero.simulator import XeroSimulator

__all__ = ["AccountSpec", "Books", "RateLimits", "Settings", "TaxRateSpec", "XeroSimulator",
           "sign", "verify"]
