"""An ERP whose TLS certificate is refused: said in words its owner can act on.

A refused certificate is retried like any unreachable ERP (a certificate gets renewed),
but a connection's check names it as something to fix (``settings.ca_file``), not as an
ERP that is away.
"""

from __future__ import annotations

import ssl

from tillflow.ports.accounting import ErpUnavailable


class CertificateRefused(ErpUnavailable):
    """The ERP's certificate did not verify against the trusted authorities."""


def refused_certificate(exc: BaseException, *, erp: str, url: str) -> CertificateRefused | None:
    """``exc`` as a refused certificate, or None when it is another failure."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return CertificateRefused(
                f"{erp}'s certificate at {url} was refused ({cause.verify_message}): give "
                f"the connection the certificate of the authority that signed it as "
                f"settings.ca_file")
        cause = cause.__cause__ or cause.__context__
    return None
