"""Secrets at rest."""
