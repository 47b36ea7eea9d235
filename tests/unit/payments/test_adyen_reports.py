"""Reading Adyen's Payment accounting report (as the simulator writes it, and as Adyen
lets an account reorder and add columns)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tillflow.connectors.adyen.reports import parse_payment_accounting
from tillflow.ports.payments import ConfigurationError, GatewayState
from tillflow_simulators.adyen.records import TransactionRecord, TransactionState
from tillflow_simulators.adyen.reports import payment_accounting_report

DAY = date(2026, 3, 14)


def _record(psp: str, state: TransactionState, amount: str, *, category: str = "Payment",
            original: str | None = None, when: date = DAY) -> TransactionRecord:
    return TransactionRecord(
        poi_id="V400m-1", sale_id="POS", service_id=psp[:10], category=category,
        transaction_id=f"pay-{original or psp}", amount=Decimal(amount), currency="EUR",
        created_at=datetime(when.year, when.month, when.day, 12, tzinfo=UTC),
        psp_reference=psp, poi_transaction_id=f"tx.{psp}", state=state,
        original_psp_reference=original)


def test_the_simulators_report_reads_back_with_refunds_summed() -> None:
    text = payment_accounting_report([
        _record("PSP1", TransactionState.APPROVED, "5.50"),
        _record("PSP2", TransactionState.DECLINED, "3.00"),
        _record("REV1", TransactionState.APPROVED, "2.00", category="Reversal", original="PSP1"),
        _record("REV2", TransactionState.APPROVED, "1.50", category="Reversal", original="PSP1"),
        _record("PSP3", TransactionState.APPROVED, "9.00", when=date(2026, 3, 15)),
    ], day=DAY, merchant_account="Shop")

    found = {p.reference: p for p in parse_payment_accounting(text)}

    assert set(found) == {"PSP1", "PSP2"}
    assert (found["PSP1"].state, found["PSP1"].captured, found["PSP1"].refunded) == (
        GatewayState.CAPTURED, 550, 350)
    assert found["PSP1"].payment_id == "pay-PSP1"
    assert (found["PSP2"].state, found["PSP2"].captured) == (GatewayState.FAILED, 0)


def test_columns_are_read_by_name_in_any_order() -> None:
    text = ("Record Type,Extra,Main Amount,Main Currency,Merchant Reference,Psp Reference\n"
            "Authorised,x,12.5,JPY,p-1,PSPJ\n"
            "SentForSettle,x,13,JPY,p-1,PSPJ\n")

    [payment] = parse_payment_accounting(text)

    assert (payment.state, payment.captured, payment.payment_id) == (
        GatewayState.CAPTURED, 13, "p-1")


@pytest.mark.parametrize("text", [
    "Psp Reference,Record Type\nPSP1,Authorised\n",
    "Psp Reference,Merchant Reference,Record Type,Main Currency,Main Amount\n"
    "PSP1,p,SentForSettle,EUR,lots\n",
    "Psp Reference,Merchant Reference,Record Type,Main Currency,Main Amount\n"
    "PSP1,p,SentForSettle,EURO,1.00\n",
])
def test_an_unreadable_report_is_a_clear_error(text: str) -> None:
    with pytest.raises(ConfigurationError):
        parse_payment_accounting(text)


def test_a_refund_that_failed_later_is_not_counted() -> None:
    text = payment_accounting_report([
        _record("PSP1", TransactionState.APPROVED, "5.50"),
        _record("REV1", TransactionState.REFUNDED, "2.00", category="Reversal", original="PSP1"),
        _record("REV2", TransactionState.REFUND_FAILED, "1.50", category="Reversal",
                original="PSP1"),
    ], day=DAY, merchant_account="Shop")

    [payment] = parse_payment_accounting(text)

    assert (payment.captured, payment.refunded) == (550, 200)


def test_the_costs_of_a_settled_payment_are_its_fee() -> None:
    text = payment_accounting_report([_record("PSP1", TransactionState.APPROVED, "200.00"),
                                      _record("PSP2", TransactionState.DECLINED, "3.00")],
                                     day=DAY, merchant_account="Shop")

    found = {p.reference: p for p in parse_payment_accounting(text)}

    # Markup 0.6 %, scheme fees 0.02 % and interchange 0.2 % of 200.00: 1.20 + 0.04 + 0.40.
    assert (found["PSP1"].captured, found["PSP1"].fee) == (20000, 164)
    assert found["PSP2"].fee is None


def test_no_fee_without_the_cost_columns_or_in_another_settlement_currency() -> None:
    head = "Psp Reference,Merchant Reference,Record Type,Main Currency,Main Amount"
    bare = f"{head}\nPSP1,p,SentForSettle,EUR,10\nPSP1,p,Settled,EUR,10\n"
    other = (f"{head},Settlement Currency,Commission (SC),Markup (SC)\n"
             "PSP1,p,Settled,EUR,10,USD,0.20,0.05\n")
    blended = (f"{head},Settlement Currency,Commission (SC),Markup (SC),Scheme Fees (SC),"
               "Interchange (SC)\nPSP1,p,Settled,EUR,10,EUR,0.20,,,\n")

    assert [p.fee for p in parse_payment_accounting(bare)] == [None]
    assert [p.fee for p in parse_payment_accounting(other)] == [None]
    assert [p.fee for p in parse_payment_accounting(blended)] == [20]
