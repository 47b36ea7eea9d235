"""The API reference at ``/api/v1/docs``: Swagger UI from files installed with tillflow.

The page (``web/docs/index.html``) names its files relative to ``/api/v1/``: Swagger UI's
bundle and styles under ``docs/swagger-ui/`` (from the pinned ``fastapi-offline``
package), the script that starts it under ``docs/assets/``.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

from tillflow.web import DOCS, swagger_ui_files


def install(app: FastAPI, *, prefix: str) -> None:
    page = (DOCS / "index.html").read_text()

    @app.get(f"{prefix}/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs() -> HTMLResponse:
        return HTMLResponse(page)

    app.mount(f"{prefix}/docs/swagger-ui", StaticFiles(directory=swagger_ui_files()),
              name="swagger-ui")
    app.mount(f"{prefix}/docs/assets", StaticFiles(directory=DOCS), name="docs-assets")
