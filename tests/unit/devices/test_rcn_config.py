"""A store's own variable-measure layouts, read from JSON and used by the scan parser."""

from decimal import Decimal

import pytest

from tillflow.domain.barcodes import RcnRule, parse_scan
from tillflow.domain.barcodes.rcn_config import rules_from_json, rules_to_json

DUTCH_STYLE = """[
  {"prefix": "22", "measure": "weight", "value_digits": 4, "price_check": true},
  {"prefix": "28", "measure": "price", "value_digits": 4}
]"""


def test_rules_read_with_defaults_and_round_trip() -> None:
    rules = rules_from_json(DUTCH_STYLE)
    assert rules == (
        RcnRule(prefix="22", measure="weight", value_digits=4, decimals=3, price_check=True),
        RcnRule(prefix="28", measure="price", value_digits=4, decimals=2),
    )
    assert rules_from_json(rules_to_json(rules)) == rules


def test_a_store_layout_changes_what_a_code_means() -> None:
    rules = rules_from_json(DUTCH_STYLE)
    weighed = rules[0].build(item="12345", value="1250")
    scan = parse_scan(weighed, rules)
    assert scan.quantity == Decimal("1.250")
    assert scan.lookup_gtin14 == "0" + rules[0].build(item="12345", value="0000")
    priced = rules[1].build(item="123456", value="0399")
    assert parse_scan(priced, rules).unit_price == Decimal("3.99")
    # Under the default rules the same prefix 22 is no variable-measure code at all.
    assert parse_scan(weighed).quantity is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ("[]", "non-empty JSON list"),
        ('{"prefix": "21"}', "non-empty JSON list"),
        ('["21"]', "must be an object"),
        ('[{"prefix": "21", "measure": "volume"}]', "measure weight|price"),
        ('[{"prefix": "21", "measure": "weight", "colour": 1}]', "unknown fields: colour"),
        ('[{"prefix": "21", "measure": "weight", "value_digits": "5"}]', "small integers"),
        ('[{"prefix": "21", "measure": "weight", "value_digits": 2}]', "small integers"),
        ('[{"prefix": "21", "measure": "weight", "price_check": 1}]', "true or false"),
        ('[{"prefix": "31", "measure": "weight"}]', "must be 02 or 20-29"),
        ('[{"prefix": "21", "measure": "weight"}, {"prefix": "21", "measure": "price"}]',
         "same prefix twice"),
    ],
)
def test_bad_rules_are_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rules_from_json(text)
