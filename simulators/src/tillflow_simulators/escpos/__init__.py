"""A virtual ESC/POS receipt printer, read from the command reference: its parser, model
of the paper, printer profiles, rendering and TCP server."""
