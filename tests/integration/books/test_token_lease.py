"""Refresh tokens are single-use: workers racing for a fresh access token spend the
connection's refresh token once, under the lease, on PostgreSQL with real threads."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from support.api import Api
from support.saas_books import Books
from tillflow.db.tables_accounting import oauth_tokens
from tillflow.db.uow import connection_of
from tillflow.erp.adapters import tokens_for
from tillflow_simulators.common.chaos import FaultRule

WORKERS = 4


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
@pytest.mark.parametrize("books", ["quickbooks"], indirect=True)
def test_racing_workers_spend_the_refresh_token_once(api: Api, books: Books) -> None:
    # QuickBooks keeps no grace for a spent refresh token: a second spend is refused.
    books.connect(api, posting="sale")
    # A slow token endpoint, so the workers overlap.
    books.sim.state.controls.faults.add(FaultRule(status=None, delay=0.5,
                                                  path_prefix="/oauth2"))
    start = threading.Barrier(WORKERS)

    def worker() -> str:
        tokens = tokens_for(api.ctx, "books")  # each with an owner of its own
        start.wait()
        return tokens.access_token()

    with ThreadPoolExecutor(WORKERS) as pool:
        found = list(pool.map(lambda _: worker(), range(WORKERS)))
    assert len(set(found)) == 1
    with api.ctx.uow(read_only=True) as uow:
        row = connection_of(uow).execute(select(oauth_tokens)).one()
    assert (row.refused, row.lease_owner) == (None, None)
    assert row.rotated_at is not None
    # The connection's own token was spent; the one kept is the rotated one.
    assert api.ctx.secret_box.open(row.sealed)["access_token"] == found[0]


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
@pytest.mark.parametrize("books", ["xero"], indirect=True)
def test_an_access_token_refused_early_is_refreshed_once(api: Api, books: Books) -> None:
    books.connect(api, posting="sale")
    tokens = tokens_for(api.ctx, "books")
    first = tokens.access_token()
    assert tokens.access_token() == first  # kept until it nears its expiry
    tokens.refused(first)
    second = tokens.access_token()
    assert second != first
    assert tokens_for(api.ctx, "books").access_token() == second
