"""Give a fresh trytond database a business that can post: company, chart, fiscal years, tax.

Run with the peer's own interpreter after ``trytond-admin`` created the database:
``python init_business.py CONFIG_FILE DATABASE``. Uses proteus in-process and trytond's own
test helpers, so the set-up is the one Tryton's scenarios use.
"""

import datetime
import sys
from decimal import Decimal

from proteus import Model, config  # type: ignore[import-not-found]
from trytond.modules.account.tests.tools import (  # type: ignore[import-not-found]
    create_chart,
    create_fiscalyear,
    create_tax,
    get_accounts,
)
from trytond.modules.account_invoice.tests.tools import (  # type: ignore[import-not-found]
    create_payment_term,
    set_fiscalyear_invoice_sequences,
)
from trytond.modules.company.tests.tools import (  # type: ignore[import-not-found]
    create_company,
    get_company,
)


def _fiscal_years(company: object) -> None:
    """Last year, this year and next, so a cached snapshot keeps posting for a while."""
    this_year = datetime.date.today().year
    for year in (this_year - 1, this_year, this_year + 1):
        fiscalyear = set_fiscalyear_invoice_sequences(create_fiscalyear(
            company, (datetime.date(year, 1, 1), datetime.date(year, 12, 31))))
        fiscalyear.save()
        fiscalyear.click("create_period")


def _taxes(company: object) -> None:
    for rate in ("0.08", "0.20"):
        tax = create_tax(Decimal(rate), company)
        tax.save()


def _clearing_accounts(company: object) -> None:
    """An asset account per card-like tender, the way a shop's accountant adds them."""
    accounts = Model.get("account.account")
    cash = get_accounts(company)["cash"]
    for code, name in (("1.1.8", "Card clearing"), ("1.1.9", "Other tenders clearing")):
        account = accounts(name=name, code=code, type=cash.type, parent=cash.parent)
        account.save()


def _payment_methods() -> None:
    """How the shop's tenders pay customer invoices: cash to the cash account, cards to
    their clearing account."""
    journals = Model.get("account.journal")
    accounts = Model.get("account.account")
    methods = Model.get("account.invoice.payment.method")
    [cash_journal] = journals.find([("code", "=", "CASH")])
    for name, code in (("Cash", "1.1.1"), ("Card", "1.1.8")):
        [account] = accounts.find([("code", "=", code)])
        method = methods(name=name, journal=cash_journal, debit_account=account,
                         credit_account=account)
        method.save()


def main() -> None:
    config_file, database = sys.argv[1], sys.argv[2]
    config.set_trytond(database, config_file=config_file)
    create_company()
    company = get_company()
    create_chart(company)
    _fiscal_years(company)
    _taxes(company)
    _clearing_accounts(company)
    _payment_methods()
    create_payment_term().save()
    print("initialised", database, flush=True)


if __name__ == "__main__":
    main()
