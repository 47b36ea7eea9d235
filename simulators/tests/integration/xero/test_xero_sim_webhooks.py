"""Xero's webhooks: intent to receive, then signed deliveries of what changed."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from sim_support.books import SigningReceiver, XeroApi
from tillflow_simulators.common.recorder import WebhookRecorder
from tillflow_simulators.xero import RateLimits, XeroSimulator, verify

KEY = "xero-webhook-key-for-tests"


@pytest.fixture
def xero() -> Iterator[XeroSimulator]:
    with XeroSimulator(rate_limits=RateLimits.unlimited()) as sim:
        yield sim


def test_intent_to_receive_passes_a_receiver_that_checks_signatures(xero: XeroSimulator) -> None:
    with SigningReceiver(header="x-xero-signature", verify=verify, key=KEY) as receiver:
        result = xero.subscribe_webhooks(receiver.url, KEY)
        assert result.passed
        assert {good for good, _ in result.answers} == {True, False}
        assert receiver.refused == 2
        for _, body in receiver.accepted:
            assert json.loads(body)["events"] == []


def test_a_receiver_that_accepts_everything_fails_it_and_gets_nothing() -> None:
    with XeroSimulator(rate_limits=RateLimits.unlimited()) as xero, WebhookRecorder() as naive:
        result = xero.subscribe_webhooks(naive.url(), KEY)
        assert not result.passed
        api = XeroApi(xero)
        api.ok("PUT", "/Contacts", json={"Contacts": [{"Name": "Ana"}]})
        assert xero.wait_for_webhooks()
        assert len(naive.received) == 4  # the intent-to-receive requests only


def test_changes_are_delivered_signed_with_growing_sequences(xero: XeroSimulator) -> None:
    with SigningReceiver(header="x-xero-signature", verify=verify, key=KEY) as receiver:
        assert xero.subscribe_webhooks(receiver.url, KEY).passed
        checked = len(receiver.accepted)
        api = XeroApi(xero)
        [contact] = api.ok("PUT", "/Contacts", json={"Contacts": [{"Name": "Ana"}]})["Contacts"]
        credit = {"Type": "ACCRECCREDIT", "Contact": {"ContactID": contact["ContactID"]},
                  "Status": "AUTHORISED", "LineItems": [{"Description": "Refund",
                                                         "Quantity": 1, "UnitAmount": 5,
                                                         "AccountCode": "200"}]}
        api.ok("PUT", "/CreditNotes", json={"CreditNotes": [credit]})
        deliveries = receiver.wait_for(checked + 2)[checked:]
        bodies = [json.loads(body) for _, body in deliveries]
        contact_event, credit_event = bodies[0]["events"][0], bodies[1]["events"][0]
        assert (contact_event["eventCategory"], contact_event["eventType"]) == (
            "CONTACT", "CREATE")
        assert contact_event["resourceId"] == contact["ContactID"]
        assert contact_event["tenantId"] == xero.tenant_id
        assert contact_event["resourceUrl"].endswith(f"/Contacts/{contact['ContactID']}")
        assert credit_event["data"] == {"Type": "ACCRECCREDIT", "Status": "AUTHORISED"}
        assert bodies[1]["firstEventSequence"] == bodies[0]["lastEventSequence"] + 1
        for headers, body in deliveries:
            assert verify(body, KEY, headers["x-xero-signature"])
