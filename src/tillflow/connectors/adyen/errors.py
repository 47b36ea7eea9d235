"""What went wrong talking to an Adyen terminal, classified by what the caller does next."""

from __future__ import annotations

from tillflow.connectors.adyen.nexo import Response


class TerminalError(Exception):
    """Root of every Terminal API failure."""


class TerminalUnreachableError(TerminalError):
    """Nothing reached the terminal (connection refused, cloud `Reject`): safe to retry."""


class OutcomeUnknownError(TerminalError):
    """The request left but no answer came back: resolve with a TransactionStatusRequest.

    Never send the payment again before the status is known.
    """

    def __init__(self, message: str, *, sale_id: str, service_id: str) -> None:
        super().__init__(message)
        self.sale_id = sale_id
        self.service_id = service_id


class TerminalBusyError(TerminalError):
    """The terminal is running another transaction (`Busy`/`InProgress`): retry later."""

    def __init__(self, message: str, *, response: Response) -> None:
        super().__init__(message)
        self.response = response


class TransactionRefusedError(TerminalError):
    """The terminal answered with a failure: declined, cancelled, aborted, not allowed.

    Nothing was charged by this request; the sale may take another tender.
    """

    def __init__(self, message: str, *, response: Response) -> None:
        super().__init__(message)
        self.response = response

    @property
    def error_condition(self) -> str | None:
        return self.response.error_condition


class TerminalConfigurationError(TerminalError):
    """Wrong API key, wrong endpoint or a message the platform rejects: fix, don't retry."""

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code
