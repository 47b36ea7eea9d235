"""Writes what a real WooCommerce says of its REST API v3: the namespace index and the
OPTIONS answers of the routes the connector uses, to tests/fixtures/woocommerce/ (against
which the simulator is checked), and the same description of the routes the simulator
serves to the simulator's own copy (by which it checks what it is sent).

    PYTHONPATH=tests .venv/bin/python tests/peers/woocommerce/capture_schema.py
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

from support.peers import ROOT
from support.woocommerce_peer import SCHEMA_FILE, WooStack, install, rest_schema

SIMULATOR_FILE = (ROOT / "simulators" / "src" / "tillflow_simulators" / "woocommerce" / "rest"
                  / "wc-v3.json")
def simulated(described: dict[str, Any]) -> dict[str, Any]:
    """The namespace's own route and each captured route's OPTIONS answer, keyed by
    WordPress's pattern for it."""
    index = described["index"]["routes"]
    routes: dict[str, Any] = {"/wc/v3": index["/wc/v3"]}
    for name, answer in described["routes"].items():
        pattern = next(p for p, entry in index.items() if p.startswith("/wc/v3/")
                       and _matches(p, name) and entry["methods"] == answer["methods"])
        routes[pattern] = answer
    return {"woocommerce": "10.0.2", "wordpress": "6.8.8", "routes": routes}


def _matches(pattern: str, name: str) -> bool:
    concrete = "/wc/v3/" + name.replace("<id>", "1")
    return re.fullmatch(pattern, concrete) is not None


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="tillflow-woo-") as folder:
        stack = WooStack(install(), Path(folder))
        stack.start()
        try:
            described = rest_schema(stack.new_shop("schema"))
        finally:
            stack.stop()
    for path, content in ((SCHEMA_FILE, described), (SIMULATOR_FILE, simulated(described))):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
