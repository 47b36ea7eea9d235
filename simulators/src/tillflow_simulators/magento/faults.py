"""What an injected fault looks like from a Magento store.

A 429 is what Magento's order-placement rate limiting (backpressure) answers; a 500 is
Magento's masked internal error; 502, 503 and 504 come from the web server or proxy in
front of PHP, as HTML.
"""

from __future__ import annotations

from starlette.responses import HTMLResponse, JSONResponse, Response

from tillflow_simulators.magento.errors import InternalError

PROXY_PAGES = {
    502: "502 Bad Gateway",
    503: "503 Service Temporarily Unavailable",
    504: "504 Gateway Time-out",
}


def error_response(status: int, retry_after: int | None) -> Response:
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    if status == 429:
        return JSONResponse(
            {"message": "Too Many Requests", "trace": None}, status_code=429, headers=headers
        )
    if status in PROXY_PAGES:
        title = PROXY_PAGES[status]
        page = f"<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"
        return HTMLResponse(page, status_code=status, headers=headers)
    if status >= 500:
        return JSONResponse(InternalError().body(), status_code=status, headers=headers)
    return JSONResponse({"message": "Bad Request"}, status_code=status, headers=headers)
