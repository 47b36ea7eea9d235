"""``tillflow import``: bulk data from files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tillflow.cli.common import command_group, console, errors, fail, store

app = command_group("Import data from files.")


@app.command("products")
def products(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
) -> None:
    """Create or update products from a CSV file: sku,name,price,tax_rate,barcodes,active,
    cost,category, and for variants product,option1_name,option1_value … option3_value."""
    from rich.progress import Progress
    from rich.table import Table

    from tillflow.importer import count_rows, import_products

    with store() as ctx, Progress(console=errors.rich, transient=True) as progress:
        task = progress.add_task("importing", total=count_rows(file))
        try:
            report = import_products(ctx, file, on_row=lambda: progress.advance(task))
        except ValueError as exc:
            fail(str(exc))
    console.print(f"{report.created} created, {report.updated} updated, "
                  f"{report.unchanged} unchanged, {len(report.rejected)} rejected")
    if report.rejected:
        table = Table("line", "sku", "reason", title="rejected rows")
        for row in report.rejected:
            table.add_row(str(row.line), row.sku, row.reason)
        console.print(table)
        raise typer.Exit(code=1)
