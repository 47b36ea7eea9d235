"""A faithful local Odoo for tests and demos: JSON-2 (19+) and JSON-RPC ``execute_kw``."""
