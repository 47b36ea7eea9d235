"""``tillflow devices``: the register's local device agent."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tillflow.cli.common import command_group

app = command_group("The register's local device agent.")


@app.command("serve")
def serve(
    *,
    register: Annotated[str, typer.Option(help="Code of the register this agent serves.")],
    printer: Annotated[str, typer.Option(
        help="tcp://HOST[:PORT], usb://VID:PID[?out_ep=0x01&in_ep=0x82], "
             "serial:///dev/X, file:///path, cups://QUEUE")],
    token: Annotated[str, typer.Option(envvar="TILLFLOW_AGENT_TOKEN",
                                       help="Bearer token paired to the register.")],
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    profile: Annotated[str, typer.Option(help="Printer profile name.")] = "epson-80mm",
    queue: Annotated[Path, typer.Option(help="SQLite file of the print queue.")] = Path(
        ".tillflow/device-agent.sqlite3"),
    scanner: Annotated[str | None, typer.Option(
        help="Serial scanner device or pyserial URL.")] = None,
    scanner_baudrate: Annotated[int, typer.Option(help="Scanner baud rate.")] = 9600,
    allow_origin: Annotated[list[str] | None, typer.Option(
        help="Origin of the browser register, e.g. http://till.local:8000 (repeatable).")]
    = None,
) -> None:
    """Serve the printer, cash drawer and scanner of one register over local HTTP."""
    import uvicorn

    from tillflow.devices.agent.app import create_app
    from tillflow.devices.agent.settings import AgentSettings, parse_printer_url
    from tillflow.receipt_layout.profiles import get_profile

    settings = AgentSettings(
        register=register, token=token, queue_path=queue,
        transport=parse_printer_url(printer), profile=get_profile(profile),
        scanner_url=scanner, scanner_baudrate=scanner_baudrate,
        allowed_origins=tuple(allow_origin or ()),
    )
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
