"""What one platform's ``tillflow.simulators`` entry point offers the ``tillflow`` command.

The entry point is loaded only when that simulator is asked for, and it imports its
platform's modules only when it runs, so listing the simulators costs nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import typer


def _resolve(target: str) -> Any:
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


@dataclass(frozen=True)
class SimulatorEntry:
    summary: str
    # "module:function" of the typer command that runs it in the foreground.
    command: str
    # "module:function" that starts it in the background for the demo; None if it has none.
    starter: str | None = None

    def main(self, args: Sequence[str], *, prog_name: str) -> None:
        app = typer.Typer(add_completion=False)
        app.command(help=self.summary)(_resolve(self.command))
        typer.main.get_command(app).main(args=list(args), prog_name=prog_name)

    def start(self, **options: Any) -> Any:
        if self.starter is None:
            raise NotImplementedError("this simulator has no background mode")
        return _resolve(self.starter)(**options)
