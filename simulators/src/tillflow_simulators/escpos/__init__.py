"""Helpers of the virtual ESC/POS printer: the byte-stream parser and the status bytes."""
