"""What a route's handler receives and how handlers are registered.

Handlers are keyed by the route as ``webapi.xml`` writes it (``POST /V1/order/:orderId/ship``);
a route of the Open Source store without a handler is one the simulator does not model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from tillflow_simulators.magento import checkout
from tillflow_simulators.magento.model import Cart
from tillflow_simulators.magento.store import MagentoStore


@dataclass(frozen=True)
class Call:
    store: MagentoStore
    args: Mapping[str, Any]
    scope: str  # the store code of the URL: default, all
    base_url: str

    def arg(self, name: str, default: Any = None) -> Any:
        value = self.args.get(name)
        return default if value is None else value

    def cart(self) -> Cart:
        return checkout.by_mask(self.store, str(self.args["cartId"]))


Handler = Callable[[Call], Any]


@dataclass(frozen=True)
class Endpoint:
    handler: Handler
    # getList(SearchCriteriaInterface $searchCriteria) without a default: the caller must
    # send searchCriteria (at least ``searchCriteria=``).
    criteria_required: bool = False


Endpoints = Mapping[tuple[str, str], Endpoint]
