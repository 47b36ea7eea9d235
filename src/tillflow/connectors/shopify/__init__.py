"""The Shopify connector."""
