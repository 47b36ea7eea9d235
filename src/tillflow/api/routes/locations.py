"""Locations and registers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from tillflow.api.auth import Context, require
from tillflow.api.requests import CheckedRoute
from tillflow.api.responses import FastJSONResponse
from tillflow.api.schemas import LocationIn, RegisterIn
from tillflow.api.schemas_out import (
    LocationOut,
    LocationsOut,
    RegisterOut,
    RegistersOut,
    RegisterStateOut,
)
from tillflow.services import locations, payloads
from tillflow.services.context import Actor
from tillflow.services.tokens import CATALOG_READ, SETUP

router = APIRouter(route_class=CheckedRoute, tags=["locations"])
Setup = Annotated[Actor, Depends(require(SETUP))]
Reader = Annotated[Actor, Depends(require(CATALOG_READ))]


@router.post("/locations", status_code=201, response_model=LocationOut)
def create_location(body: LocationIn, ctx: Context, _actor: Setup) -> FastJSONResponse:
    location = locations.create_location(ctx, code=body.code, name=body.name, kind=body.kind,
                                         allow_negative_stock=body.allow_negative_stock)
    return FastJSONResponse(payloads.location(location), status_code=201)


@router.get("/locations", response_model=LocationsOut)
def list_locations(ctx: Context, _actor: Reader) -> FastJSONResponse:
    return FastJSONResponse({"items": [payloads.location(loc)
                                       for loc in locations.list_locations(ctx)]})


@router.post("/registers", status_code=201, response_model=RegisterOut)
def create_register(body: RegisterIn, ctx: Context, _actor: Setup) -> FastJSONResponse:
    register = locations.create_register(ctx, code=body.code, location_code=body.location)
    return FastJSONResponse({"code": register.code, "location": register.location_code},
                            status_code=201)


@router.get("/registers", response_model=RegistersOut)
def list_registers(ctx: Context, _actor: Reader) -> FastJSONResponse:
    return FastJSONResponse({"items": [{"code": r.code, "location": r.location_code}
                                       for r in locations.list_registers(ctx)]})


@router.get("/registers/{code}", response_model=RegisterStateOut)
def get_register(code: str, ctx: Context, _actor: Reader) -> FastJSONResponse:
    register = locations.get_register(ctx, code)
    with ctx.uow(read_only=True) as uow:
        shift_id = uow.shifts.open_shift_of(register.id)
    return FastJSONResponse({"code": register.code, "location": register.location_code,
                             "open_shift": shift_id})
