"""Receipts of recorded documents: printed, previewed, and mailed to the customer."""
