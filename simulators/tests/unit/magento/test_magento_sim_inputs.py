"""Arguments read as Magento's input processor reads them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tillflow_simulators.magento import inputs, jsonout, schema
from tillflow_simulators.magento.errors import MagentoError


def product_signature() -> tuple[schema.ApiSchema, inputs.Signature]:
    api = schema.load("2.4.8", "admin")
    operation = api.operation("POST", "/V1/products")
    assert operation is not None
    return api, inputs.signature(operation)


def test_scalars_are_converted_as_settype_converts_them() -> None:
    api, wanted = product_signature()
    args = inputs.read(
        api,
        wanted,
        {"product": {"sku": 12, "price": "4.50", "status": "1"}, "saveOptions": "yes"},
        version="2.4.8",
    )
    assert args == {
        "product": {"sku": "12", "price": Decimal("4.50"), "status": 1},
        "saveOptions": True,
    }


def test_two_missing_arguments_are_gathered() -> None:
    api = schema.load("2.4.8", "admin")
    operation = api.operation("POST", "/V1/integration/admin/token")
    assert operation is not None
    with pytest.raises(MagentoError) as refused:
        inputs.read(api, inputs.signature(operation), {}, version="2.4.8")
    assert refused.value.body() == {
        "message": "One or more input exceptions have occurred.",
        "errors": [
            {
                "message": '"%fieldName" is required. Enter and try again.',
                "parameters": {"fieldName": "username"},
            },
            {
                "message": '"%fieldName" is required. Enter and try again.',
                "parameters": {"fieldName": "password"},
            },
        ],
    }


def test_custom_attributes_may_come_as_a_map() -> None:
    api, wanted = product_signature()
    args = inputs.read(
        api,
        wanted,
        {"product": {"sku": "A", "custom_attributes": {"color": "red", "category_ids": ["3"]}}},
        version="2.4.8",
    )
    assert args["product"]["custom_attributes"] == [
        {"attribute_code": "color", "value": "red"},
        {"attribute_code": "category_ids", "value": ["3"]},
    ]


def test_php_class_of_a_definition() -> None:
    assert inputs.php_class("#/definitions/catalog-data-product-interface") == (
        "\\Magento\\Catalog\\Api\\Data\\ProductInterface"
    )


def test_money_is_written_exactly() -> None:
    assert jsonout.dumps({"a": Decimal("19.990"), "b": Decimal("5.00"), "c": [Decimal("0.1")]}) == (
        '{"a":19.99,"b":5,"c":[0.1]}'
    )
