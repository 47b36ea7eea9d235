"""Security headers on every answer: the register, the API and its reference page.

The Content-Security-Policy lets pages run scripts from tillflow's own origin only (no
inline script, no third-party host), never be framed, and talk to tillflow and to a device
agent on the register's own machine (loopback). The API reference gets Swagger UI's inline
styles as well.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_COMMON = ("default-src 'self'; script-src 'self'; img-src 'self' data: blob:; "
           "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
           "frame-ancestors 'none'; worker-src 'self'; manifest-src 'self'")
# CSP has no syntax for an IPv6 host: an agent on loopback is reached as 127.0.0.1.
PAGE_CSP = (f"{_COMMON}; style-src 'self'; connect-src 'self' http://127.0.0.1:* "
            "http://localhost:*")
DOCS_CSP = f"{_COMMON}; style-src 'self' 'unsafe-inline'; connect-src 'self'"
HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, docs_prefix: str) -> None:
        self.app = app
        self.docs_prefix = docs_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = DOCS_CSP if scope["path"].startswith(self.docs_prefix) else PAGE_CSP

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                headers.setdefault("content-security-policy", policy)
            await send(message)

        await self.app(scope, receive, with_headers)
