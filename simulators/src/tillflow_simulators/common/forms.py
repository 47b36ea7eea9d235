"""``application/x-www-form-urlencoded`` bodies read without python-multipart: the OAuth
token endpoints take nothing else."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request


async def form_fields(request: Request) -> dict[str, str]:
    body = (await request.body()).decode("utf-8", errors="replace")
    return dict(parse_qsl(body, keep_blank_values=True))
