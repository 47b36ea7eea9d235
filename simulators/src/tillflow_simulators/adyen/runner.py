"""Run the Adyen simulator on a loopback port, in a background thread or in the foreground."""

from __future__ import annotations

from types import TracebackType

from tillflow_simulators.adyen.server import AdyenSimulatorServer
from tillflow_simulators.adyen.simulator import AdyenSimulator
from tillflow_simulators.common.threaded_http import ServerThread

DEFAULT_API_KEY = "tillflow-simulator-key"
# Adyen's report users are named report@Company.<company account>.
DEFAULT_REPORT_USER = "report@Company.TillflowSimulatorCompany"
DEFAULT_REPORT_PASSWORD = "tillflow-simulator-report"  # noqa: S105 (a simulator)


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
        self.report_credentials = (DEFAULT_REPORT_USER, DEFAULT_REPORT_PASSWORD)
        self._serving = ServerThread(
            AdyenSimulatorServer((host, port), simulator=self.simulator, api_key=api_key,
                                 report_credentials=self.report_credentials),
            name="adyen-simulator",
        )

    @property
    def url(self) -> str:
        return self._serving.url

    def start(self) -> RunningAdyenSimulator:
        self._serving.start()
        return self

    def stop(self) -> None:
        self.simulator.stop()
        self._serving.stop()

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
    server = AdyenSimulatorServer((host, port), simulator=simulator, api_key=api_key,
                                  report_credentials=(DEFAULT_REPORT_USER,
                                                      DEFAULT_REPORT_PASSWORD))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()
        server.server_close()
