"""``tillflow sync``: the web shop sync."""

from __future__ import annotations

from tillflow.cli.common import command_group, console
from tillflow.cli.connections import sync_engine

app = command_group("The web shop sync.")


@app.command("status")
def status() -> None:
    """One line per web shop connection: state, lag, pending, failed, last error."""
    from rich.table import Table

    with sync_engine() as engine:
        rows = [engine.health(shop.name) for shop in engine.shops()]
    table = Table("connection", "platform", "state", "lag (s)", "pending", "failed",
                  "last reconciliation", "last error")
    for row in rows:
        report = row["last_reconciliation"]
        table.add_row(row["name"], row["platform"], row["state"], f"{row['lag_seconds']:.1f}",
                      str(row["pending"]), str(row["failed"]),
                      "-" if report is None else f"{report['at']} ({report['drift_count']} drift)",
                      row["last_error"] or "")
    console.print(table)
