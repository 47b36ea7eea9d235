"""HTTP face of the Stripe Terminal simulator: reader endpoints here, the rest upstream.

Point the stripe library's API base at this server: `/v1/terminal/readers...` and the
reader test helpers are answered here, every other request is passed to the upstream
Stripe-compatible server (localstripe) unchanged.
"""

from __future__ import annotations

import json
import re
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode

import httpx

from tillflow_simulators.common.threaded_http import ServerThread
from tillflow_simulators.stripe_terminal.readers import ReaderApiError, ReaderFleet

_READER = r"/v1/terminal/readers/(?P<id>[A-Za-z0-9_]+)"
_HELPER = r"/v1/test_helpers/terminal/readers/(?P<id>[A-Za-z0-9_]+)"
_ROUTES = [
    ("POST", re.compile(r"/v1/terminal/readers"), "register"),
    ("GET", re.compile(r"/v1/terminal/readers"), "list"),
    ("GET", re.compile(_READER), "retrieve"),
    ("POST", re.compile(_READER + r"/process_payment_intent"), "process"),
    ("POST", re.compile(_READER + r"/cancel_action"), "cancel"),
    ("POST", re.compile(_HELPER + r"/present_payment_method"), "present"),
]
_NEW_NAME = re.compile(r"^allowed_payment_method_types(?=\[|$)")
_FORWARDED = ("Authorization", "Content-Type", "Idempotency-Key", "Stripe-Version")


class StripeTerminalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], *, upstream_url: str) -> None:
        super().__init__(address, _Handler)
        self.upstream = httpx.Client(base_url=upstream_url, timeout=httpx.Timeout(10.0))
        self.fleet = ReaderFleet(upstream=self.upstream)


class _Handler(BaseHTTPRequestHandler):
    server: StripeTerminalServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: request lines would only clutter test output."""

    def do_GET(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def do_DELETE(self) -> None:
        self._route("DELETE")

    def _route(self, method: str) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path = self.path.split("?", 1)[0]
        for verb, pattern, name in _ROUTES:
            match = pattern.fullmatch(path)
            if verb == method and match:
                self._reader_call(name, match.groupdict().get("id"), raw)
                return
        self._forward(method, raw)

    def _reader_call(self, name: str, reader_id: str | None, raw: bytes) -> None:
        authorization = self.headers.get("Authorization") or ""
        if not authorization.startswith("Bearer sk_"):
            self._json(401, {"error": {"type": "invalid_request_error", "message": "No key"}})
            return
        form = {key: values[-1] for key, values in parse_qs(raw.decode()).items()}
        fleet = self.server.fleet
        try:
            if name == "list":
                readers = [reader.as_dict() for reader in fleet.all()]
                body = {"object": "list", "data": readers, "has_more": False, "url": self.path}
                self._json(200, body)
                return
            reader = {
                "register": lambda: fleet.register(
                    registration_code=form.get("registration_code", ""),
                    label=form.get("label", ""),
                    location=form.get("location"),
                ),
                "retrieve": lambda: fleet.get(reader_id or ""),
                "process": lambda: fleet.process_payment_intent(
                    reader_id or "", form.get("payment_intent", ""), authorization
                ),
                "cancel": lambda: fleet.cancel_action(reader_id or ""),
                "present": lambda: fleet.present_payment_method(
                    reader_id or "", form.get("card_present[number]")
                ),
            }[name]()
        except ReaderApiError as error:
            self._json(error.status, error.body())
            return
        self._json(200, reader.as_dict())

    def _forward(self, method: str, raw: bytes) -> None:
        headers = {name: self.headers[name] for name in _FORWARDED if self.headers.get(name)}
        if method == "POST" and self.path.startswith("/v1/payment_intents"):
            raw = _older_parameter_names(raw)
        reply = self.server.upstream.request(method, self.path, content=raw, headers=headers)
        self._bytes(
            reply.status_code, reply.content, reply.headers.get("Content-Type", "text/plain")
        )

    def _json(self, status: int, body: Any) -> None:
        self._bytes(status, json.dumps(body).encode(), "application/json")

    def _bytes(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _older_parameter_names(raw: bytes) -> bytes:
    """Rename `allowed_payment_method_types` (API 2026-10) to the name localstripe knows."""
    pairs = parse_qsl(raw.decode(), keep_blank_values=True)
    renamed = [(_NEW_NAME.sub("payment_method_types", key), value) for key, value in pairs]
    return urlencode(renamed).encode()


class RunningStripeTerminal:
    """The simulator on 127.0.0.1 (a free port by default), served from a thread."""

    def __init__(self, *, upstream_url: str, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server = StripeTerminalServer((host, port), upstream_url=upstream_url)
        self.fleet = self._server.fleet
        self._serving = ServerThread(self._server, name="stripe-terminal-simulator")

    @property
    def url(self) -> str:
        return self._serving.url

    def __enter__(self) -> RunningStripeTerminal:
        self._serving.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._serving.stop()
        self._server.upstream.close()
