"""The Tryton connector."""
