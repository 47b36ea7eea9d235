"""Stripe Terminal readers simulator, fronting a Stripe-compatible server."""
