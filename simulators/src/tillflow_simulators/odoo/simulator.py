"""The Odoo simulator: a seeded company (chart, journals, taxes, a user) behind ``OdooApp``."""

from __future__ import annotations

from decimal import Decimal

from tillflow_simulators.common.server import BackgroundServer
from tillflow_simulators.odoo import company, stock
from tillflow_simulators.odoo.app import OdooApp
from tillflow_simulators.odoo.orm import MODULES, Database

DEFAULT_DATABASE = "tillflow"
DEFAULT_LOGIN = "admin"
DEFAULT_PASSWORD = "admin"  # noqa: S105 - the simulator's well-known seeded user
DEFAULT_API_KEY = "odoo-sim-api-key"


class OdooSimulator:
    """``version`` is what it reports and follows (17 and 19 as run, 18 as read);
    ``modules`` the installed ones of ``account``, ``stock`` and ``sale_management``;
    ``currency`` the company's (USD, EUR, JPY or KWD); ``price_digits`` the decimal
    accuracy of unit prices."""

    def __init__(self, *, database: str = DEFAULT_DATABASE, version: str = "19.0",
                 host: str = "127.0.0.1", port: int = 0, modules: tuple[str, ...] = MODULES,
                 currency: str = "USD", price_digits: int = 2) -> None:
        self.db = Database(version=version, modules=("base", *modules),
                           currency_digits=company.CURRENCY_DIGITS[currency],
                           price_digits=price_digits)
        self.app = OdooApp(self.db, database=database, version=version)
        self.host = host
        self.port = port
        self.server: BackgroundServer | None = None
        self._seed(currency)

    def _seed(self, currency: str) -> None:
        db = self.db
        company.seed(db, currency=currency)
        [company_id] = db.search("res.company", [])
        admin = db.insert("res.users", {"login": DEFAULT_LOGIN, "name": "Administrator",
                                        "company_id": [company_id, "My Company"],
                                        "denied": []})
        db.credentials[admin] = (DEFAULT_PASSWORD, DEFAULT_API_KEY)
        for rate in ("8", "20"):
            db.insert("account.tax", {"name": f"{rate}%", "amount": float(Decimal(rate)),
                                      "type_tax_use": "sale", "amount_type": "percent",
                                      "price_include": False, "account_code": "251000"})
        if "stock" in db.modules:
            stock.seed(db)

    def forbid(self, model: str, operation: str, *, login: str = DEFAULT_LOGIN) -> None:
        """Take an access right from a user, as an Odoo administrator would."""
        with self.db.lock:
            [user] = [u for u in self.db.table("res.users").values() if u["login"] == login]
            user["denied"].append([model, operation])

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
