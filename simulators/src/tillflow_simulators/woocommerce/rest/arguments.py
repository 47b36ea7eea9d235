"""A request's arguments checked as WordPress checks them, before the route's permission
check and its handler (``WP_REST_Request::has_valid_params`` and ``sanitize_params``):
missing required arguments first, then every declared argument against its schema, all
failures named in one ``rest_invalid_param`` answer. Arguments a route does not declare
are not checked (and WooCommerce's handlers ignore most of them).

WooCommerce declares more than the simulator models. A declared argument the simulator
does not model, sent with a value other than its default, is refused by name rather than
silently ignored, so that a test never passes on an argument that had no effect.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from tillflow_simulators.woocommerce.errors import WooError
from tillflow_simulators.woocommerce.rest.validation import Invalid, as_list, is_boolean, validate


def check(declared: Mapping[str, Any], params: Mapping[str, Any]) -> None:
    missing = [
        name
        for name, rule in declared.items()
        if rule.get("required") is True and params.get(name) is None
    ]
    if missing:
        raise WooError(
            "rest_missing_callback_param",
            f"Missing parameter(s): {', '.join(missing)}",
            400,
            data={"params": missing},
        )
    invalid: dict[str, str] = {}
    details: dict[str, Any] = {}
    for name, value in params.items():
        rule = declared.get(name)
        if not isinstance(rule, dict) or not rule.get("type"):
            continue
        try:
            validate(value, rule, name)
        except Invalid as error:
            invalid[name] = error.message
            details[name] = {
                "code": error.code,
                "message": error.message,
                "data": None if error.data is None else dict(error.data),
            }
    if invalid:
        raise WooError(
            "rest_invalid_param",
            f"Invalid parameter(s): {', '.join(invalid)}",
            400,
            data={"params": invalid, "details": details},
        )


def refuse_unmodelled(
    declared: Mapping[str, Any], params: Mapping[str, Any], modelled: Collection[str]
) -> None:
    extra = sorted(
        name
        for name, value in params.items()
        if name in declared
        and name not in modelled
        and not _is_default(value, declared[name].get("default"))
    )
    if extra:
        raise unsupported(f"The simulator does not model the argument(s) {', '.join(extra)}.")


def refuse_unmodelled_fields(
    item: Mapping[str, Any], modelled: Collection[str], *, ignored: Collection[str] = ("id",)
) -> None:
    """For a batch item, which WooCommerce does not check against the schema."""
    extra = sorted(name for name in item if name not in modelled and name not in ignored)
    if extra:
        raise unsupported(f"The simulator does not model the field(s) {', '.join(extra)}.")


def unsupported(message: str) -> WooError:
    return WooError("tillflow_simulator_unsupported", message, 400)


def _is_default(value: Any, default: Any) -> bool:
    if isinstance(default, bool):
        return is_boolean(value) and (str(value).lower() in ("true", "1")) == default
    if isinstance(default, list):
        return as_list(value) == default
    return value is None or str(value) == str(default)
