"""The ``tillflow`` command: one sub-application per area, registered here."""

from __future__ import annotations

import sys

from tillflow.cli import (
    audit,
    books,
    connections,
    demo,
    devices,
    imports,
    receipts,
    simulate,
    staff,
    stock,
    store,
    sync,
    tokens,
)
from tillflow.cli.common import command_group

app = command_group("tillflow: the point of sale built for integration.",
                    add_completion=False)
app.command()(store.init)
app.command()(store.serve)
app.command()(store.worker)
app.command()(demo.demo)
app.command("receipt")(receipts.receipt)
app.command("simulate", help=simulate.HELP, context_settings=simulate.SETTINGS,
            add_help_option=False)(simulate.simulate)
app.add_typer(tokens.app, name="token")
app.add_typer(imports.app, name="import")
app.add_typer(stock.app, name="stock")
app.add_typer(devices.app, name="devices")
app.add_typer(staff.app, name="staff")
app.add_typer(audit.app, name="audit")
app.add_typer(sync.app, name="sync")
app.add_typer(connections.connection_app, name="connection")
connections.connect_app.command("xero")(books.connect_xero)
connections.connect_app.command("quickbooks")(books.connect_quickbooks)
app.add_typer(connections.connect_app, name="connect")


def main() -> None:
    # Help logs nothing: it need not pay for loading the log setup.
    if sys.argv[1:] and "--help" not in sys.argv[1:]:
        from tillflow.logs import configure as configure_logs

        # The demo is for reading its printed addresses, not the worker's chatter.
        configure_logs(default_level="warning" if sys.argv[1:2] == ["demo"] else "info")
    app()
