"""What ``tillflow --help`` costs in CPU (budget 0.3 s), beside the floor of the
interpreter alone and of typer, which every command loads.

    .venv/bin/python bench/cli_help.py [--runs 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

BUDGET = 0.3
TILLFLOW = str(Path(sys.executable).with_name("tillflow"))


def cpu_seconds(command: list[str]) -> float:
    """User + system CPU of one run of ``command``, children included."""
    before = os.times()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    after = os.times()
    return (after.children_user - before.children_user
            + after.children_system - before.children_system)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    cases = {"python -c pass": [sys.executable, "-c", "pass"],
             "python -c 'import typer'": [sys.executable, "-c", "import typer"],
             "tillflow --help": [TILLFLOW, "--help"]}
    print(f"CPU seconds over {runs} runs (median / max); budget for tillflow --help "
          f"{BUDGET} s; load average {os.getloadavg()[0]:.1f}")
    for name, command in cases.items():
        times = [cpu_seconds(command) for _ in range(runs)]
        print(f"  {name:28} {statistics.median(times):.3f} / {max(times):.3f}")


if __name__ == "__main__":
    main()
