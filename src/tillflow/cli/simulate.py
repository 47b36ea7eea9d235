"""``tillflow simulate NAME ...``: run a platform simulator in the foreground.

The simulators are their own distribution, found by entry point; each parses its own
options, so this command only picks one by name and hands it the rest of the line.
"""

from __future__ import annotations

from typing import Annotated

import typer

from tillflow.cli.common import console, fail

HELP = "Run a platform simulator in the foreground: tillflow simulate NAME --help."


def simulate(
    context: typer.Context,
    name: Annotated[str | None, typer.Argument(help="The simulator to run.",
                                               show_default=False)] = None,
) -> None:
    from tillflow import simulation

    if name is None or name in ("--help", "-h"):
        installed = simulation.names()
        if not installed:
            fail(simulation.INSTALL_HINT)
        console.print(f"{HELP}\n\nInstalled: {', '.join(installed)}")
        return
    try:
        simulator = simulation.load(name)
    except simulation.SimulatorMissing as exc:
        fail(str(exc))
    simulator.main(context.args, prog_name=f"tillflow simulate {name}")


SETTINGS = {"allow_extra_args": True, "ignore_unknown_options": True,
            "help_option_names": []}
