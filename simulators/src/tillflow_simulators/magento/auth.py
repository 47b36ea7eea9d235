"""Who is calling: an integration (OAuth 1.0a signature, or its access token as a bearer
token where the store allows it) or a guest.

Magento checks an OAuth request in a fixed order and words each refusal; the signature
itself is checked by oauthlib. Since 2.4.4 Magento signs and checks with HMAC-SHA256 only
(an HMAC-SHA1 request is refused as an unsupported method), and since 2.4.4 an
integration's access token is no bearer token unless the store setting
``oauth/consumer/enable_integration_as_bearer`` is on. A bearer token the store does not
accept makes the caller a guest, whom protected routes refuse.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from oauthlib.oauth1 import SIGNATURE_HMAC_SHA256, RequestValidator, ResourceEndpoint
from oauthlib.oauth1.rfc5849 import signature

from tillflow_simulators.magento.errors import (
    MagentoError,
    NotAuthenticated,
    required_fields,
)

Caller = Literal["integration", "guest"]
KEY_LENGTH = 32
REQUIRED = (
    "oauth_consumer_key",
    "oauth_signature",
    "oauth_signature_method",
    "oauth_nonce",
    "oauth_timestamp",
    "oauth_token",
)
# Magento refuses a timestamp more than ten minutes ahead; it does not expire old ones.
FUTURE_DEVIATION = 600
INTEGRATION_CONSUMER_ID = 1


@dataclass(frozen=True)
class Integration:
    """An activated integration: what System > Extensions > Integrations shows."""

    consumer_key: str
    consumer_secret: str
    access_token: str
    access_token_secret: str
    bearer_allowed: bool = False


class Authenticator:
    def __init__(self, integration: Integration) -> None:
        self.integration = integration
        self._nonces: set[str] = set()
        self._lock = threading.Lock()
        self._endpoint = ResourceEndpoint(_Validator(integration))

    def caller(self, *, method: str, url: str, headers: Mapping[str, str], body: str) -> Caller:
        authorization = headers.get("authorization", "")
        scheme, _, credentials = authorization.partition(" ")
        if scheme.lower() == "bearer":
            granted = (
                self.integration.bearer_allowed
                and credentials.strip() == self.integration.access_token
            )
            return "integration" if granted else "guest"
        params = dict(
            signature.collect_parameters(
                uri_query=url.partition("?")[2],
                headers=dict(headers),
                body=body if _form(headers) else None,
                exclude_oauth_signature=False,
            )
        )
        if not params.get("oauth_consumer_key"):
            return "guest"
        self._check_protocol(params)
        valid, _ = self._endpoint.validate_protected_resource_request(
            url, http_method=method, body=body if _form(headers) else None, headers=dict(headers)
        )
        if not valid:
            raise NotAuthenticated("The signature is invalid. Verify and try again.")
        return "integration"

    def _check_protocol(self, params: Mapping[str, str]) -> None:
        """Magento's checks before the signature, in Magento's order and words."""
        version = params.get("oauth_version")
        if version is not None and version != "1.0":
            raise MagentoError('The "%1" Oauth version isn\'t supported.', [version])
        missing = [name for name in REQUIRED if not params.get(name)]
        if missing:
            raise required_fields(missing)
        if len(params["oauth_token"]) != KEY_LENGTH:
            raise MagentoError("The token length is invalid. Check the length and try again.")
        if params["oauth_signature_method"] != SIGNATURE_HMAC_SHA256:
            raise MagentoError(
                "Signature method %1 is not supported", [params["oauth_signature_method"]]
            )
        key = params["oauth_consumer_key"]
        if len(key) != KEY_LENGTH:
            raise NotAuthenticated("Consumer key is not the correct length")
        if key != self.integration.consumer_key:
            raise NotAuthenticated("A consumer having the specified key does not exist")
        self._check_nonce(params["oauth_nonce"], params["oauth_timestamp"])
        if params["oauth_token"] != self.integration.access_token:
            raise NotAuthenticated("Specified token does not exist")

    def _check_nonce(self, nonce: str, timestamp: str) -> None:
        stamp = int(timestamp) if timestamp.isdigit() else 0
        if stamp <= 0 or stamp > time.time() + FUTURE_DEVIATION:
            raise NotAuthenticated("The timestamp is invalid. Verify and try again.")
        with self._lock:
            if nonce in self._nonces:
                raise NotAuthenticated(
                    "The nonce is already being used by the consumer with ID %1. "
                    "Verify the nonce and try again.",
                    [INTEGRATION_CONSUMER_ID],
                )
            self._nonces.add(nonce)


class _Validator(RequestValidator):
    """What oauthlib needs to check a signature against the one integration."""

    # Magento's keys are 32 characters; its own checks ran before oauthlib's.
    safe_characters = set("abcdefghijklmnopqrstuvwxyz0123456789")
    client_key_length = access_token_length = (KEY_LENGTH, KEY_LENGTH)
    nonce_length = (1, 255)
    enforce_ssl = False
    timestamp_lifetime = 10 * 365 * 24 * 3600

    def __init__(self, integration: Integration) -> None:
        super().__init__()
        self._integration = integration

    @property
    def allowed_signature_methods(self) -> tuple[str, ...]:
        return (SIGNATURE_HMAC_SHA256,)

    @property
    def dummy_client(self) -> str:
        return "0" * KEY_LENGTH

    @property
    def dummy_access_token(self) -> str:
        return "0" * KEY_LENGTH

    def check_nonce(self, nonce: str) -> bool:
        return bool(nonce)

    def validate_client_key(self, client_key: str, request: Any) -> bool:
        return bool(client_key == self._integration.consumer_key)

    def get_client_secret(self, client_key: str, request: Any) -> str:
        return self._integration.consumer_secret

    def validate_access_token(self, client_key: str, token: str, request: Any) -> bool:
        return bool(token == self._integration.access_token)

    def get_access_token_secret(self, client_key: str, token: str, request: Any) -> str:
        return self._integration.access_token_secret

    def validate_timestamp_and_nonce(self, *args: Any, **kwargs: Any) -> bool:
        return True

    def validate_realms(self, *args: Any, **kwargs: Any) -> bool:
        return True


def _form(headers: Mapping[str, str]) -> bool:
    return "application/x-www-form-urlencoded" in headers.get("content-type", "")
