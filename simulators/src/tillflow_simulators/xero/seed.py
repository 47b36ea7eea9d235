"""The books of a new small retailer: the chart a shop's accountant sets up before the till
posts to it, the tax rates of 0, 8 and 20 %, and the walk-in customer."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tillflow_simulators.xero.books import Books


@dataclass(frozen=True)
class AccountSpec:
    code: str
    name: str
    type: str  # AccountType: BANK, REVENUE, CURRENT, CURRLIAB, ...
    tax_type: str = "NONE"
    system_account: str | None = None
    enable_payments: bool = False
    status: str = "ACTIVE"


@dataclass(frozen=True)
class TaxRateSpec:
    tax_type: str
    name: str
    rate: Decimal  # percent, e.g. Decimal("20")
    report_tax_type: str = "OUTPUT"


RETAIL_CHART = (
    AccountSpec("090", "Business Bank Account", "BANK"),
    AccountSpec("091", "Cash Drawer", "BANK"),
    AccountSpec("092", "Card Clearing", "BANK"),
    AccountSpec("200", "Sales", "REVENUE", tax_type="OUTPUT"),
    AccountSpec("260", "Other Revenue", "REVENUE", tax_type="OUTPUT"),
    AccountSpec("310", "Cost of Goods Sold", "DIRECTCOSTS"),
    AccountSpec("404", "Bank Fees", "EXPENSE"),
    AccountSpec("610", "Accounts Receivable", "CURRENT", system_account="DEBTORS"),
    AccountSpec("630", "Inventory", "INVENTORY"),
    AccountSpec("800", "Accounts Payable", "CURRLIAB", system_account="CREDITORS"),
    AccountSpec("820", "Sales Tax", "CURRLIAB", system_account="GST"),
    AccountSpec("840", "Cash Over and Short", "EXPENSE"),
    AccountSpec("860", "Rounding", "CURRLIAB", system_account="ROUNDING"),
)

RETAIL_TAX_RATES = (
    TaxRateSpec("NONE", "Tax Exempt", Decimal("0"), "EXEMPTOUTPUT"),
    TaxRateSpec("ZERORATEDOUTPUT", "Zero Rated", Decimal("0"), "OUTPUT"),
    TaxRateSpec("TAX001", "Reduced Rate 8%", Decimal("8"), "OUTPUT"),
    TaxRateSpec("OUTPUT", "Standard Rate 20%", Decimal("20"), "OUTPUT"),
)

WALK_IN_CUSTOMER = "Walk-in Customer"

ACCOUNT_CLASSES = {"BANK": "ASSET", "CURRENT": "ASSET", "INVENTORY": "ASSET",
                   "FIXED": "ASSET", "NONCURRENT": "ASSET", "PREPAYMENT": "ASSET",
                   "CURRLIAB": "LIABILITY", "LIABILITY": "LIABILITY", "TERMLIAB": "LIABILITY",
                   "PAYG": "LIABILITY", "EQUITY": "EQUITY", "DEPRECIATN": "EXPENSE",
                   "DIRECTCOSTS": "EXPENSE", "EXPENSE": "EXPENSE", "OVERHEADS": "EXPENSE",
                   "OTHERINCOME": "REVENUE", "REVENUE": "REVENUE", "SALES": "REVENUE"}


def add_account(books: Books, spec: AccountSpec) -> None:
    record = {"Code": spec.code, "Name": spec.name, "Type": spec.type, "Status": spec.status,
              "TaxType": spec.tax_type, "Class": ACCOUNT_CLASSES[spec.type],
              "EnablePaymentsToAccount": spec.enable_payments, "ShowInExpenseClaims": False,
              "Description": "", "HasAttachments": False, "ReportingCode": "",
              "AddToWatchlist": False}
    if spec.type == "BANK":
        record.update(BankAccountType="BANK", BankAccountNumber="", CurrencyCode=
                      books.settings.base_currency)
    if spec.system_account:
        record["SystemAccount"] = spec.system_account
    books.insert("Accounts", "AccountID", record)


def add_tax_rate(books: Books, spec: TaxRateSpec) -> None:
    books.table("TaxRates")[spec.tax_type] = {
        "Name": spec.name, "TaxType": spec.tax_type, "Status": "ACTIVE",
        "ReportTaxType": spec.report_tax_type,
        "TaxComponents": [{"Name": spec.name, "Rate": spec.rate, "IsCompound": False,
                           "IsNonRecoverable": False}],
        "CanApplyToAssets": True, "CanApplyToEquity": True, "CanApplyToExpenses": True,
        "CanApplyToLiabilities": True, "CanApplyToRevenue": True,
        "DisplayTaxRate": spec.rate, "EffectiveRate": spec.rate}


def seed(books: Books, *, accounts: tuple[AccountSpec, ...] = RETAIL_CHART,
         tax_rates: tuple[TaxRateSpec, ...] = RETAIL_TAX_RATES,
         contacts: tuple[str, ...] = (WALK_IN_CUSTOMER,)) -> None:
    with books.lock:
        for tax in tax_rates:
            add_tax_rate(books, tax)
        for account in accounts:
            add_account(books, account)
        for name in contacts:
            books.insert("Contacts", "ContactID", {
                "Name": name, "ContactStatus": "ACTIVE", "IsCustomer": True,
                "IsSupplier": False, "Addresses": [], "Phones": [], "ContactGroups": [],
                "ContactPersons": [], "HasAttachments": False, "HasValidationErrors": False})
