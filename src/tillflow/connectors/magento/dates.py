"""Magento's times (``YYYY-MM-DD HH:MM:SS``, UTC) as the port's ISO stamps and back."""

from __future__ import annotations

from datetime import datetime, timedelta


def stamp(magento_time: str) -> str:
    return magento_time.strip().replace(" ", "T") + "Z"


def magento_time(iso: str, *, earlier: timedelta = timedelta(0)) -> str:
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00")) - earlier
    return moment.strftime("%Y-%m-%d %H:%M:%S")
