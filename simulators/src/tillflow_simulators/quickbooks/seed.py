"""The books of a new small retailer in QuickBooks Online: the accounts a shop's
accountant sets up before the till posts, tax codes of 0, 8 and 20 %, the payment methods
a till takes, the default ``Services`` item and the walk-in customer."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tillflow_simulators.quickbooks.company import Company, Entity


@dataclass(frozen=True)
class AccountSpec:
    name: str
    account_type: str  # AccountTypeEnum: "Bank", "Income", ...
    sub_type: str
    number: str = ""


@dataclass(frozen=True)
class TaxCodeSpec:
    name: str
    rate: Decimal  # percent


RETAIL_ACCOUNTS = (
    AccountSpec("Checking", "Bank", "Checking", "1000"),
    AccountSpec("Cash Drawer", "Bank", "CashOnHand", "1010"),
    AccountSpec("Card Clearing", "Other Current Asset", "OtherCurrentAssets", "1020"),
    AccountSpec("Undeposited Funds", "Other Current Asset", "UndepositedFunds", "1030"),
    AccountSpec("Inventory Asset", "Other Current Asset", "Inventory", "1200"),
    AccountSpec("Accounts Receivable (A/R)", "Accounts Receivable", "AccountsReceivable",
                "1100"),
    AccountSpec("VAT Control", "Other Current Liability", "GlobalTaxPayable", "2200"),
    AccountSpec("Sales", "Income", "SalesOfProductIncome", "4000"),
    AccountSpec("Services", "Income", "ServiceFeeIncome", "4100"),
    AccountSpec("Cost of Goods Sold", "Cost of Goods Sold", "SuppliesMaterialsCogs", "5000"),
    AccountSpec("Cash Over and Short", "Expense", "OtherMiscellaneousServiceCost", "6100"),
    AccountSpec("Rounding", "Other Expense", "OtherMiscellaneousExpense", "6200"),
    AccountSpec("Bank Charges & Fees", "Expense", "BankCharges", "6300"),
)
RETAIL_TAX_CODES = (TaxCodeSpec("Zero", Decimal("0")), TaxCodeSpec("Reduced", Decimal("8")),
                    TaxCodeSpec("Standard", Decimal("20")))
PAYMENT_METHODS = (("Cash", "NON_CREDIT_CARD"), ("Credit Card", "CREDIT_CARD"),
                   ("Debit Card", "NON_CREDIT_CARD"))
WALK_IN_CUSTOMER = "Walk-in Customer"


def ref(entity: Entity, name_field: str = "Name") -> dict[str, str]:
    return {"value": entity["Id"], "name": entity.get(name_field, "")}


def add_account(company: Company, spec: AccountSpec) -> Entity:
    return company.insert("Account", {
        "Name": spec.name, "SubAccount": False, "FullyQualifiedName": spec.name,
        "Active": True, "Classification": classification(spec.account_type),
        "AccountType": spec.account_type, "AccountSubType": spec.sub_type,
        "AcctNum": spec.number, "CurrentBalance": Decimal("0"),
        "CurrentBalanceWithSubAccounts": Decimal("0"),
        "CurrencyRef": {"value": company.settings.currency}})


def classification(account_type: str) -> str:
    if account_type in ("Income", "Other Income"):
        return "Revenue"
    if account_type in ("Expense", "Other Expense", "Cost of Goods Sold"):
        return "Expense"
    if account_type == "Equity":
        return "Equity"
    if "Liability" in account_type or account_type in ("Accounts Payable", "Credit Card"):
        return "Liability"
    return "Asset"


def add_tax_code(company: Company, spec: TaxCodeSpec) -> Entity:
    rate = company.insert("TaxRate", {
        "Name": f"{spec.name} {spec.rate}%", "Description": f"{spec.name} rate",
        "Active": True, "RateValue": spec.rate, "SpecialTaxType": "NONE",
        "DisplayType": "ReadOnly"})
    return company.insert("TaxCode", {
        "Name": spec.name, "Description": f"{spec.name} rate {spec.rate}%", "Active": True,
        "Hidden": False, "Taxable": True, "TaxGroup": True,
        "SalesTaxRateList": {"TaxRateDetail": [{
            "TaxRateRef": ref(rate), "TaxTypeApplicable": "TaxOnAmount", "TaxOrder": 0}]},
        "PurchaseTaxRateList": {"TaxRateDetail": []}})


def seed(company: Company, *, accounts: tuple[AccountSpec, ...] = RETAIL_ACCOUNTS,
         tax_codes: tuple[TaxCodeSpec, ...] = RETAIL_TAX_CODES,
         customers: tuple[str, ...] = (WALK_IN_CUSTOMER,)) -> None:
    with company.lock:
        for account in accounts:
            add_account(company, account)
        for tax_code in tax_codes:
            add_tax_code(company, tax_code)
        for name, kind in PAYMENT_METHODS:
            company.insert("PaymentMethod", {"Name": name, "Active": True, "Type": kind})
        for name in customers:
            company.insert("Customer", {"DisplayName": name, "FullyQualifiedName": name,
                                        "PrintOnCheckName": name, "Active": True,
                                        "Job": False, "Taxable": True, "Balance": Decimal("0"),
                                        "BalanceWithJobs": Decimal("0"),
                                        "PreferredDeliveryMethod": "None",
                                        "CurrencyRef": {"value": company.settings.currency}})
        income = next((a for a in company.table("Account").values()
                       if a["AccountType"] == "Income"), None)
        item: Entity = {"Name": "Services", "FullyQualifiedName": "Services", "Active": True,
                        "Type": "Service", "Taxable": False, "UnitPrice": Decimal("0"),
                        "TrackQtyOnHand": False, "SubItem": False, "Level": 0}
        if income is not None:
            item["IncomeAccountRef"] = ref(income)
        company.insert("Item", item)
        company.insert("CompanyInfo", {
            "CompanyName": company.settings.name, "LegalName": company.settings.legal_name,
            "Country": company.settings.country,
            "Email": {"Address": company.settings.email},
            "FiscalYearStartMonth": "January", "SupportedLanguages": "en",
            "CompanyStartDate": company.today().isoformat()})
        # The company's home currency is a preference (CurrencyPrefs), not company info.
        company.insert("Preferences", {"CurrencyPrefs": {
            "MultiCurrencyEnabled": False,
            "HomeCurrency": {"value": company.settings.currency}}})
        company.take_events()
