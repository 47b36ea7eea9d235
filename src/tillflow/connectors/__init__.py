"""Connectors: one package per platform behind tillflow's ports."""
