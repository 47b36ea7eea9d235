"""A faithful local QuickBooks Online: the v3 API checked against Intuit's own XSD, OAuth
2.0 with rotating refresh tokens, requestid, SyncToken, the query language, throttles and
signed webhooks."""

from tillflow_simulators.quickbooks.company import Company, CompanySettings
from tillflow_simulators.quickbooks.limits import Throttles
from tillflow_simulators.quickbooks.seed import AccountSpec, TaxCodeSpec
from tillflow_simulators.quickbooks.signing import sign, verify
from tillflow_simulators.quickbooks.simulator import QuickBooksSimulator

__all__ = ["AccountSpec", "Company", "CompanySettings", "QuickBooksSimulator", "TaxCodeSpec",
           "Throttles", "sign", "verify"]
