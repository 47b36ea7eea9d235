"""Run the Adyen simulator on a loopback port, in a background thread or in the foreground."""

from __future__ import annotations

import threading
from types import TracebackType

from tillflow.simulators.adyen.server import AdyenSimulatorServer
from tillflow.simulators.adyen.simulator import AdyenSimulator

DEFAULT_API_KEY = "tillflow-simulator-key"


class RunningAdyenSimulator:
    """The simulator serving on 127.0.0.1 (a free port by default) from a thread.

    ``with RunningAdyenSimulator() as sim: sim.url; sim.simulator.add_terminal(...)``
    """

    def __init__(
        self,
        simulator: AdyenSimulator | None = None,
        *,
        api_key: str = DEFAULT_API_KEY,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.simulator = simulator or AdyenSimulator()
        self.api_key = api_key
        self._server = AdyenSimulatorServer((host, port), simulator=self.simulator, api_key=api_key)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="adyen-simulator",
            daemon=True,
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> RunningAdyenSimulator:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.simulator.stop()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> RunningAdyenSimulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def serve_forever(
    simulator: AdyenSimulator, *, host: str, port: int, api_key: str = DEFAULT_API_KEY
) -> None:
    """Serve in the calling thread until interrupted (the command-line entry)."""
    server = AdyenSimulatorServer((host, port), simulator=simulator, api_key=api_key)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()
        server.server_close()
