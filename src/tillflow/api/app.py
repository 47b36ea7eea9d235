"""The HTTP application: routers, error envelope, auth, limits."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from fastapi import FastAPI

from tillflow.api import docs, errors
from tillflow.api.headers import SecurityHeaders
from tillflow.api.limits import BodySizeLimit
from tillflow.api.openapi import ERROR_ANSWERS
from tillflow.api.requests import UrlTextCheck
from tillflow.api.responses import FastJSONResponse
from tillflow.api.routes import (
    audit,
    connection_checks,
    connections,
    customers,
    drawer,
    erp,
    events,
    goods_receipts,
    inventory,
    journal,
    locations,
    metrics,
    office,
    payments,
    price_discrepancies,
    product_groups,
    product_imports,
    products,
    receipt_documents,
    receipts,
    reports,
    sales,
    settings,
    shifts,
    staff,
    staff_admin,
    stock_counts,
    stock_levels,
    stock_transfers,
    till,
)
from tillflow.api.routes import sync as sync_routes
from tillflow.api.routes import tokens as token_routes
from tillflow.api.routes import webhooks as webhook_routes
from tillflow.api.schemas_out import HealthOut
from tillflow.services.context import ServiceContext
from tillflow.settings import DEFAULT_MAX_BODY_BYTES
from tillflow.web import office_app, register_app

API_PREFIX = "/api/v1"
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def create_app(ctx: ServiceContext, *, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
               lifespan: Lifespan | None = None) -> FastAPI:
    app = FastAPI(
        lifespan=lifespan,
        title="tillflow",
        version="1",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # served below from files installed with tillflow
        redoc_url=None,
        default_response_class=FastJSONResponse,
    )
    app.state.ctx = ctx
    errors.install(app)
    for module in (locations, products, inventory, shifts, sales, customers, events,
                   connections, connection_checks, token_routes, staff, staff_admin, receipts,
                   receipt_documents,
                   payments, sync_routes, journal, erp, audit, settings, drawer,
                   price_discrepancies, till, reports, stock_levels, goods_receipts,
                   stock_counts, stock_transfers, office, product_imports, product_groups):
        app.include_router(module.router, prefix=API_PREFIX, responses=ERROR_ANSWERS)
    app.include_router(webhook_routes.router, responses=ERROR_ANSWERS)
    app.include_router(metrics.router)

    @app.get(f"{API_PREFIX}/health", tags=["health"], response_model=HealthOut,
             responses=ERROR_ANSWERS)
    def health() -> dict[str, str]:
        return {"status": "ok", "currency": ctx.currency.code}

    app.mount("/register", register_app(), name="register")
    app.mount("/office", office_app(), name="office")
    docs.install(app, prefix=API_PREFIX)
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    app.add_middleware(UrlTextCheck)
    app.add_middleware(SecurityHeaders, docs_prefix=f"{API_PREFIX}/docs")
    return app
