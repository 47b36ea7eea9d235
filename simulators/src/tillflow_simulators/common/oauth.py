"""OAuth 2.0 grants as an accounting platform keeps them: codes, access and refresh tokens.

One ``Consent`` is what a user granted one app (its scopes and what it may reach); every
token descends from one. Authorization codes are single-use and may carry a PKCE
challenge (RFC 7636). Refresh tokens rotate: a refresh answers a new refresh token and
the one presented is spent; a platform may allow a grace period in which the spent one
still answers the same tokens again (for a client that lost the answer). Revoking any
token of a consent revokes the consent and every token from it. The platforms wrap
these errors in their own answers.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tillflow_simulators.common.clock import Clock


class OAuthError(Exception):
    """An RFC 6749 error code (``invalid_grant``, ``invalid_client`` ...) and its status."""

    def __init__(self, error: str, *, status: int = 400, description: str = "") -> None:
        super().__init__(f"{error}: {description}" if description else error)
        self.error = error
        self.status = status
        self.description = description


class TokenExpired(Exception):
    def __init__(self, expired_at: datetime) -> None:
        super().__init__(f"token expired at {expired_at.isoformat()}")
        self.expired_at = expired_at


class TokenUnknown(Exception):
    """Not a token this platform issued, or one whose consent was revoked."""


@dataclass(frozen=True)
class Lifetimes:
    access: timedelta
    refresh: timedelta
    # How long a spent refresh token still answers its successor (zero: never).
    refresh_grace: timedelta = timedelta(0)
    code: timedelta = timedelta(minutes=5)


@dataclass(frozen=True)
class Client:
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]


@dataclass
class Consent:
    consent_id: str
    client_id: str
    scopes: tuple[str, ...]
    # What the platform attaches to the consent: the tenants or the realm it reaches.
    reach: dict[str, Any] = field(default_factory=dict)
    revoked: bool = False


@dataclass(frozen=True)
class TokenSet:
    access_token: str
    refresh_token: str
    expires_in: int
    refresh_expires_in: int
    scopes: tuple[str, ...]
    consent_id: str


@dataclass
class _Code:
    consent_id: str
    redirect_uri: str
    challenge: str | None
    method: str
    expires_at: datetime


@dataclass
class _Refresh:
    consent_id: str
    expires_at: datetime
    spent_at: datetime | None = None
    successor: TokenSet | None = None


def pkce_challenge(verifier: str, method: str = "S256") -> str:
    """The code challenge a client derives from its verifier (RFC 7636 §4.2)."""
    if method == "plain":
        return verifier
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class GrantStore:
    def __init__(self, *, clock: Clock, lifetimes: Lifetimes, token_prefix: str = "") -> None:
        self.clock = clock
        self.lifetimes = lifetimes
        self._prefix = token_prefix
        self._lock = threading.RLock()
        self._clients: dict[str, Client] = {}
        self._consents: dict[str, Consent] = {}
        self._codes: dict[str, _Code] = {}
        self._access: dict[str, tuple[str, datetime]] = {}
        self._refresh: dict[str, _Refresh] = {}

    # -- set-up ---------------------------------------------------------------------

    def register_client(self, client: Client) -> None:
        with self._lock:
            self._clients[client.client_id] = client

    def grant(self, *, client_id: str, scopes: tuple[str, ...], reach: dict[str, Any]) -> Consent:
        """A user's consent, as the platform's consent screen would record it."""
        with self._lock:
            self._client(client_id)
            consent = Consent(secrets.token_hex(8), client_id, scopes, dict(reach))
            self._consents[consent.consent_id] = consent
            return consent

    def issue(self, consent_id: str) -> TokenSet:
        """Tokens for a consent without the browser round trip (what a CLI prints)."""
        with self._lock:
            return self._issue(self._consents[consent_id])

    # -- the authorization-code flow ---------------------------------------------------

    def authorize(
        self,
        *,
        consent: Consent,
        redirect_uri: str,
        code_challenge: str | None = None,
        code_challenge_method: str = "plain",
    ) -> str:
        with self._lock:
            client = self._client(consent.client_id)
            if redirect_uri not in client.redirect_uris:
                raise OAuthError("invalid_request", description="redirect_uri not registered")
            if code_challenge_method not in ("plain", "S256"):
                raise OAuthError("invalid_request", description="unsupported challenge method")
            code = secrets.token_urlsafe(24)
            self._codes[code] = _Code(consent.consent_id, redirect_uri, code_challenge,
                                      code_challenge_method,
                                      self.clock.now() + self.lifetimes.code)
            return code

    def exchange_code(
        self,
        *,
        client_id: str,
        client_secret: str | None,
        code: str,
        redirect_uri: str,
        code_verifier: str | None,
    ) -> TokenSet:
        with self._lock:
            client = self._client(client_id)
            found = self._codes.pop(code, None)  # single-use, even when refused below
            if found is None or found.expires_at <= self.clock.now():
                raise OAuthError("invalid_grant")
            consent = self._consents[found.consent_id]
            if consent.client_id != client_id or found.redirect_uri != redirect_uri:
                raise OAuthError("invalid_grant")
            if found.challenge is not None:
                if code_verifier is None or not hmac.compare_digest(
                        pkce_challenge(code_verifier, found.method), found.challenge):
                    raise OAuthError("invalid_grant")
            elif not _same_secret(client, client_secret):
                raise OAuthError("invalid_client", status=401)
            return self._issue(consent)

    def refresh(self, *, client_id: str, client_secret: str | None, refresh_token: str) -> TokenSet:
        with self._lock:
            client = self._client(client_id)
            if client_secret is not None and not _same_secret(client, client_secret):
                raise OAuthError("invalid_client", status=401)
            held = self._refresh.get(refresh_token)
            now = self.clock.now()
            if held is None or held.expires_at <= now:
                raise OAuthError("invalid_grant")
            consent = self._consents[held.consent_id]
            if consent.revoked or consent.client_id != client_id:
                raise OAuthError("invalid_grant")
            if held.spent_at is not None:
                return self._replay_within_grace(held, now)
            tokens = self._issue(consent)
            held.spent_at, held.successor = now, tokens
            return tokens

    def _replay_within_grace(self, held: _Refresh, now: datetime) -> TokenSet:
        assert held.spent_at is not None
        assert held.successor is not None
        successor = self._refresh.get(held.successor.refresh_token)
        within = now - held.spent_at < self.lifetimes.refresh_grace
        if not within or successor is None or successor.spent_at is not None:
            raise OAuthError("invalid_grant")
        return held.successor

    # -- using and ending tokens --------------------------------------------------------

    def consent_for(self, access_token: str) -> Consent:
        """The live consent behind a bearer token; ``TokenExpired`` or ``TokenUnknown``."""
        with self._lock:
            held = self._access.get(access_token)
            if held is None:
                raise TokenUnknown()
            consent_id, expires_at = held
            if expires_at <= self.clock.now():
                raise TokenExpired(expires_at)
            consent = self._consents[consent_id]
            if consent.revoked:
                raise TokenUnknown()
            return consent

    def revoke(self, token: str) -> bool:
        """Revoke the consent behind an access or refresh token; False if unknown."""
        with self._lock:
            consent_id = None
            if token in self._refresh:
                consent_id = self._refresh[token].consent_id
            elif token in self._access:
                consent_id = self._access[token][0]
            if consent_id is None:
                return False
            self._consents[consent_id].revoked = True
            return True

    def revoke_consent(self, consent_id: str) -> None:
        with self._lock:
            self._consents[consent_id].revoked = True

    def expire_access_tokens(self) -> None:
        """Every access token issued so far expires now, as 30 or 60 minutes later would."""
        with self._lock:
            now = self.clock.now()
            self._access = {token: (consent, min(expiry, now))
                            for token, (consent, expiry) in self._access.items()}

    def consents(self) -> list[Consent]:
        with self._lock:
            return list(self._consents.values())

    # -- internals ----------------------------------------------------------------------

    def _client(self, client_id: str) -> Client:
        client = self._clients.get(client_id)
        if client is None:
            raise OAuthError("invalid_client", status=401)
        return client

    def _issue(self, consent: Consent) -> TokenSet:
        now = self.clock.now()
        access = self._prefix + secrets.token_urlsafe(32)
        refresh = self._prefix + secrets.token_urlsafe(32)
        self._access[access] = (consent.consent_id, now + self.lifetimes.access)
        self._refresh[refresh] = _Refresh(consent.consent_id, now + self.lifetimes.refresh)
        return TokenSet(access, refresh, int(self.lifetimes.access.total_seconds()),
                        int(self.lifetimes.refresh.total_seconds()), consent.scopes,
                        consent.consent_id)


def _same_secret(client: Client, secret: str | None) -> bool:
    return secret is not None and hmac.compare_digest(client.client_secret, secret)


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """``(client_id, client_secret)`` from an ``Authorization: Basic`` header."""
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return (client_id, secret) if sep else None
