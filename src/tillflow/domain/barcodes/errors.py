"""The one error every barcode parser raises."""

from __future__ import annotations


class BarcodeError(ValueError):
    """A scan that is malformed, fails a check digit or uses an unknown application identifier.

    The message names the problem in words a cashier's supervisor can act on; the API layer
    maps it to ``validation_error``.
    """
