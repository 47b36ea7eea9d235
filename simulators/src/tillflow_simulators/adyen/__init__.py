"""Adyen terminal simulator speaking the cloud Terminal API."""
