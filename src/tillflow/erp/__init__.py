"""The accounting journal and its posting to ERPs (Tryton, Odoo)."""
