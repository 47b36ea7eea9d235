"""``tillflow audit``: the audit trail of sensitive acts."""

from __future__ import annotations

import typer

from tillflow.cli.common import console, errors, store

app = typer.Typer(help="The audit trail.", no_args_is_help=True)


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
