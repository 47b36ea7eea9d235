"""``tillflow audit``: the audit trail of sensitive acts."""

from __future__ import annotations

import typer

from tillflow.cli.common import command_group, console, errors, store

app = command_group("The audit trail.")


@app.command("verify")
def verify() -> None:
    """Check every record against the hash chain; name each one altered or missing."""
    from tillflow.services import audit

    with store() as ctx:
        result = audit.verify(ctx)
    for problem in result.problems:
        errors.print(f"[red]{problem}[/red]", highlight=False)
    if result.problems:
        errors.print(f"{len(result.problems)} problem(s) in {result.records} record(s)")
        raise typer.Exit(code=1)
    console.print(f"{result.records} record(s), chain intact; head {result.head_seq} "
                  f"{result.head_hash or '(empty)'}", highlight=False)
