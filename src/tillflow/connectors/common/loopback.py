"""The OAuth 2.0 authorization code obtained through a browser and a loopback callback
(RFC 8252): the user consents on the platform's page, which sends the browser back to a
one-shot server on this machine with the code.

The server listens only on the redirect URI's loopback address and port, answers the
first request to its path, and checks ``state`` (a random value per attempt) so a page
of another site cannot slip its own code in. With PKCE (RFC 7636, S256) the code is
worthless to whoever else sees it.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from tillflow.connectors.common.oauth2 import OAuthEndpoint, authorize_url, pkce_pair
from tillflow.connectors.common.tls import is_loopback
from tillflow.ports.accounting import ErpRejected, TokenGrant

PAGE = (b"<!doctype html><title>tillflow</title><p>tillflow is connected: you may close "
        b"this page.</p>")


class ConsentRefused(ErpRejected):
    """The user declined, the platform answered an error, or no answer came in time."""


@dataclass(frozen=True)
class Consent:
    grant: TokenGrant
    answer: dict[str, str]  # what the platform added to the callback (QuickBooks' realmId)


@dataclass(frozen=True)
class App:
    """A platform's authorize page and token endpoint, for one registered app."""

    authorize_url: str
    endpoint: OAuthEndpoint
    client_id: str
    scopes: tuple[str, ...]
    pkce: bool


def obtain_consent(app: App, *, redirect_uri: str, open_page: Callable[[str], object],
                   timeout: float = 300.0) -> Consent:
    """Open the consent page and wait for its answer; returns the tokens it grants."""
    state = secrets.token_urlsafe(24)
    verifier, challenge = pkce_pair() if app.pkce else (None, None)
    page = authorize_url(app.authorize_url, client_id=app.client_id,
                         redirect_uri=redirect_uri, scopes=app.scopes, state=state,
                         challenge=challenge)
    with Callback(redirect_uri) as callback:
        open_page(page)
        answer = callback.wait(timeout)
    if answer.get("state") != state:
        raise ConsentRefused("the consent page answered with another state: try again")
    if "error" in answer or "code" not in answer:
        raise ConsentRefused(f"the platform refused the consent: "
                             f"{answer.get('error', 'no code')}")
    grant = app.endpoint.exchange(code=answer["code"], redirect_uri=redirect_uri,
                                  verifier=verifier)
    extra = {k: v for k, v in answer.items() if k not in ("code", "state")}
    return Consent(grant, extra)


class Callback:
    """A one-shot HTTP server at a loopback redirect URI."""

    def __init__(self, redirect_uri: str) -> None:
        parts = urlsplit(redirect_uri)
        if parts.scheme != "http" or not parts.hostname or not is_loopback(parts.hostname):
            raise ValueError("the redirect URI must be http:// on this machine's loopback "
                             "(127.0.0.1 or localhost)")
        self.path = parts.path or "/"
        self._answer: dict[str, str] | None = None
        self._arrived = threading.Event()
        self._server = ThreadingHTTPServer((parts.hostname, parts.port or 80), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Callback:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def wait(self, timeout: float) -> dict[str, str]:
        if not self._arrived.wait(timeout) or self._answer is None:
            raise ConsentRefused(f"no answer from the consent page within {timeout:.0f} s")
        return self._answer

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        callback = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path != callback.path or callback._arrived.is_set():
                    self.send_error(404)
                    return
                callback._answer = dict(parse_qsl(parts.query))
                callback._arrived.set()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(PAGE)))
                self.end_headers()
                self.wfile.write(PAGE)

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: the code in the address must not reach a log."""

        return Handler
