"""The string types of request bodies: free text, identifiers and secrets.

Every string a body carries is one of three kinds, and the OpenAPI document says which:

- free text (``x-free-text: true``): names, reasons, notes, emails, references. It may hold
  anything a person types but a card number (422 ``card_data_refused``, see
  ``domain.card_data``) or a character a database cannot keep (NUL, other control
  characters but tab and line breaks, a lone UTF-16 surrogate);
- an identifier, validated by its own rule (a ``pattern``): gateway tokens, terminal ids,
  methods, roles, approval tokens, barcodes (whose GS1 check digit the catalog checks);
- a secret (``format: password``): a PIN, checked against its hash and never stored.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StrictStr
from pydantic_core import PydanticCustomError

from tillflow.domain.card_data import card_data_message, contains_card_number

CARD_DATA_REFUSED = "card_data_refused"
FREE_TEXT = {"x-free-text": True}
# C0 controls but tab, line feed and carriage return; PostgreSQL cannot store NUL at all.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def storable(value: str) -> str:
    """Refuse what no database column can keep: NUL and other controls, lone surrogates."""
    if _CONTROL.search(value):
        raise PydanticCustomError("text_control_character",
                                  "text may not hold control characters (such as NUL)")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError("text_not_unicode",
                                  "text holds a lone surrogate, which is not Unicode") from None
    return value


def no_card_number(value: str) -> str:
    if contains_card_number(value):
        raise PydanticCustomError(CARD_DATA_REFUSED, card_data_message("the text"))
    return value


def storable_tree(value: Any) -> Any:
    """``storable`` over every key and string of a JSON value (connection secrets)."""
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, dict):
        return {storable_tree(k): storable_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [storable_tree(v) for v in value]
    return value


def shown_tree(value: Any) -> Any:
    """``storable_tree`` and no card number in any string: connection settings are stored
    in clear and shown by the API."""
    checked = storable_tree(value)
    if isinstance(checked, str):
        return no_card_number(checked)
    if isinstance(checked, dict):
        return {shown_tree(k): shown_tree(v) for k, v in checked.items()}
    if isinstance(checked, list):
        return [shown_tree(v) for v in checked]
    return checked


Text = Annotated[StrictStr, AfterValidator(storable), AfterValidator(no_card_number),
                 Field(json_schema_extra=FREE_TEXT)]
"""Free text: refused if it holds a card number or an unstorable character."""


Code = Annotated[Text, Field(min_length=1, max_length=64)]
"""A code people choose (SKU, location, register, connection): free text, kept short."""
Name = Annotated[Text, Field(max_length=200)]
Reason = Annotated[Text, Field(min_length=1, max_length=200)]
Secret = Annotated[StrictStr, AfterValidator(storable),
                   Field(min_length=1, max_length=16, json_schema_extra={"format": "password"})]
Password = Annotated[StrictStr, AfterValidator(storable),
                     Field(min_length=1, max_length=200, json_schema_extra={"format": "password"})]
"""A back-office password: checked against its hash or hashed, never stored as sent."""
Word = Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_-]{0,31}$")]
"""A lower-case word of the API's vocabulary (a method, a role, an action, a platform)."""
IssuedToken = Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9_.~+/=-]{1,200}$")]
"""A token tillflow issued (an approval): looked up, never stored as sent."""
Barcode = Annotated[StrictStr, Field(pattern=r"^[ \t]*[0-9A-Za-z]{1,32}[ \t]*$")]
"""A GTIN, checked by its GS1 check digit in the catalog."""
Settings = Annotated[dict[str, Any], AfterValidator(shown_tree)]
"""A connection's settings: each connector checks them by its own rules; any string in
them is refused if it holds a card number, as they are shown again."""
Secrets = Annotated[dict[str, Any], AfterValidator(storable_tree)]
"""A connection's secrets: sealed, never shown; an API key is not free text."""
