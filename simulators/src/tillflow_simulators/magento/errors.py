"""Magento's web API errors: the exception families and the body each one answers with.

Magento writes its messages with placeholders (``%1`` or ``%name``) and sends the values in
``parameters``: a list for numbered placeholders, an object for named ones. The status
follows the exception family (``Webapi\\ErrorProcessor``): no such entity 404, authentication
and authorization 401, any other localized exception 400, anything else 500 with a message
that names only a report id.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from typing import Any

Parameters = Sequence[Any] | Mapping[str, Any] | None

INTERNAL_ERROR = "Internal Error. Details are available in Magento log file. Report ID: %s"
NO_ROUTE = "Request does not match any route."
NOT_AUTHORIZED = "The consumer isn't authorized to access %resources."
REQUIRED = '"%fieldName" is required. Enter and try again.'
NOT_SUPPORTED = '"%fieldName" is not supported. Correct the field name and try again.'
AGGREGATE = "One or more input exceptions have occurred."
NO_SUCH_ENTITY = "No such entity with %fieldName = %fieldValue"


class MagentoError(Exception):
    """A localized exception: 400 unless a subclass says otherwise."""

    status = 400

    def __init__(
        self,
        message: str,
        parameters: Parameters = None,
        *,
        errors: Sequence[MagentoError] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.parameters = parameters
        self.errors = list(errors)

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message}
        if self.errors:
            body["errors"] = [_item(error) for error in self.errors]
        if self.parameters:
            body["parameters"] = (
                dict(self.parameters)
                if isinstance(self.parameters, Mapping)
                else list(self.parameters)
            )
        return body


class NoSuchEntity(MagentoError):
    status = 404

    @classmethod
    def field(cls, name: str, value: Any) -> NoSuchEntity:
        return cls(NO_SUCH_ENTITY, {"fieldName": name, "fieldValue": value})


class NotAuthenticated(MagentoError):
    """Authentication and authorization failures, and OAuth signature failures."""

    status = 401


class WebapiError(MagentoError):
    """A ``Webapi\\Exception`` carrying its own status (404 for no route, 429, ...)."""

    def __init__(self, message: str, status: int, parameters: Parameters = None) -> None:
        super().__init__(message, parameters)
        self.status = status


class InternalError(MagentoError):
    """Anything that is not a localized exception: the message is masked behind a report id."""

    status = 500

    def __init__(self) -> None:
        super().__init__(INTERNAL_ERROR % f"webapi-{secrets.token_hex(6)}")


def required_fields(names: Sequence[str]) -> MagentoError:
    """What ``ServiceInputProcessor`` throws for missing parameters: one error names the
    field, several are gathered under the aggregate message."""
    errors = [MagentoError(REQUIRED, {"fieldName": name}) for name in names]
    if len(errors) == 1:
        return errors[0]
    return MagentoError(AGGREGATE, errors=errors)


def not_authorized(resources: Sequence[str]) -> NotAuthenticated:
    return NotAuthenticated(NOT_AUTHORIZED, {"resources": ", ".join(resources)})


def _item(error: MagentoError) -> dict[str, Any]:
    item: dict[str, Any] = {"message": error.message}
    if error.parameters:
        item["parameters"] = error.body()["parameters"]
    return item
