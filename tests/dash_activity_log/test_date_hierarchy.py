"""The date drill-down lists the periods with activities, asking an index."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from dash_activity_log.date_hierarchy import date_hierarchy
from dash_activity_log.models import Activity
from tests.dash_activity_log.factories import ActivityFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
LIST = "/admin/dash_activity_log/activity/"


@pytest.fixture(autouse=True)
def _users_unlogged(settings: Any) -> None:
    # The users the tests sign in with would add activities of their own.
    settings.DASH_ACTIVITY_LOG = {"EXCLUDE_MODELS": ["auth"]}


def _at(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=UTC)


def _hierarchy(
    admin_user: Any, *, per_page: int = 100, **params: Any
) -> tuple[dict[str, Any], int]:
    request = RequestFactory().get(LIST, params)
    request.user = admin_user
    model_admin = admin.site.get_model_admin(Activity)
    with pytest.MonkeyPatch.context() as patch:
        # A page shorter than the list leaves the dates to the database.
        patch.setattr(model_admin, "list_per_page", per_page)
        cl = model_admin.get_changelist_instance(request)
    with CaptureQueriesContext(connection) as queries:
        found = date_hierarchy(cl)
    return found, len(queries)


def _titles(found: dict[str, Any]) -> list[str]:
    return [choice["title"] for choice in found["choices"]]


def test_years_with_activities_are_listed(admin_user: Any) -> None:
    for moment in (_at(2023, 5, 1), _at(2024, 2, 1), _at(2026, 3, 1)):
        ActivityFactory(created_at=moment)

    found, queries = _hierarchy(admin_user, per_page=1)

    assert _titles(found) == ["2023", "2024", "2026"]
    assert found["choices"][0]["link"] == "?created_at__year=2023"
    assert found["back"] is None
    # The first and last dates, then 2024 and 2025 asked.
    assert queries == 3


def test_one_years_activities_start_at_its_months(admin_user: Any) -> None:
    for moment in (_at(2026, 1, 9), _at(2026, 3, 2), _at(2026, 7, 30)):
        ActivityFactory(created_at=moment)

    found, queries = _hierarchy(admin_user, per_page=1)

    assert _titles(found) == ["January 2026", "March 2026", "July 2026"]
    assert found["choices"][1]["link"] == "?created_at__month=3&created_at__year=2026"
    assert found["back"] == {"link": "?", "title": "All dates"}
    # The first and last dates, then February to June asked.
    assert queries == 6


def test_a_list_on_one_page_asks_nothing(admin_user: Any) -> None:
    for moment in (_at(2026, 1, 9), _at(2026, 3, 2), _at(2026, 7, 30)):
        ActivityFactory(created_at=moment)

    found, queries = _hierarchy(admin_user)

    assert _titles(found) == ["January 2026", "March 2026", "July 2026"]
    assert queries == 0


def test_a_search_that_finds_nothing_asks_nothing(admin_user: Any) -> None:
    ActivityFactory(created_at=_at(2026, 3, 2))

    found, queries = _hierarchy(admin_user, q="nothing")

    assert found == {"show": True, "back": None, "choices": []}
    assert queries == 0


def test_a_chosen_month_lists_its_days(admin_user: Any) -> None:
    for moment in (_at(2026, 2, 3), _at(2026, 2, 14), _at(2026, 2, 14, 9)):
        ActivityFactory(created_at=moment)
    ActivityFactory(created_at=_at(2026, 5, 1))

    found, _ = _hierarchy(admin_user, created_at__year=2026, created_at__month=2)

    assert _titles(found) == ["February 3", "February 14"]
    assert found["back"] == {"link": "?created_at__year=2026", "title": "2026"}


def test_a_chosen_day_links_back_to_its_month(admin_user: Any) -> None:
    ActivityFactory(created_at=_at(2026, 2, 3))
    ActivityFactory(created_at=_at(2026, 2, 3, 9))

    found, queries = _hierarchy(
        admin_user,
        per_page=1,
        created_at__year=2026,
        created_at__month=2,
        created_at__day=3,
    )

    assert found["choices"] == [{"title": "February 3"}]
    assert found["back"] == {
        "link": "?created_at__month=2&created_at__year=2026",
        "title": "February 2026",
    }
    assert queries == 1


def test_a_chosen_year_without_activities_lists_nothing(admin_user: Any) -> None:
    ActivityFactory(created_at=_at(2026, 2, 3))

    found, _ = _hierarchy(admin_user, created_at__year=2020)

    assert found["choices"] == []
    assert found["back"] == {"link": "?", "title": "All dates"}


def test_an_empty_list_shows_no_dates(admin_user: Any) -> None:
    found, _ = _hierarchy(admin_user)

    assert found == {"show": True, "back": None, "choices": []}


def test_the_other_filters_narrow_the_periods(admin_user: Any) -> None:
    ActivityFactory(event="library.book.created", created_at=_at(2024, 1, 1))
    ActivityFactory(event="library.book.updated", created_at=_at(2025, 1, 1))
    ActivityFactory(event="library.book.created", created_at=_at(2026, 1, 1))

    found, _ = _hierarchy(admin_user, action="created")

    assert _titles(found) == ["2024", "2026"]
    assert found["choices"][0]["link"] == "?action=created&created_at__year=2024"


@pytest.mark.parametrize("per_page", [1, 100])
def test_periods_follow_the_current_time_zone(
    admin_user: Any, settings: Any, per_page: int
) -> None:
    settings.TIME_ZONE = "Europe/Paris"
    # 23:30 UTC on New Year's Eve is already next year in Paris.
    ActivityFactory(created_at=_at(2025, 12, 31, 23, 30))
    ActivityFactory(created_at=_at(2026, 3, 1))

    found, _ = _hierarchy(admin_user, per_page=per_page)

    assert _titles(found) == ["January 2026", "March 2026"]
