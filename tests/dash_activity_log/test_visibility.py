"""A user reads only the activities whose subject, or event, they may see."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from dash.events import dispatcher
from dash_activity_log import log_activity
from dash_activity_log.models import Activity
from dash_activity_log.visibility import visible_to
from example_project.library.events import LoanReturned
from tests.dash_activity_log.factories import AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db


def _staff_with(*codenames: str) -> Any:
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return staff


def _events_seen_by(user: Any) -> list[str]:
    return sorted(
        visible_to(user, Activity.objects.all()).values_list("event", flat=True)
    )


def _history() -> None:
    AuthorFactory()
    log_activity("deploy.notice", description="Deployed")
    # The example site logs this custom event; it broadcasts on "loans",
    # which DASH["CHANNELS"] opens to users with library.view_loan.
    dispatcher.dispatch(LoanReturned(loan_id=7, book="Dune", member="Ada", late_days=0))


def test_a_custom_events_activity_keeps_its_channel() -> None:
    _history()

    assert Activity.objects.get(event="library.loan.returned").channel == "loans"
    assert Activity.objects.get(event="deploy.notice").channel == ""


def test_an_activity_of_a_channel_is_shown_to_who_may_read_the_channel() -> None:
    _history()

    assert _events_seen_by(_staff_with("view_activity")) == ["deploy.notice"]
    assert _events_seen_by(_staff_with("view_activity", "view_loan")) == [
        "deploy.notice",
        "library.loan.returned",
    ]
    assert _events_seen_by(_staff_with("view_activity", "view_author")) == [
        "deploy.notice",
        "library.author.created",
    ]


def test_superusers_see_everything() -> None:
    superuser = UserFactory(is_superuser=True, is_staff=True)
    _history()

    assert _events_seen_by(superuser) == [
        "auth.user.created",
        "deploy.notice",
        "library.author.created",
        "library.loan.returned",
    ]


def test_the_detail_of_an_activity_of_an_unreadable_channel_is_not_found(
    client: Client,
) -> None:
    _history()
    returned = Activity.objects.get(event="library.loan.returned")
    client.force_login(_staff_with("view_activity"))

    response = client.get(
        reverse("admin:dash_activity_log_activity_change", args=[returned.pk])
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
