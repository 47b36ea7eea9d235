"""Adyen: Terminal API (nexo) client, message model and notification verification."""
