"""The Vendure connector."""
