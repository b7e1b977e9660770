"""The example library's own event: returning loans from the admin."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_eventstream.models import Event as StoredEvent

from dash.testing import capture_events
from dash_activity_log.models import Activity
from example_project.library.events import LoanReturned
from example_project.library.factories import LoanFactory
from example_project.library.models import Book, Loan

pytestmark = pytest.mark.django_db


def return_loans(client: Client, *loans: Loan) -> None:
    response = client.post(
        "/admin/library/loan/",
        {"action": "mark_returned", "_selected_action": [loan.pk for loan in loans]},
    )
    assert response.status_code == 302


def test_returning_a_loan_dispatches_loan_returned(
    admin_client: Client, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    loan = LoanFactory(due_on=timezone.localdate() - datetime.timedelta(days=3))

    with capture_events() as events, django_capture_on_commit_callbacks(execute=True):
        return_loans(admin_client, loan)

    event = events.assert_dispatched(LoanReturned, count=1, loan_id=loan.pk)
    assert event.to_payload() == {
        "loan_id": loan.pk,
        "book": str(loan.book),
        "member": str(loan.member),
        "late_days": 3,
        "message": f"{loan.member} returned “{loan.book}”, 3 days late",
    }
    loan.refresh_from_db()
    assert loan.returned_at is not None
    assert Book.objects.get(pk=loan.book_id).status == Book.Status.AVAILABLE


def test_loan_returned_is_logged_and_broadcast_on_the_loans_channel(
    admin_client: Client, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    loan = LoanFactory()

    with django_capture_on_commit_callbacks(execute=True):
        return_loans(admin_client, loan)

    activity = Activity.objects.get(event="library.loan.returned")
    assert activity.properties["loan_id"] == loan.pk
    [stored] = StoredEvent.objects.filter(channel="loans", type="message")
    message = json.loads(json.loads(stored.data))
    assert message["name"] == "library.loan.returned"


def test_returned_loans_are_not_returned_again(admin_client: Client) -> None:
    loan = LoanFactory(returned=True)

    with capture_events() as events:
        return_loans(admin_client, loan)

    events.assert_not_dispatched(LoanReturned)
