"""Password guessing as an attacker would try it, all at once against a running server on
both databases: the per-member limit holds to the attempt, a right password is never
limited, and concurrent sign-ins each get a session of their own."""

from __future__ import annotations

from collections import Counter

import httpx

from support.api import Api
from support.concurrency import all_at_once
from support.live_server import serving
from tillflow.api.app import create_app
from tillflow.services import rate_limits
from tillflow.services.context import ServiceContext
from tillflow.services.office_sessions import OFFICE_PREFIX

PASSWORD = "shelves-and-tills-1"
TRIES = 30


def _manager(api: Api) -> None:
    api.ok(api.post("/staff", {"name": "Mia", "role": "manager", "pin": "4321"}), 201)
    api.ok(api.client.put("/api/v1/staff/Mia/password", json={"password": PASSWORD},
                          headers=api.headers("admin")))


def test_concurrent_guesses_meet_the_per_member_limit_exactly(ctx: ServiceContext,
                                                              api: Api) -> None:
    _manager(api)
    with serving(create_app(ctx)) as url:
        answers = all_at_once(TRIES, lambda client, n: client.post(
            "/office/sessions", json={"name": "Mia", "password": f"guess-number-{n}"}),
            f"{url}/api/v1")
        statuses = Counter(a.status_code for a in answers)
        assert statuses == {403: rate_limits.PER_STAFF.failures,
                            429: TRIES - rate_limits.PER_STAFF.failures}
        with httpx.Client(base_url=f"{url}/api/v1") as client:
            right = client.post("/office/sessions", json={"name": "Mia", "password": PASSWORD})
            assert right.status_code == 201, right.text


def test_concurrent_sign_ins_each_get_their_own_session(ctx: ServiceContext, api: Api) -> None:
    _manager(api)
    with serving(create_app(ctx)) as url:
        answers = all_at_once(8, lambda client, _n: client.post(
            "/office/sessions", json={"name": "Mia", "password": PASSWORD}), f"{url}/api/v1")
        assert [a.status_code for a in answers] == [201] * 8
        cookies = {a.cookies["tillflow_office"] for a in answers}
        assert len(cookies) == 8
        assert all(c.startswith(OFFICE_PREFIX) for c in cookies)
        for cookie in cookies:
            with httpx.Client(base_url=f"{url}/api/v1",
                              headers={"cookie": f"tillflow_office={cookie}"}) as client:
                assert client.get("/office/sessions/current").json()["name"] == "Mia"
