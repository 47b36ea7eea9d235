"""The one error the transports raise."""


class PrinterUnavailableError(Exception):
    """The printer cannot take the job now (unreachable, offline, out of paper); retry later."""
