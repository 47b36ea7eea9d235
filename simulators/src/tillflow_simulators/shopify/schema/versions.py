"""Which schema answers a requested API version, as Shopify decides it.

A version Shopify no longer supports falls forward to the oldest supported stable one
(shopify.dev, "API versioning"); a name that is no version at all, or one not released
yet, is not found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

STABLE = re.compile(r"^\d{4}-(01|04|07|10)$")


def served_version(requested: str, available: Iterable[str]) -> str | None:
    known = set(available)
    if requested in known:
        return requested
    stable = sorted(version for version in known if STABLE.match(version))
    if stable and STABLE.match(requested) and requested < stable[0]:
        return stable[0]
    return None
