"""TLS for shop connections: the https rule, a private CA, and certificate problems told in
plain words.

A shop's API keys travel in every request, so a shop is reached over HTTPS unless it sits
on this machine's loopback. Its certificate is checked against the usual authorities
(``SSL_CERT_FILE`` or ``SSL_CERT_DIR`` replace them, as for any Python program), or
against the connection's own ``ca_file`` (a PEM file the server reads) for a shop whose
certificate a private authority signed.
"""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tillflow.connectors.common.setting_checks import bad

PEM_CERTIFICATE = b"-----BEGIN CERTIFICATE-----"

# OpenSSL's verification codes (X509_V_ERR_*), grouped by what the owner has to do.
_UNTRUSTED = frozenset({2, 18, 19, 20, 21})
_EXPIRED, _NOT_YET_VALID, _REVOKED = 10, 9, 23
_WRONG_HOST = frozenset({62, 64})


def is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_shop_url(settings: Mapping[str, Any], key: str = "shop_url") -> None:
    """An http(s) address; plain http only for a shop on loopback."""
    value = settings.get(key)
    if key not in settings:
        return
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        bad(key, "must be an https:// address")
    parts = urlsplit(value)
    if not parts.hostname:
        bad(key, "must name the shop's host")
    if parts.scheme == "http" and not is_loopback(parts.hostname or ""):
        bad(key, "must be an https:// address: the shop's keys would cross the network "
                 "unencrypted (plain http is accepted on loopback only)")


def check_ca_file(settings: Mapping[str, Any], key: str = "ca_file") -> None:
    """A readable PEM file of one or more certificates, checked when the connection is made
    so that a wrong path shows now, not at the first sync."""
    if key not in settings:
        return
    value = settings[key]
    if not isinstance(value, str) or not value.strip():
        bad(key, "must be the path of a PEM certificate file")
    path = Path(value)
    if not path.is_absolute():
        bad(key, "must be an absolute path (the server reads it, from any directory)")
    try:
        content = path.read_bytes()
    except OSError as exc:
        bad(key, f"cannot be read: {exc.strerror or exc}")
    if PEM_CERTIFICATE not in content:
        bad(key, "holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
    try:
        ssl.create_default_context(cafile=value)
    except ssl.SSLError as exc:
        bad(key, f"is not a usable PEM certificate: {exc.reason or exc}")


def verify_setting(settings: Mapping[str, Any]) -> ssl.SSLContext | bool:
    """What the HTTP client checks the shop's certificate against: the connection's
    ``ca_file``, else the default authorities (which ``SSL_CERT_FILE`` replaces)."""
    ca_file = settings.get("ca_file")
    if isinstance(ca_file, str) and ca_file:
        return ssl.create_default_context(cafile=ca_file)
    return True


def certificate_problem(exc: BaseException, *, host: str) -> str | None:
    """What is wrong with the shop's TLS, in words an owner can act on; None when ``exc``
    is no TLS failure."""
    for cause in _chain(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            return _verification(cause, host)
        if isinstance(cause, ssl.SSLError):
            return (f"the TLS handshake with {host} failed ({cause.reason or cause}); "
                    "is the address really https:// on that port?")
    return None


def _verification(error: ssl.SSLCertVerificationError, host: str) -> str:
    code = error.verify_code
    if code in _UNTRUSTED:
        return (f"the certificate of {host} is not trusted: it is self-signed or issued by "
                "an authority this server does not know; give the connection that "
                "authority's certificate as settings.ca_file (a PEM file), or set "
                "SSL_CERT_FILE")
    if code == _EXPIRED:
        return f"the certificate of {host} has expired: the shop must renew it"
    if code == _NOT_YET_VALID:
        return (f"the certificate of {host} is not valid yet: check this server's clock "
                "and the certificate's start date")
    if code == _REVOKED:
        return f"the certificate of {host} has been revoked by its issuer"
    if code in _WRONG_HOST:
        return (f"the certificate presented is for another host, not {host}: check "
                "settings.shop_url")
    return f"the certificate of {host} was refused: {error.verify_message}"


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen
