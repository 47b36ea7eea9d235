"""The Odoo simulator: a seeded company (chart, journals, taxes, a user) behind ``OdooApp``."""

from __future__ import annotations

from decimal import Decimal

from tillflow_simulators.common.server import BackgroundServer
from tillflow_simulators.odoo import stock
from tillflow_simulators.odoo.app import OdooApp
from tillflow_simulators.odoo.orm import Database

DEFAULT_DATABASE = "tillflow"
DEFAULT_LOGIN = "admin"
DEFAULT_PASSWORD = "admin"  # noqa: S105 - the simulator's well-known seeded user
DEFAULT_API_KEY = "odoo-sim-api-key"

# The accounts of Odoo's generic chart that a shop's entries touch.
ACCOUNTS = (("101501", "Cash", "asset_cash"), ("101701", "Bank", "asset_cash"),
            ("101403", "Outstanding Receipts", "asset_current"),
            ("110100", "Stock Valuation", "asset_current"),
            ("121000", "Account Receivable", "asset_receivable"),
            ("251000", "Tax Received", "liability_current"),
            ("400000", "Product Sales", "income"),
            ("500000", "Cost of Goods Sold", "expense_direct_cost"),
            ("642000", "Cash Difference Loss", "expense"))

# Journals: miscellaneous and point of sale, customer invoices (to sales), cash and bank
# (their default accounts are where payments land).
JOURNALS = (("MISC", "Miscellaneous Operations", "general", None),
            ("POSS", "Point of Sale", "general", None),
            ("INV", "Customer Invoices", "sale", "400000"),
            ("CSH1", "Cash", "cash", "101501"),
            ("BNK1", "Bank", "bank", "101403"))


class OdooSimulator:
    def __init__(self, *, database: str = DEFAULT_DATABASE, version: str = "19.0",
                 host: str = "127.0.0.1", port: int = 0) -> None:
        self.db = Database()
        self.db.version = version
        self.app = OdooApp(self.db, database=database, version=version)
        self.host = host
        self.port = port
        self.server: BackgroundServer | None = None
        self._seed()

    def _seed(self) -> None:
        db = self.db
        db.insert("res.users", {"login": DEFAULT_LOGIN, "password": DEFAULT_PASSWORD,
                                "api_key": DEFAULT_API_KEY, "name": "Administrator"})
        accounts = {code: db.insert("account.account", {"code": code, "name": name,
                                                        "account_type": kind})
                    for code, name, kind in ACCOUNTS}
        for code, name, kind, account in JOURNALS:
            default = accounts[account] if account else None
            db.insert("account.journal", {"code": code, "name": name, "type": kind,
                                          "default_account_id": default})
        for rate in ("8", "20"):
            db.insert("account.tax", {"name": f"{rate}%", "amount": float(Decimal(rate)),
                                      "type_tax_use": "sale", "amount_type": "percent",
                                      "account_code": "251000"})
        stock.seed(db)

    def receive(self, sku: str, quantity: Decimal, reference: str) -> int:
        """Goods received from a supplier into WH/Stock, as a validated receipt would."""
        with self.db.lock:
            [product] = self.db.search("product.product", [["default_code", "=", sku]])
            return stock.receive(self.db, product_id=product, quantity=quantity,
                                 reference=reference)

    @property
    def url(self) -> str:
        assert self.server is not None
        return self.server.url

    def start(self) -> None:
        """Serve on loopback; after a ``stop`` it comes back on the same port and data."""
        self.server = BackgroundServer(self.app.asgi, host=self.host, port=self.port)
        self.server.start()
        self.port = self.server.port

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None
