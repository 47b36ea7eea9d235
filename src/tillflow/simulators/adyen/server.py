"""HTTP face of the Adyen simulator: the cloud Terminal API plus `/_sim/...` controls.

A threading stdlib server rather than an ASGI one, because "lose the response" needs to
close a connection after the request was processed without writing any answer.
"""

from __future__ import annotations

import hmac
import json
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from pydantic import ValidationError

from tillflow.connectors.adyen import wire
from tillflow.connectors.adyen.nexo import SaleToPOIRequest
from tillflow.simulators.adyen.simulator import AdyenSimulator, Reply


class AdyenSimulatorServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], *, simulator: AdyenSimulator, api_key: str
    ) -> None:
        super().__init__(address, _Handler)
        self.simulator = simulator
        self.api_key = api_key


class _Handler(BaseHTTPRequestHandler):
    server: AdyenSimulatorServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: request lines would only clutter test output."""

    def do_GET(self) -> None:
        sim = self.server.simulator
        if self.path == "/_sim/transactions":
            self._json(HTTPStatus.OK, [record.as_dict() for record in sim.transactions()])
        elif self.path == "/_sim/terminals":
            terminals = {poi: settings.as_dict() for poi, settings in sim.terminals().items()}
            self._json(HTTPStatus.OK, terminals)
        elif self.path == "/_sim/notifications":
            self._json(HTTPStatus.OK, [d.as_dict() for d in sim.notifier.deliveries])
        else:
            self._text(HTTPStatus.NOT_FOUND, "not found")

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.startswith("/_sim/"):
            self._control(self.path, raw)
        elif self.path in ("/sync", "/async"):
            self._terminal_api(raw, asynchronous=self.path == "/async")
        else:
            self._text(HTTPStatus.NOT_FOUND, "not found")

    def _terminal_api(self, raw: bytes, *, asynchronous: bool) -> None:
        if not self._authorised():
            self._text(HTTPStatus.UNAUTHORIZED, "HTTP Status 401 - Unauthorized")
            return
        try:
            request = SaleToPOIRequest.model_validate(wire.loads(raw)["SaleToPOIRequest"])
        except (ValueError, KeyError, TypeError, ValidationError) as exc:
            self._text(HTTPStatus.BAD_REQUEST, f"invalid Terminal API request: {exc}")
            return
        if asynchronous:
            self._text(HTTPStatus.OK, "ok")
            threading.Thread(target=self._answer_later, args=(request,), daemon=True).start()
            return
        self._send_reply(self.server.simulator.handle(request))

    def _answer_later(self, request: SaleToPOIRequest) -> None:
        reply = self.server.simulator.handle(request)
        if reply.document is not None:
            self.server.simulator.notifier.send_event(wire.dumps(reply.document).encode())

    def _send_reply(self, reply: Reply) -> None:
        if reply.drop_connection:
            self.close_connection = True
            return
        if reply.document is None:
            self._text(HTTPStatus.OK, "")
            return
        self._bytes(HTTPStatus.OK, wire.dumps(reply.document).encode(), "application/json")

    def _authorised(self) -> bool:
        given = self.headers.get("X-API-Key") or ""
        return hmac.compare_digest(given.encode(), self.server.api_key.encode())

    def _control(self, path: str, raw: bytes) -> None:
        sim = self.server.simulator
        options = json.loads(raw) if raw.strip() else {}
        if path == "/_sim/terminals":
            poi_id = options.pop("poi_id")
            self._json(HTTPStatus.OK, sim.add_terminal(poi_id, **options).as_dict())
        elif path == "/_sim/notifications":
            settings = sim.notifier.settings
            for name, value in options.items():
                setattr(settings, name, tuple(value) if name == "retry_delays" else value)
            self._json(HTTPStatus.OK, {"configured": sorted(options)})
        elif path == "/_sim/notifications/release":
            released = sim.notifier.release(reverse=bool(options.get("reverse", False)))
            self._json(HTTPStatus.OK, {"released": released})
        elif path == "/_sim/reset":
            sim.reset()
            self._json(HTTPStatus.OK, {"reset": True})
        else:
            self._text(HTTPStatus.NOT_FOUND, "not found")

    def _json(self, status: HTTPStatus, body: Any) -> None:
        self._bytes(status, json.dumps(body).encode(), "application/json")

    def _text(self, status: HTTPStatus, body: str) -> None:
        self._bytes(status, body.encode(), "text/plain")

    def _bytes(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
