"""Benchmarks that print figures (run them as scripts, see README.md)."""
