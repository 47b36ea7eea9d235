"""Finding card numbers in text: every scheme and every way of writing one is found, and
the identifiers tillflow lives with (UUIDs, barcodes, phone numbers) never are."""

from __future__ import annotations

import random
import uuid

import phonenumbers
import pytest

from tillflow.domain.card_data import (
    CardDataRefused,
    contains_card_number,
    find_card_number,
    mask_card_numbers,
    refuse_card_data,
)
from tillflow.domain.gtin import gs1_check_digit

SAMPLES = 100_000
# Published test numbers of each scheme, each of the length it is issued in.
TEST_NUMBERS = {
    "Visa": ["4242424242424242", "4000056655665556", "4222222222222", "4111111111111111003"],
    "Mastercard": ["5555555555554444", "2223003122003222", "5105105105105100"],
    "American Express": ["378282246310005", "371449635398431"],
    "Discover": ["6011111111111117", "6011000990139424", "6445644564456445"],
    "JCB": ["3530111333300000", "3566002020360505"],
    "Diners Club": ["36227206271667", "3056930009020004"],
    "UnionPay": ["6200000000000005", "6205500000000000004"],
    "Maestro": ["6759649826438453", "6759649826438450124"],
}
WRITTEN = ("{}", "card {} exp 12/29", "x{}y", "ref 12 {}", "00{}")


def _grouped(number: str, separator: str) -> str:
    return separator.join(number[i:i + 4] for i in range(0, len(number), 4))


@pytest.mark.parametrize(("scheme", "number"),
                         [(s, n) for s, numbers in TEST_NUMBERS.items() for n in numbers])
def test_every_scheme_is_found_however_it_is_written(scheme: str, number: str) -> None:
    found = find_card_number(number)
    assert found is not None
    assert found.scheme == scheme
    forms = [number, *(_grouped(number, sep) for sep in (" ", "-", ".", "/", " - ", "  "))]
    for form in forms:
        for text in (template.format(form) for template in WRITTEN):
            assert contains_card_number(text), text


def test_digits_of_other_scripts_are_digits() -> None:
    assert contains_card_number("４２４２４２４２４２４２４２４２")


@pytest.mark.parametrize("text", [
    "4242424242424241",          # fails Luhn
    "1098710987109871",          # no window starts with a scheme's prefix and passes Luhn
    "424242424242",              # 12 digits
    "4242 4242.4242-424",        # 15 digits, no Visa is 15 long
])
def test_what_is_no_card_number(text: str) -> None:
    assert not contains_card_number(text)


def test_lines_break_a_number() -> None:
    assert not contains_card_number("4242 4242\n4242 4242")


def test_masking_keeps_the_last_four_digits_and_the_layout() -> None:
    assert mask_card_numbers("paid 4242 4242 4242 4242 ok") == "paid **** **** **** 4242 ok"
    assert mask_card_numbers("a 378282246310005 b 5555555555554444") == (
        "a ***********0005 b ************4444")
    assert mask_card_numbers("no card here 12345") == "no card here 12345"


def test_refusing_names_the_field_never_the_number() -> None:
    with pytest.raises(CardDataRefused) as refused:
        refuse_card_data("4242424242424242", field="name")
    assert refused.value.code == "card_data_refused"
    assert refused.value.details == {"field": "name"}
    assert "4242" not in refused.value.message
    refuse_card_data(None, field="name")
    refuse_card_data("Tea 250 g", field="name")


def _ean13(rng: random.Random) -> str:
    body = "".join(rng.choice("0123456789") for _ in range(12))
    return body + str(gs1_check_digit(body))


def _phone_numbers(rng: random.Random) -> list[str]:
    """Numbers shaped as each region's own (its country code, the length and first digits
    of its example number), in E.164; every tenth in international format as well."""
    shapes = [(example.country_code, str(example.national_number))
              for region in sorted(phonenumbers.SUPPORTED_REGIONS)
              if (example := phonenumbers.example_number(region)) is not None]
    found: list[str] = []
    for n in range(SAMPLES):
        country, national = rng.choice(shapes)
        digits = national[:2] + "".join(rng.choice("0123456789") for _ in national[2:])
        found.append(f"+{country}{digits}")
        if n % 10 == 0:
            number = phonenumbers.PhoneNumber(country_code=country, national_number=int(digits))
            found.append(phonenumbers.format_number(
                number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))
    return found


def test_identifiers_are_never_taken_for_card_numbers() -> None:
    rng = random.Random(20261206)
    uuids = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(SAMPLES)]
    eans = [_ean13(rng) for _ in range(SAMPLES)]
    phones = _phone_numbers(rng)
    for kind, values in (("UUID", uuids), ("EAN-13", eans), ("phone", phones)):
        taken = [v for v in values if contains_card_number(v)]
        assert taken == [], f"{len(taken)} {kind}s taken for card numbers, e.g. {taken[:3]}"
