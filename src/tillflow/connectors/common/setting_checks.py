"""Checks for the values of a connection's settings, shared by every platform's validator.

A bad value is an ``InvalidInput`` naming the setting (``settings.safety_buffer``), so
``POST /connections`` and ``PATCH /connections/{name}`` answer 422 in the error envelope
and store nothing. Each check passes when the setting is absent: which settings are
required is the connector spec's business.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

from tillflow.domain.errors import InvalidInput


def check_url(settings: Mapping[str, Any], key: str) -> None:
    value = settings.get(key)
    if key in settings and (not isinstance(value, str)
                            or not value.startswith(("http://", "https://"))):
        bad(key, "must be an http:// or https:// address")


def check_choice(settings: Mapping[str, Any], key: str, choices: tuple[str, ...]) -> None:
    if key in settings and settings[key] not in choices:
        bad(key, f"must be one of {', '.join(choices)}")


def check_text(settings: Mapping[str, Any], key: str) -> None:
    if key in settings and (not isinstance(settings[key], str) or not settings[key].strip()):
        bad(key, "must be a non-empty string")


def check_codes(settings: Mapping[str, Any], key: str) -> None:
    """A mapping of non-empty strings to non-empty strings."""
    value = settings.get(key)
    if key in settings and (not isinstance(value, dict) or not all(
            isinstance(k, str) and k.strip() and isinstance(v, str) and v.strip()
            for k, v in value.items())):
        bad(key, "must map names to non-empty strings")


def check_flag(settings: Mapping[str, Any], key: str) -> None:
    # JSON true/false only: "no" or 0 read as a flag would silently mean the opposite.
    if key in settings and not isinstance(settings[key], bool):
        bad(key, "must be true or false")


def check_whole(settings: Mapping[str, Any], key: str, *, low: int, high: int,
                unit: str = "") -> None:
    value = settings.get(key)
    if key in settings and (isinstance(value, bool) or not isinstance(value, int)
                            or not low <= value <= high):
        bad(key, f"must be a whole number{unit} from {low} to {high}")


def bad(key: str, message: str) -> NoReturn:
    raise InvalidInput(f"settings.{key} {message}", details={"field": f"settings.{key}"})
