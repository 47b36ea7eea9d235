"""`tillflow simulate adyen`: the Adyen terminal simulator as a command."""

from __future__ import annotations

from typing import Annotated

import typer

from tillflow_simulators.adyen.notifier import NotificationSettings
from tillflow_simulators.adyen.runner import DEFAULT_API_KEY, serve_forever
from tillflow_simulators.adyen.simulator import AdyenSimulator


def simulate_adyen(
    *,
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8444,
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    api_key: Annotated[
        str, typer.Option(help="Value the X-API-Key header must carry.")
    ] = DEFAULT_API_KEY,
    terminal: Annotated[
        list[str] | None, typer.Option(help="POIID of a terminal that approves (repeatable).")
    ] = None,
    notification_url: Annotated[
        str | None, typer.Option(help="Where to send signed notification webhooks.")
    ] = None,
    hmac_key: Annotated[
        str | None, typer.Option(help="Hex HMAC key that signs the notifications.")
    ] = None,
    merchant_account: Annotated[
        str, typer.Option(help="merchantAccountCode in notifications.")
    ] = "TillflowSimulatorMerchant",
    event_url: Annotated[str | None, typer.Option(help="Where /async results are posted.")] = None,
) -> None:
    """Serve Adyen's cloud Terminal API (/sync, /async) for simulated terminals."""
    simulator = AdyenSimulator(
        notifications=NotificationSettings(
            url=notification_url,
            hmac_key=hmac_key,
            merchant_account=merchant_account,
            event_url=event_url,
        )
    )
    for poi_id in terminal or ["V400m-000000001"]:
        simulator.add_terminal(poi_id)
    typer.echo(f"Adyen terminal simulator on http://{host}:{port}")
    serve_forever(simulator, host=host, port=port, api_key=api_key)
