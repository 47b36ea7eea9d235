"""``tillflow --help`` loads the commands and nothing they run: no connector, database,
web framework, simulator or log setup, so that it stays cheap (``bench/cli_help.py``
prints its CPU time)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("tillflow.connectors", "tillflow.services", "tillflow.db", "tillflow_simulators",
         "sqlalchemy", "fastapi", "httpx", "structlog", "pydantic", "rich.console",
         "typer.rich_utils", "graphql")

PROBE = """
import sys
sys.argv = ["tillflow", "--help"]
from tillflow.cli import main
try:
    main()
except SystemExit:
    pass
print("\\n".join(sorted(sys.modules)))
"""


def test_help_loads_no_heavy_module() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          check=True)
    loaded = [name for name in done.stdout.splitlines()
              if any(name == heavy or name.startswith(heavy + ".") for heavy in HEAVY)]
    assert "Usage: tillflow" in done.stdout
    assert loaded == []
