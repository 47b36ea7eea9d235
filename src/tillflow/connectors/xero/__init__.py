"""Xero: the books of shops that run no ERP (Accounting API, OAuth 2.0)."""
