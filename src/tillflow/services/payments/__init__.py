"""Card payments: checkout with a gateway, refunds, unknown outcomes, reconciliation."""
