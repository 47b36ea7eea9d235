"""``tillflow stock``: stock ledger tools."""

from __future__ import annotations

import typer

from tillflow.cli.common import command_group, console, store

app = command_group("Stock ledger tools.")


@app.command("verify")
def verify() -> None:
    """Check every cached stock level against the sum of its ledger movements."""
    from tillflow.services.inventory import verify_ledger

    with store() as ctx:
        drifts = verify_ledger(ctx)
    if not drifts:
        console.print("every stock level matches its ledger")
        return
    for d in drifts:
        console.print(f"product {d.product_id} at location {d.location_id}: "
                      f"cached {d.cached}, ledger {d.ledger}")
    raise typer.Exit(code=1)
