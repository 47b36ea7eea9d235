"""The browser register: static assets served at ``/register``, no build step."""

from __future__ import annotations

from pathlib import Path

from starlette.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"


def register_app() -> StaticFiles:
    """The register's files; ``index.html`` answers the folder itself."""
    return StaticFiles(directory=STATIC, html=True)
