"""The agent's HTTP API: ``POST /print``, ``POST /drawer/open``, ``GET /status``, ``GET /scans``.

Every route needs ``Authorization: Bearer <token>`` with the token the agent was paired
with at start. Print and drawer requests are queued before they are answered, so a
printer that is offline makes them wait, and a restart does not lose them.
"""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import uuid4

from fastapi import Depends, FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field
from starlette.middleware.cors import CORSMiddleware

from tillflow.devices.agent.print_jobs import DrawerOpening, JobQueue, PrintJob
from tillflow.devices.agent.scans import ScanHub, scan_event
from tillflow.devices.agent.settings import AgentSettings
from tillflow.devices.agent.worker import PrintWorker
from tillflow.devices.scanner import ScannerPort, SerialScanner, open_port
from tillflow.receipt_layout.data import ReceiptData
from tillflow.receipt_layout.document import ReceiptDocument
from tillflow.receipt_layout.escpos import encode
from tillflow.receipt_layout.render import render_receipt

Clock = Callable[[], datetime]


class AgentError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class PrintRequest(BaseModel):
    receipt: ReceiptData
    open_drawer: bool | None = None


class DrawerRequest(BaseModel):
    user: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    kind: Literal["no_sale", "cash"] = "no_sale"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(settings: AgentSettings, *, clock: Clock = _utc_now) -> FastAPI:
    """The agent for one register; its worker and scanner run while the app is served."""
    queue = JobQueue(settings.queue_path)
    worker = PrintWorker(
        queue=queue, transport=settings.transport, clock=clock, retry_seconds=settings.retry_seconds
    )
    hub = ScanHub()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        scanner = _start_scanner(settings, hub)
        app.state.scanner = scanner
        worker.start()
        try:
            yield
        finally:
            worker.stop()
            if scanner is not None:
                scanner.stop()

    app = FastAPI(title="tillflow device agent", lifespan=lifespan)
    if settings.allowed_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=list(settings.allowed_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["authorization", "content-type", "idempotency-key"],
        )
    app.state.scanner = None
    _install_errors(app)
    authorised = Depends(_bearer(settings.token))

    @app.post("/print", status_code=202, dependencies=[authorised])
    def print_receipt(
        body: PrintRequest, idempotency_key: Annotated[str, Header(min_length=1)]
    ) -> JSONResponse:
        document = render_receipt(
            body.receipt, profile=settings.profile, open_drawer=body.open_drawer
        )
        job, created = _enqueue(
            queue,
            key=idempotency_key,
            kind="receipt",
            document=document,
            settings=settings,
            clock=clock,
        )
        worker.wake()
        return JSONResponse(_job_json(job, created=created), status_code=202 if created else 200)

    @app.get("/print/{job_id}", dependencies=[authorised])
    def job_status(job_id: str) -> dict[str, Any]:
        job = queue.get(job_id)
        if job is None:
            raise AgentError(404, "not_found", f"no print job {job_id}")
        return _job_json(job, created=False)

    @app.post("/drawer/open", status_code=202, dependencies=[authorised])
    def open_drawer(
        body: DrawerRequest, idempotency_key: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        document = ReceiptDocument(blocks=(settings.profile.drawer.kick(),))
        key = idempotency_key or str(uuid4())
        job, created = _enqueue(
            queue, key=key, kind="drawer", document=document, settings=settings, clock=clock
        )
        if created:
            reason = body.reason if body.kind == "no_sale" else f"cash: {body.reason}"
            queue.log_drawer_opening(
                DrawerOpening(job_id=job.id, user=body.user, reason=reason, opened_at=clock())
            )
        worker.wake()
        return JSONResponse(_job_json(job, created=created), status_code=202 if created else 200)

    @app.get("/status", dependencies=[authorised])
    def status() -> dict[str, Any]:
        printer = worker.status
        return {
            "register": settings.register,
            "printer": asdict(printer) | {"ready": printer.ready},
            "queue": queue.counts(),
            "scanner": _scanner_json(app.state.scanner, streams=hub.subscribers),
        }

    @app.get("/scans", dependencies=[authorised])
    def scans() -> StreamingResponse:
        return StreamingResponse(hub.stream(), media_type="text/event-stream")

    return app


def _enqueue(
    queue: JobQueue,
    *,
    key: str,
    kind: str,
    document: ReceiptDocument,
    settings: AgentSettings,
    clock: Clock,
) -> tuple[PrintJob, bool]:
    data = encode(document, profile=settings.profile)
    job, created = queue.enqueue(idempotency_key=key, kind=kind, data=data, now=clock())
    if not created and (job.kind, job.data) != (kind, data):
        raise AgentError(
            409, "idempotency_conflict", "this Idempotency-Key was used for another job"
        )
    return job, created


def _job_json(job: PrintJob, *, created: bool) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "attempts": job.attempts,
        "last_error": job.last_error,
        "duplicate": not created,
    }


def _scanner_json(scanner: SerialScanner | None, *, streams: int) -> dict[str, Any]:
    if scanner is None:
        return {"configured": False, "streams": streams}
    return {
        "configured": True,
        "connected": scanner.connected,
        "last_error": scanner.last_error,
        "streams": streams,
    }


def _start_scanner(settings: AgentSettings, hub: ScanHub) -> SerialScanner | None:
    url = settings.scanner_url
    if url is None:
        return None

    def open_scanner_port() -> ScannerPort:
        return open_port(url, baudrate=settings.scanner_baudrate)

    scanner = SerialScanner(
        open_scanner_port(),
        on_scan=lambda code: hub.publish(scan_event(code, settings.rcn_rules)),
        reopen=open_scanner_port,
    )
    scanner.start()
    return scanner


def _bearer(token: str) -> Callable[[Request], None]:
    expected = f"Bearer {token}".encode()

    def check(request: Request) -> None:
        given = request.headers.get("authorization", "").encode()
        if not hmac.compare_digest(given, expected):
            raise AgentError(
                401, "unauthorized", "a valid bearer token for this register is required"
            )

    return check


def _install_errors(app: FastAPI) -> None:
    def error(status: int, code: str, message: str, details: Any = None) -> JSONResponse:
        body = {"error": {"code": code, "message": message, "details": details or {}}}
        return JSONResponse(body, status_code=status)

    @app.exception_handler(AgentError)
    async def agent_error(_request: Request, exc: AgentError) -> JSONResponse:
        return error(exc.status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = {".".join(str(p) for p in e["loc"]): e["msg"] for e in exc.errors()}
        return error(422, "validation_error", "the request is not valid", fields)
