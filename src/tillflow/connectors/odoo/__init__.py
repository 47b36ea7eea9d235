"""The Odoo connector."""
