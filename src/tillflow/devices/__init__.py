"""Retail hardware: receipts (document, ESC/POS encoder, PNG preview), cash drawer,
printer transports, serial scanners and the local device agent."""
