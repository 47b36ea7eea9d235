"""Products with options and variants, and the categories they sit in.

A product has a name, a category and up to a few options (Size, Colour ...), each with
its values in display order; each of its variants is a SKU (``catalog.Product``) that
takes one value of every option, and no two variants take the same values. A simple
product has no options and one variant.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from tillflow.domain.errors import InvalidInput

MAX_CATEGORY_LENGTH = 255
MAX_SEGMENT_LENGTH = 100
MAX_OPTION_NAME = 100
MAX_OPTION_VALUE = 100
# What tillflow itself holds per product, whatever a shop accepts.
MAX_OPTIONS = 10
MAX_VALUES = 500
MAX_VARIANTS = 5000
# A variant's name is its product's name and its values; sales lines keep 200 characters.
MAX_NAME = 200


@dataclass(frozen=True)
class Option:
    name: str
    values: tuple[str, ...]


@dataclass
class ProductGroup:
    """The product itself; its variants are ``catalog.Product`` rows that point at it."""

    name: str
    category: str | None = None
    options: tuple[Option, ...] = ()
    id: int | None = None
    version: int = 1

    @property
    def option_names(self) -> tuple[str, ...]:
        return tuple(o.name for o in self.options)


@dataclass(frozen=True)
class VariantLimits:
    """What a platform accepts per product; None where it documents no limit."""

    max_options: int | None = None
    max_variants: int | None = None
    # A character the platform splits an option's values at when it stores them.
    value_separator: str | None = None


@dataclass(frozen=True)
class ShopLimits:
    """A connected shop's limits, named for the refusal."""

    connection: str
    platform: str
    limits: VariantLimits = field(default_factory=VariantLimits)


def validate_category(raw: str | None, *, field: str = "category") -> str | None:
    """A path such as ``Clothing/Tees``: segments trimmed, none empty; empty means none."""
    if raw is None or not raw.strip():
        return None
    segments = [s.strip() for s in raw.split("/")]
    if any(not s or len(s) > MAX_SEGMENT_LENGTH for s in segments):
        raise InvalidInput(f"{field} must be a path of 1-{MAX_SEGMENT_LENGTH} character names "
                           "separated by '/', such as \"Clothing/Tees\"", details={"field": field})
    path = "/".join(segments)
    if len(path) > MAX_CATEGORY_LENGTH:
        raise InvalidInput(f"{field} must be at most {MAX_CATEGORY_LENGTH} characters",
                           details={"field": field})
    return path


def parse_options(raw: Sequence[tuple[str, Sequence[str]]], *,
                  field: str = "options") -> tuple[Option, ...]:
    """Options as given: names and values trimmed; none without values, none repeated."""
    if len(raw) > MAX_OPTIONS:
        raise InvalidInput(f"a product has at most {MAX_OPTIONS} options", details={"field": field})
    options: list[Option] = []
    for n, (raw_name, values) in enumerate(raw):
        where = f"{field}.{n}"
        name = _text(raw_name, field=f"{where}.name", max_length=MAX_OPTION_NAME)
        if name.casefold() in {o.name.casefold() for o in options}:
            raise InvalidInput(f"option {name!r} is listed twice",
                               details={"field": f"{where}.name"})
        options.append(Option(name, _values(values, field=f"{where}.values")))
    return tuple(options)


def _values(raw: Sequence[str], *, field: str) -> tuple[str, ...]:
    if not raw:
        raise InvalidInput("an option needs at least one value", details={"field": field})
    if len(raw) > MAX_VALUES:
        raise InvalidInput(f"an option has at most {MAX_VALUES} values", details={"field": field})
    values = [_text(v, field=f"{field}.{n}", max_length=MAX_OPTION_VALUE)
              for n, v in enumerate(raw)]
    folded = [v.casefold() for v in values]
    for n, value in enumerate(folded):
        if value in folded[:n]:
            raise InvalidInput(f"value {values[n]!r} is listed twice",
                               details={"field": f"{field}.{n}"})
    return tuple(values)


