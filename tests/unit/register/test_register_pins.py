"""PIN hashing: salted scrypt, constant-time check, malformed hashes refused."""

from __future__ import annotations

from tillflow.security.pins import hash_pin, valid_pin, verify_pin


def test_a_pin_verifies_against_its_own_salted_hash_only() -> None:
    first, second = hash_pin("4321"), hash_pin("4321")
    assert first != second
    assert first.startswith("scrypt$")
    assert verify_pin("4321", first)
    assert verify_pin("4321", second)
    assert not verify_pin("4322", first)


def test_a_malformed_hash_never_verifies() -> None:
    assert not verify_pin("4321", "")
    assert not verify_pin("4321", "md5$1$2$3$AA==$AA==")
    assert not verify_pin("4321", "scrypt$x$8$1$AA==$AA==")


def test_pins_are_four_to_eight_ascii_digits() -> None:
    assert valid_pin("0000")
    assert valid_pin("12345678")
    assert not valid_pin("123")
    assert not valid_pin("123456789")
    assert not valid_pin("12a4")
    assert not valid_pin("١٢٣٤")
