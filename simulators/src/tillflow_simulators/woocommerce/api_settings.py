"""``/settings/{group}/{id}``: the one setting the simulator models, the shop's stock
management (``products/woocommerce_manage_stock``), a checkbox of "yes" or "no"."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from tillflow_simulators.woocommerce.errors import WooError
from tillflow_simulators.woocommerce.rest.arguments import unsupported
from tillflow_simulators.woocommerce.state import ShopState
from tillflow_simulators.woocommerce.web import Call, item_response, route

GROUP, SETTING = "products", "woocommerce_manage_stock"


def _shown(state: ShopState) -> dict[str, Any]:
    return {
        "id": SETTING,
        "label": "Manage stock",
        "description": "Enable stock management",
        "type": "checkbox",
        "default": "yes",
        "value": "yes" if state.settings.manage_stock else "no",
        "group_id": GROUP,
        "_links": {
            "self": [{"href": f"{state.api_root}/settings/{GROUP}/{SETTING}"}],
            "collection": [{"href": f"{state.api_root}/settings/{GROUP}"}],
        },
    }


def _modelled(call: Call) -> None:
    if (call.request.path_params["group_id"], call.request.path_params["id"]) != (GROUP, SETTING):
        raise unsupported(f"The simulator models only the setting {GROUP}/{SETTING}.")


def get_setting(call: Call) -> Response:
    _modelled(call)
    return item_response(_shown(call.state))


def update_setting(call: Call) -> Response:
    _modelled(call)
    value = call.body.get("value")
    if value not in ("yes", "no"):
        raise WooError("rest_setting_value_invalid", "An invalid setting value was passed.", 400)
    call.state.settings.manage_stock = value == "yes"
    return item_response(_shown(call.state))


_SETTING = r"/wc/v3/settings/(?P<group_id>[\w-]+)/(?P<id>[\w-]+)"
ROUTES = [
    route(_SETTING, ["GET"], "item", get_setting),
    route(_SETTING, ["POST", "PUT", "PATCH"], "item", update_setting, modelled=("value",)),
]