def _text(raw: str, *, field: str, max_length: int) -> str:
    cleaned = raw.strip()
    if not cleaned or len(cleaned) > max_length:
        raise InvalidInput(f"{field} must be 1-{max_length} characters", details={"field": field})
    return cleaned


def variant_values(options: Sequence[Option], chosen: Mapping[str, str], *,
                   field: str) -> tuple[str, ...]:
    """The value of each option, in the options' order, from a variant's ``{name: value}``:
    each option named once, none the product lacks, each value one of its option's."""
    by_name = {o.name: o for o in options}
    unknown = [name for name in chosen if name not in by_name]
    if unknown:
        raise InvalidInput(f"the product has no option {unknown[0]!r}",
                           details={"field": field, "option": unknown[0]})
    values: list[str] = []
    for option in options:
        if option.name not in chosen:
            raise InvalidInput(f"a value of option {option.name!r} is missing",
                               details={"field": field, "option": option.name})
        value = chosen[option.name].strip()
        if value not in option.values:
            raise InvalidInput(f"{value!r} is not a value of option {option.name!r} "
                               f"({', '.join(option.values)})",
                               details={"field": field, "option": option.name})
        values.append(value)
    return tuple(values)


def check_distinct(combinations: Sequence[tuple[str, ...]], *, fields: Sequence[str]) -> None:
    """No two variants take the same values; the later one is named."""
    seen: dict[tuple[str, ...], int] = {}
    for n, values in enumerate(combinations):
        if values in seen:
            taken = " / ".join(values) or "no options"
            raise InvalidInput(f"two variants take the same values ({taken})",
                               details={"field": fields[n]})
        seen[values] = n
    if len(combinations) > MAX_VARIANTS:
        raise InvalidInput(f"a product has at most {MAX_VARIANTS} variants",
                           details={"field": "variants"})


def check_shop_limits(shops: Sequence[ShopLimits], *, options: int, variants: int,
                      values: Sequence[Sequence[str]] = ()) -> None:
    """Refuse a product that a connected shop would refuse, naming the shop and its limit;
    ``values`` are each option's values."""
    for shop in shops:
        separator = shop.limits.value_separator
        for n, m in ((n, m) for n, listed in enumerate(values) for m, value in enumerate(listed)
                     if separator and separator in value):
            raise InvalidInput(
                f"the {shop.platform} connection {shop.connection!r} splits option values "
                f"at {separator!r}, so {values[n][m]!r} cannot be one",
                details={"field": f"options.{n}.values.{m}", "connection": shop.connection})
        for what, count, limit in (("options", options, shop.limits.max_options),
                                   ("variants", variants, shop.limits.max_variants)):
            if limit is not None and count > limit:
                raise InvalidInput(
                    f"the {shop.platform} connection {shop.connection!r} accepts at most "
                    f"{limit} {what} per product, not {count}",
                    details={"field": what, "connection": shop.connection, "limit": limit})


def variant_name(product_name: str, values: Sequence[str]) -> str:
    """What a variant is called on a receipt: ``Tee - M / Red``; a simple product's name."""
    if not values:
        return product_name
    return f"{product_name} - {' / '.join(values)}"[:MAX_NAME].rstrip()


def extend_options(current: Sequence[Option], wanted: Sequence[Option],
                   used: Sequence[tuple[str, ...]], *,
                   field: str = "options") -> tuple[Option, ...]:
    """The options after a change: every current option stays (in its place), new options
    come after them, and a value may go only when no variant takes it."""
    for n, option in enumerate(current):
        if n >= len(wanted) or wanted[n].name != option.name:
            raise InvalidInput(f"option {option.name!r} stays, in its place; new options come "
                               "after the existing ones", details={"field": f"{field}.{n}"})
        taken = {values[n] for values in used}
        dropped = [v for v in option.values if v in taken and v not in wanted[n].values]
        if dropped:
            raise InvalidInput(f"value {dropped[0]!r} of option {option.name!r} is taken by a "
                               "variant", details={"field": f"{field}.{n}.values"})
    return tuple(wanted)
