"""QuickBooks Online: the books of shops that run no ERP (Accounting API v3, OAuth 2.0)."""
