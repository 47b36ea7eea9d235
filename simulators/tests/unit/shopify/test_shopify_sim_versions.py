"""Which schema answers a requested API version."""

from __future__ import annotations

from tillflow_simulators.shopify.schema import served_version

SHIPPED = ("2025-10", "2026-01", "2026-04", "2026-07", "2026-10", "unstable")


def test_a_shipped_version_is_served_as_asked() -> None:
    for version in SHIPPED:
        assert served_version(version, SHIPPED) == version


def test_an_unsupported_stable_version_falls_forward_to_the_oldest_supported() -> None:
    assert served_version("2024-07", SHIPPED) == "2025-10"
    assert served_version("2019-04", SHIPPED) == "2025-10"


def test_names_that_are_no_released_version_are_not_found() -> None:
    for name in ("latest", "2026-02", "2027-01", "2026-10-rc", ""):
        assert served_version(name, SHIPPED) is None
