"""How a product with options is named in Magento's terms, without a store: attribute
codes made from option names, option ids found whatever the case of a value, and what
is refused before a single request."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from tillflow.connectors.magento import configurable
from tillflow.connectors.magento.attributes import CODE_MAX, Attribute, attribute_code
from tillflow.connectors.magento.auth import Bearer
from tillflow.connectors.magento.client import MagentoClient
from tillflow.ports.commerce import ProductWithVariants, Rejected, VariantData


@pytest.mark.parametrize(("name", "code"), [
    ("Size", "size"), ("Shoe size", "shoe_size"), ("3D glasses", "option_3d_glasses"),
    ("  Colour / Finish ", "colour_finish")])
def test_an_attribute_code_is_letters_digits_and_underscores_from_a_letter(
        name: str, code: str) -> None:
    assert attribute_code(name) == code


def test_an_attribute_code_is_at_most_sixty_characters() -> None:
    assert len(attribute_code("x" * 100)) == CODE_MAX == 60
    assert len(attribute_code("ö" + "x" * 100)) == CODE_MAX


def test_names_beyond_latin_letters_never_share_a_code() -> None:
    size, colour = attribute_code("Размер"), attribute_code("Цвет")
    assert size != colour
    assert size.startswith("option_")
    assert colour.startswith("option_")
    assert attribute_code("Größe").startswith("gr_e_")


def test_a_value_finds_its_option_id_whatever_its_case() -> None:
    size = Attribute(5, "size", "Size", {"s": 11, "m": 12})
    assert (size.option_id("S"), size.option_id("m")) == (11, 12)


def _refusing() -> MagentoClient:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"no request was due: {request.url}")
    return MagentoClient("http://store.invalid", auth=Bearer("t"),
                         transport=httpx.MockTransport(refuse))


def _product(sku: str, options: tuple[tuple[str, tuple[str, ...]], ...]) -> ProductWithVariants:
    return ProductWithVariants(key="1", title="Tee", category=None, options=options,
                               variants=(VariantData(sku=sku, price=Decimal(1), barcode=None,
                                                     status="active", values=("S",)),))


@pytest.mark.parametrize(("product", "reason"), [
    (_product("T" * 65, (("Size", ("S",)),)), "at most 64 characters"),
    (_product("TEE-S", ()), "at least one option"),
])
def test_what_magento_cannot_hold_is_refused_before_any_request(
        product: ProductWithVariants, reason: str) -> None:
    with pytest.raises(Rejected, match=reason):
        configurable.upsert(_refusing(), product, website_id=1, barcode_attribute=None,
                            starting_stock=lambda made: None)
