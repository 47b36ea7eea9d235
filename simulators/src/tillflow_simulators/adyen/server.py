"""HTTP face of the Adyen simulator: the cloud Terminal API, the report download (basic
auth, as Adyen's report user) plus `/_sim/...` controls.

A threading stdlib server rather than an ASGI one, because "lose the response" needs to
close a connection after the request was processed without writing any answer.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import re
import threading
from datetime import date
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tillflow_simulators.adyen import replies
from tillflow_simulators.adyen.messages import dumps, loads
from tillflow_simulators.adyen.reports import payment_accounting_report
from tillflow_simulators.adyen.simulator import AdyenSimulator, Reply
from tillflow_simulators.adyen.terminal_api.schema import official_models

_REPORT = re.compile(r"^/reports/download/MerchantAccount/([^/]+)/"
                     r"payments_accounting_report_(\d{4})_(\d{2})_(\d{2})\.csv$")


class AdyenSimulatorServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        *,
        simulator: AdyenSimulator,
        api_key: str,
        report_credentials: tuple[str, str],
    ) -> None:
        super().__init__(address, _Handler)
        self.simulator = simulator
        self.api_key = api_key
        # Loaded (installed on first use) before serving, not on the first request.
        self.models = official_models()
        self.report_credentials = report_credentials


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
        elif (report := _REPORT.match(self.path)) is not None:
            self._report(report)
        else:
            self._text(HTTPStatus.NOT_FOUND, "not found")

    def _report(self, path: re.Match[str]) -> None:
        if not self._report_user():
            self.send_response(HTTPStatus.UNAUTHORIZED)
            self.send_header("WWW-Authenticate", 'Basic realm="Adyen reports"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        sim = self.server.simulator
        if path.group(1) != sim.notifier.settings.merchant_account:
            self._text(HTTPStatus.NOT_FOUND, "not found")
            return
        try:
            day = date(int(path.group(2)), int(path.group(3)), int(path.group(4)))
        except ValueError:
            self._text(HTTPStatus.NOT_FOUND, "not found")
            return
        body = payment_accounting_report(sim.transactions(), day=day,
                                         merchant_account=path.group(1), fees=sim.fees)
        self._bytes(HTTPStatus.OK, body.encode(), "text/csv")

    def _report_user(self) -> bool:
        scheme, _, encoded = (self.headers.get("Authorization") or "").partition(" ")
        try:
            given = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            return False
        user, password = self.server.report_credentials
        return scheme.lower() == "basic" and hmac.compare_digest(
            given, f"{user}:{password}".encode())

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
            request = loads(raw)
        except ValueError as exc:
            self._bytes(HTTPStatus.BAD_REQUEST, json.dumps([f"Bad JSON:1: {exc}"]).encode(),
                        "application/json")
            return
        problems = self.server.models.problems(request, root="SaleToPOIRequest")
        if problems:
            sim = self.server.simulator
            answer = replies.format_error(request, str(problems[0]), poi=sim.new_poi())
            self._send_reply(Reply(answer), checked=False)
            return
        if asynchronous:
            self._text(HTTPStatus.OK, "ok")
            threading.Thread(target=self._answer_later, args=(request, raw), daemon=True).start()
            return
        self._send_reply(self.server.simulator.handle(request, raw))

    def _answer_later(self, request: dict[str, Any], raw: bytes) -> None:
        reply = self.server.simulator.handle(request, raw)
        if reply.document is not None:
            self.server.simulator.notifier.send_event(dumps(reply.document).encode())

    def _send_reply(self, reply: Reply, *, checked: bool = True) -> None:
        """Send an answer, checked first against Adyen's models: a format error echoes
        what it refused, so only it is sent unchecked."""
        if reply.drop_connection:
            self.close_connection = True
            return
        if reply.document is None:
            self._text(HTTPStatus.OK, "")
            return
        root = next(iter(reply.document))
        problems = self.server.models.problems(reply.document, root=root) if checked else []
        if problems:
            self._text(HTTPStatus.INTERNAL_SERVER_ERROR,
                       "the simulator built an answer Adyen's models refuse: "
                       + "; ".join(str(p) for p in problems))
            return
        self._bytes(HTTPStatus.OK, dumps(reply.document).encode(), "application/json")

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
