"""Writes what a real WooCommerce says of its REST API v3 to tests/fixtures/woocommerce/:
the namespace index and the OPTIONS answers of the routes the connector uses. The
WooCommerce simulator is checked against that file.

    PYTHONPATH=tests .venv/bin/python tests/peers/woocommerce/capture_schema.py
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from support.woocommerce_peer import SCHEMA_FILE, WooStack, install, rest_schema


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="tillflow-woo-") as folder:
        stack = WooStack(install(), Path(folder))
        stack.start()
        try:
            described = rest_schema(stack.new_shop("schema"))
        finally:
            stack.stop()
    SCHEMA_FILE.parent.mkdir(parents=True, exist_ok=True)
    SCHEMA_FILE.write_text(json.dumps(described, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {SCHEMA_FILE}")


if __name__ == "__main__":
    main()
