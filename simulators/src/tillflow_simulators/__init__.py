"""Faithful local servers of platforms that cannot run here."""
