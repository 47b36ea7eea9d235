"""The Stripe connector."""
