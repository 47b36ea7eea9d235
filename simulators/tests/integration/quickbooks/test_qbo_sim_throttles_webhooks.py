"""Intuit's throttles over HTTP on a clock the test moves, and signed data-change
webhooks."""

from __future__ import annotations

import json

from sim_support.books import QboApi
from tillflow_simulators.common.clock import FakeClock
from tillflow_simulators.common.recorder import WebhookRecorder
from tillflow_simulators.quickbooks import QuickBooksSimulator, Throttles, verify

VERIFIER = "qbo-verifier-token-for-tests"


def test_the_eleventh_request_in_a_second_is_throttled() -> None:
    with QuickBooksSimulator(clock=FakeClock()) as qbo:
        api = QboApi(qbo)
        assert all(api.call("GET", "/companyinfo/1").status_code == 200 for _ in range(10))
        throttled = api.call("GET", "/companyinfo/1")
        assert throttled.status_code == 429
        error = throttled.json()["fault"]["error"][0]
        assert error["message"] == "message=ThrottleExceeded; errorCode=003001; statusCode=429"
        qbo.advance_clock(1)
        assert api.call("GET", "/companyinfo/1").status_code == 200
        qbo.use_up_minute()
        assert api.call("GET", "/companyinfo/1").status_code == 429


def test_changes_are_announced_signed_with_the_verifier_token() -> None:
    with QuickBooksSimulator(throttles=Throttles.unlimited()) as qbo, \
            WebhookRecorder() as receiver:
        qbo.subscribe_webhooks(receiver.url(), VERIFIER, entities={"Customer"})
        api = QboApi(qbo)
        created = api.ok("POST", "/customer", json={"DisplayName": "Ana Silva"})["Customer"]
        api.ok("POST", "/item", json={"Name": "Tea", "Type": "Service",
                                      "IncomeAccountRef": {"value": "8"}})
        api.ok("POST", "/customer", json={"Id": created["Id"], "SyncToken": "0",
                                          "sparse": True, "CompanyName": "Silva Ltd"})
        assert qbo.wait_for_webhooks()
        [first, second] = receiver.wait_for(2)
        for delivery in (first, second):
            assert verify(delivery.body, VERIFIER, delivery.headers["intuit-signature"])
        notified = [json.loads(d.body)["eventNotifications"][0] for d in (first, second)]
        assert {n["realmId"] for n in notified} == {qbo.realm_id}
        entities = [n["dataChangeEvent"]["entities"][0] for n in notified]
        assert [(e["name"], e["id"], e["operation"]) for e in entities] == [
            ("Customer", created["Id"], "Create"), ("Customer", created["Id"], "Update")]
