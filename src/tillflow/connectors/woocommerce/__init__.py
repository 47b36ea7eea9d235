"""The Woocommerce connector."""
