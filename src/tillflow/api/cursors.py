"""Opaque page cursors: what the last item of a page was, in url-safe base64."""

from __future__ import annotations

import base64

from tillflow.domain.errors import InvalidInput


def encode(position: str) -> str:
    return base64.urlsafe_b64encode(position.encode()).decode().rstrip("=")


def decode(cursor: str | None) -> str | None:
    if not cursor:
        return None
    try:
        return base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_",
                                validate=True).decode()
    except ValueError:  # not base64 (binascii.Error), not ASCII, or not UTF-8 inside
        raise InvalidInput("cursor is not one this API returned",
                           details={"field": "cursor"}) from None
