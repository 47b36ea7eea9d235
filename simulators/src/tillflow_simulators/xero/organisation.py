"""``GET /Organisation``: the organisation's settings as Xero reports them."""

from __future__ import annotations

from typing import Any

from tillflow_simulators.xero.books import Books
from tillflow_simulators.xero.calls import Call, to_wire
from tillflow_simulators.xero.routes import Answer, Routes


def describe(books: Books) -> dict[str, Any]:
    settings = books.settings
    record: dict[str, Any] = {
        "OrganisationID": books.tenant_id, "APIKey": "", "Name": settings.name,
        "LegalName": settings.legal_name, "PaysTax": True, "Version": settings.version,
        "OrganisationType": "COMPANY", "BaseCurrency": settings.base_currency,
        "CountryCode": settings.country_code, "IsDemoCompany": False,
        "OrganisationStatus": "ACTIVE", "FinancialYearEndDay": settings.financial_year_end_day,
        "FinancialYearEndMonth": settings.financial_year_end_month,
        "SalesTaxBasis": "ACCRUALS", "SalesTaxPeriod": "QUARTERLY1",
        "DefaultSalesTax": settings.default_sales_tax,
        "DefaultPurchasesTax": settings.default_sales_tax, "CreatedDateUTC": books.created,
        "Timezone": settings.timezone, "OrganisationEntityType": "COMPANY",
        "ShortCode": settings.short_code, "Class": "STANDARD", "Edition": "BUSINESS",
        "LineOfBusiness": "Retail", "Addresses": [], "Phones": [], "ExternalLinks": [],
        "PaymentTerms": {}}
    if settings.period_lock_date is not None:
        record["PeriodLockDate"] = settings.period_lock_date
    if settings.end_of_year_lock_date is not None:
        record["EndOfYearLockDate"] = settings.end_of_year_lock_date
    return record


def _get(call: Call) -> Answer:
    return 200, {"Organisations": [to_wire(describe(call.books))]}


ROUTES: Routes = {("get", "/Organisation"): _get}
