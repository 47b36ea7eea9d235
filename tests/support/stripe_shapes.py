"""Stripe's documented behaviour where localstripe lacks it, in front of localstripe.

localstripe ignores ``Idempotency-Key``, has no Search API and refuses ``created``
filters on PaymentIntent lists. This loopback server forwards everything else to it
unchanged and does those three as Stripe documents them, over localstripe's own data:

- a POST whose Idempotency-Key was seen before gets the first answer again, with
  ``Idempotent-Replayed: true`` (other parameters with the same key: 400
  ``idempotency_error``);
- ``GET /v1/payment_intents/search?query=metadata['KEY']:'VALUE'`` answers a
  ``search_result``;
- ``GET /v1/payment_intents`` needs ``created[gte]`` and ``created[lt]`` unless it asks
  for one object (``limit=1``, the connection check): a list of the whole account is
  answered 400 here, so a test fails if tillflow asks for one. Newest first, ``limit``
  at most 100, ``starting_after`` and ``has_more``; its ``expand`` paths are
  localstripe's to expand.

Every request is kept in ``requests`` so that tests can check its method, path, query
and headers.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}
_SEARCH = re.compile(r"metadata\['([^'\\]+)'\]:'((?:[^'\\]|\\.)*)'")


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    form: dict[str, list[str]]


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


class StripeShapes:
    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.requests: list[Seen] = []
        self._first: dict[str, tuple[bytes, Answer]] = {}
        self._lock = threading.Lock()

    def seen(self, method: str, path: str) -> list[Seen]:
        with self._lock:
            return [r for r in self.requests if (r.method, r.path) == (method, path)]

    def answer(self, method: str, target: str, headers: dict[str, str],
               body: bytes) -> Answer:
        parts = urlsplit(target)
        seen = Seen(method, parts.path, parse_qs(parts.query),
                    {k.lower(): v for k, v in headers.items()},
                    parse_qs(body.decode()) if body else {})
        with self._lock:
            self.requests.append(seen)
        if method == "POST" and "idempotency-key" in seen.headers:
            return self._idempotent(target, headers, body, seen.headers["idempotency-key"])
        if (method, parts.path) == ("GET", "/v1/payment_intents/search"):
            return self._search(seen.query)
        if (method, parts.path) == ("GET", "/v1/payment_intents"):
            return self._list(seen.query)
        return self._forward(method, target, headers, body)

    def _idempotent(self, target: str, headers: dict[str, str], body: bytes,
                    key: str) -> Answer:
        with self._lock:
            first = self._first.get(key)
        if first is not None:
            if first[0] != body:
                return _error(400, "idempotency_error", "Keys for idempotent requests can "
                              "only be used with the same parameters they were first used "
                              "with.")
            return Answer(first[1].status, first[1].body, (("Idempotent-Replayed", "true"),))
        made = self._forward("POST", target, headers, body)
        if made.status < 500:
            with self._lock:
                self._first.setdefault(key, (body, made))
        return made

    def _search(self, query: dict[str, list[str]]) -> Answer:
        matched = _SEARCH.fullmatch((query.get("query") or [""])[0])
        if matched is None:
            return _error(400, "invalid_request_error", "unsupported search query")
        key, value = matched.group(1), re.sub(r"\\(.)", r"\1", matched.group(2))
        found = [i for i in self._intents() if (i.get("metadata") or {}).get(key) == value]
        return _json({"object": "search_result", "url": "/v1/payment_intents/search",
                      "has_more": False, "next_page": None, "data": found})

    def _list(self, query: dict[str, list[str]]) -> Answer:
        try:
            limit = int((query.get("limit") or ["10"])[0])
            since, until = (0, 2**62) if limit == 1 and "created[gte]" not in query else (
                int(query["created[gte]"][0]), int(query["created[lt]"][0]))
        except (KeyError, ValueError):
            return _error(400, "invalid_request_error",
                          "list PaymentIntents by a created[gte]/created[lt] range")
        if not 1 <= limit <= 100:
            return _error(400, "invalid_request_error", "limit must be 1 to 100")
        paths = [path for key, values in sorted(query.items()) if key.startswith("expand[")
                 for path in values]
        expand = "".join(f"&expand[{n}]={path}" for n, path in enumerate(paths))
        listed = sorted((i for i in self._intents(expand) if since <= i["created"] < until),
                        key=lambda i: (i["created"], i["id"]), reverse=True)
        after = next(iter(query.get("starting_after", [])), None)
        if after is not None:
            ids = [i["id"] for i in listed]
            listed = listed[ids.index(after) + 1:] if after in ids else []
        return _json({"object": "list", "url": "/v1/payment_intents",
                      "has_more": len(listed) > limit, "data": listed[:limit]})

    def _intents(self, expand: str = "") -> list[dict[str, Any]]:
        """Every PaymentIntent localstripe holds (its own list pages through them)."""
        found: list[dict[str, Any]] = []
        after = ""
        while True:
            page = json.loads(self._forward(
                "GET", f"/v1/payment_intents?limit=100{after}{expand}",
                {"Authorization": "Bearer sk_test_shapes"}, b"").body)
            found.extend(page["data"])
            if not page["has_more"]:
                return found
            after = f"&starting_after={page['data'][-1]['id']}"

    def _forward(self, method: str, target: str, headers: dict[str, str],
                 body: bytes) -> Answer:
        upstream = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            upstream.request(method, target, body=body or None, headers={
                k: v for k, v in headers.items() if k.lower() not in _HOP_BY_HOP})
            reply = upstream.getresponse()
            content = reply.read()
        finally:
            upstream.close()
        kept = tuple((k, v) for k, v in reply.getheaders() if k.lower() not in _HOP_BY_HOP)
        return Answer(reply.status, content, kept)


def _json(body: dict[str, Any]) -> Answer:
    return Answer(200, json.dumps(body).encode(), (("Content-Type", "application/json"),))


def _error(status: int, kind: str, message: str) -> Answer:
    body = {"error": {"type": kind, "message": message}}
    return Answer(status, json.dumps(body).encode(), (("Content-Type", "application/json"),))


def _handler(shapes: StripeShapes) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            answer = shapes.answer(self.command, self.path, dict(self.headers.items()), body)
            self.send_response(answer.status)
            for key, value in answer.headers:
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        def do_GET(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self._serve()

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: tests read ``shapes.requests``."""

    return Handler


@contextmanager
def stripe_shapes(upstream: str) -> Iterator[tuple[StripeShapes, str]]:
    """The server and its URL, on a free loopback port until the block ends."""
    shapes = StripeShapes(upstream)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(shapes))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield shapes, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
