"""Double-entry accounting of the shop floor: pure model, no I/O."""
