"""The browser register at ``/register`` and the back office at ``/office``: static assets
shipped in the package, plain JavaScript modules, no build step."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from starlette.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"


def register_app() -> StaticFiles:
    """The register's files; ``index.html`` answers the folder itself."""
    return StaticFiles(directory=STATIC, html=True)


OFFICE = Path(__file__).parent / "office"


def office_app() -> StaticFiles:
    """The back office's files; ``index.html`` answers the folder itself."""
    return StaticFiles(directory=OFFICE, html=True)


DOCS = Path(__file__).parent / "docs"
"""The API reference page and its starter script (Swagger UI on ``/api/v1/openapi.json``)."""


def swagger_ui_files() -> Path:
    """Swagger UI's bundle and styles as the pinned ``fastapi-offline`` package ships them:
    the reference works offline and runs no script from a third party's server."""
    return Path(str(files("fastapi_offline") / "static"))
