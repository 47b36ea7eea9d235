"""Routes as WooCommerce describes them: the index, OPTIONS answers and arguments."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

# The captured description's stand-in for the shop's own address.
CAPTURED_SITE = "https://shop.example"
NAMESPACE = "/wc/v3"
WOOCOMMERCE_VERSION = "10.0.2"
WORDPRESS_VERSION = "6.8.8"


@cache
def _captured() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("wc-v3.json").read_text()
    described: dict[str, Any] = json.loads(text)
    return described


def routes() -> dict[str, Any]:
    found: dict[str, Any] = _captured()["routes"]
    return found


def options(pattern: str, site_url: str) -> dict[str, Any]:
    """The OPTIONS answer of the route ``pattern`` (WordPress's regular expression)."""
    return _localised(routes()[pattern], site_url)


@cache
def index(site_url: str) -> dict[str, Any]:
    """``GET /wp-json/wc/v3``: the namespace and each route without its schema (made once
    per address: it is a third of a megabyte, and callers only read it)."""
    served = {
        pattern: {k: v for k, v in route.items() if k != "schema"}
        for pattern, route in routes().items()
    }
    return _localised(
        {
            "namespace": NAMESPACE.strip("/"),
            "routes": served,
            "_links": {"up": [{"href": f"{CAPTURED_SITE}/wp-json/"}]},
        },
        site_url,
    )


def arguments(pattern: str, method: str) -> Mapping[str, Any]:
    """The arguments WooCommerce declares for ``method`` on the route ``pattern``."""
    wanted = "GET" if method == "HEAD" else method
    for endpoint in routes()[pattern]["endpoints"]:
        if wanted in endpoint["methods"]:
            args: Mapping[str, Any] = endpoint["args"]
            return args
    return {}


def path_of(pattern: str) -> str:
    """Starlette's path for a WordPress route: numeric groups become ``{name:int}``."""
    numeric = re.sub(r"\(\?P<(\w+)>\[\\d\]\+\)", r"{\1:int}", pattern)
    return "/wp-json" + re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", numeric)


def _localised(content: dict[str, Any], site_url: str) -> dict[str, Any]:
    localised: dict[str, Any] = json.loads(json.dumps(content).replace(CAPTURED_SITE, site_url))
    return localised
