"""WooCommerce's dates as versions and cursors.

WooCommerce writes each date twice, in the shop's time zone (``date_modified``) and in
GMT (``date_modified_gmt``), both without an offset. Versions and cursors use the GMT one
with a ``Z``. A record may have no modification date (a WordPress user never changed
since WooCommerce was installed, such as the shop's first administrator): its creation
date stands in, and a record with neither has no version at all, rather than one built
from a missing value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def stamp(payload: Mapping[str, Any]) -> str | None:
    for field in ("date_modified_gmt", "date_created_gmt"):
        value = payload.get(field)
        if isinstance(value, str) and value:
            return f"{value}Z"
    return None
