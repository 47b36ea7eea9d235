"""The rules of products with options and variants, and of categories, with no I/O."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tillflow.domain.errors import InvalidInput
from tillflow.domain.variants import (
    Option,
    ShopLimits,
    VariantLimits,
    check_distinct,
    check_shop_limits,
    extend_options,
    parse_options,
    validate_category,
    variant_name,
    variant_values,
)

SIZE = Option("Size", ("S", "M", "L"))
COLOUR = Option("Colour", ("Red", "Blue"))
words = st.text(alphabet="abcdefgh", min_size=1, max_size=6)


def refused(call: object, *args: object, **kwargs: object) -> str:
    assert callable(call)
    with pytest.raises(InvalidInput) as caught:
        call(*args, **kwargs)
    field: str = caught.value.details["field"]
    return field


@pytest.mark.parametrize(("raw", "path"), [
    (" Clothing / Tees ", "Clothing/Tees"), ("Kitchen", "Kitchen"), ("", None), (None, None),
])
def test_a_category_is_a_trimmed_path(raw: str | None, path: str | None) -> None:
    assert validate_category(raw) == path


@pytest.mark.parametrize("raw", ["Clothing//Tees", "/Tees", "Tees/", "x" * 101,
                                 "/".join(["abcd"] * 60)])
def test_a_category_with_an_empty_or_long_name_is_refused(raw: str) -> None:
    assert refused(validate_category, raw) == "category"


@given(st.lists(words, min_size=1, max_size=5))
def test_a_category_path_reads_back_the_same(names: list[str]) -> None:
    path = validate_category(" / ".join(names))
    assert path == "/".join(names)
    assert validate_category(path) == path


def test_options_are_refused_without_values_or_twice() -> None:
    assert refused(parse_options, [("Size", [])]) == "options.0.values"
    assert refused(parse_options, [("Size", ["S"]), ("size ", ["M"])]) == "options.1.name"
    assert refused(parse_options, [("Size", ["S", "M", " s"])]) == "options.0.values.2"
    assert refused(parse_options, [(" ", ["S"])]) == "options.0.name"
    assert parse_options([(" Size ", [" S ", "M"])]) == (Option("Size", ("S", "M")),)


def test_a_variant_takes_one_value_of_each_option() -> None:
    options = (SIZE, COLOUR)
    assert variant_values(options, {"Colour": "Blue", "Size": "M"}, field="o") == ("M", "Blue")
    assert refused(variant_values, options, {"Size": "M"}, field="o") == "o"
    assert refused(variant_values, options, {"Size": "M", "Colour": "Red", "Fit": "x"},
                   field="o") == "o"
    assert refused(variant_values, options, {"Size": "XL", "Colour": "Red"}, field="o") == "o"
    assert variant_values((), {}, field="o") == ()


@given(st.lists(st.tuples(st.sampled_from(SIZE.values), st.sampled_from(COLOUR.values)),
                min_size=1, max_size=8))
def test_variants_are_refused_exactly_when_two_take_the_same_values(
        combinations: list[tuple[str, str]]) -> None:
    fields = [f"variants.{n}.options" for n in range(len(combinations))]
    if len(set(combinations)) == len(combinations):
        check_distinct(combinations, fields=fields)
        return
    first_repeat = next(n for n, c in enumerate(combinations) if c in combinations[:n])
    assert refused(check_distinct, combinations, fields=fields) == fields[first_repeat]


def test_a_connected_shop_s_limits_are_named() -> None:
    shops = [ShopLimits("woo", "woocommerce"),
             ShopLimits("web", "shopify", VariantLimits(max_options=3, max_variants=2048))]
    check_shop_limits(shops, options=3, variants=2048)
    assert refused(check_shop_limits, shops, options=4, variants=1) == "options"
    assert refused(check_shop_limits, shops, options=1, variants=2049) == "variants"
    check_shop_limits(shops[:1], options=10, variants=5000)


def test_a_value_a_connected_shop_would_split_is_named() -> None:
    shops = [ShopLimits("web", "shopify", VariantLimits(max_options=3)),
             ShopLimits("woo", "woocommerce", VariantLimits(value_separator="|"))]
    check_shop_limits(shops, options=2, variants=2, values=[("S", "M"), ("Red/Blue",)])
    assert refused(check_shop_limits, shops, options=2, variants=2,
                   values=[("S", "M"), ("Red", "Red|Blue")]) == "options.1.values.1"
    check_shop_limits(shops[:1], options=1, variants=1, values=[("Red|Blue",)])


def test_options_grow_but_keep_their_place_and_the_values_variants_take() -> None:
    used = [("S", "Red"), ("M", "Blue")]
    grown = (Option("Size", ("S", "M", "XL")), COLOUR, Option("Fit", ("Slim",)))
    assert extend_options((SIZE, COLOUR), grown, used) == grown
    unused_gone = (Option("Size", ("S", "M")), COLOUR)
    assert extend_options((SIZE, COLOUR), unused_gone, used) == unused_gone
    assert refused(extend_options, (SIZE, COLOUR), (COLOUR, SIZE), used) == "options.0"
    assert refused(extend_options, (SIZE, COLOUR), (SIZE,), used) == "options.1"
    assert refused(extend_options, (SIZE, COLOUR), (Option("Size", ("S",)), COLOUR),
                   used) == "options.0.values"


def test_a_variant_is_named_after_its_product_and_values() -> None:
    assert variant_name("Tee", ("M", "Red")) == "Tee - M / Red"
    assert variant_name("Mug", ()) == "Mug"
    long = variant_name("x" * 200, ("M",))
    assert len(long) == 200

