"""Back-office passwords: what is accepted, and hashes that only their password opens."""

from __future__ import annotations

import pytest

from tillflow.security.passwords import hash_password, valid_password, verify_password


@pytest.mark.parametrize(("password", "valid"), [
    ("long-enough-1", True), ("ten chars!", True), ("é" * 10, True),
    ("short-1", False), ("1234567890", False), (" padded-password", False),
    ("padded-password ", False), ("x" * 200, True), ("x" * 201, False),
])
def test_what_a_password_may_be(password: str, valid: bool) -> None:
    assert valid_password(password) is valid


def test_a_hash_opens_with_its_password_only() -> None:
    stored = hash_password("correct horse 1")
    assert stored.startswith("scrypt$")
    assert "correct horse" not in stored
    assert verify_password("correct horse 1", stored)
    assert not verify_password("correct horse 2", stored)
    assert not verify_password("correct horse 1", None)
    assert hash_password("correct horse 1") != stored  # salted
