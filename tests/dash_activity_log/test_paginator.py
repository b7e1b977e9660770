"""The activity paginator counts exactly, estimates or stops, and says which."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connections
from django.test.utils import CaptureQueriesContext

from dash_activity_log import paginator
from dash_activity_log.models import Activity
from dash_activity_log.paginator import ActivityPaginator, estimated_rows
from tests.dash_activity_log.factories import ActivityFactory

pytestmark = pytest.mark.django_db(databases="__all__")


def _fill(rows: int, using: str = "default") -> None:
    Activity.objects.using(using).bulk_create(
        ActivityFactory.build(event=f"deploy.step{n}") for n in range(rows)
    )


def test_a_small_list_is_counted_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paginator, "COUNT_LIMIT", 5)
    _fill(5)

    pages = ActivityPaginator(Activity.objects.all(), 2)

    assert (pages.count, pages.count_kind, pages.num_pages) == (5, "exact", 3)


def test_a_large_list_stops_counting_at_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(paginator, "COUNT_LIMIT", 5)
    _fill(8)

    with CaptureQueriesContext(connections["default"]) as queries:
        pages = ActivityPaginator(Activity.objects.all(), 2)
        assert (pages.count, pages.count_kind, pages.num_pages) == (5, "more_than", 3)

    assert len(queries) == 1
    assert "LIMIT 6" in queries[0]["sql"]


def test_a_filtered_list_is_never_estimated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paginator, "ESTIMATE_FROM", 0)
    _fill(3)

    pages = ActivityPaginator(Activity.objects.filter(event="deploy.step1"), 2)

    assert (pages.count, pages.count_kind) == (1, "exact")


def test_other_databases_than_postgresql_give_no_estimate() -> None:
    assert estimated_rows(Activity.objects.all()) is None


def test_a_list_that_is_no_queryset_is_counted_by_len() -> None:
    pages = ActivityPaginator([1, 2, 3], 2)

    assert (pages.count, pages.count_kind) == (3, "exact")


@pytest.fixture
def postgres() -> str:
    if "postgres" not in connections:
        pytest.skip(settings.POSTGRES_UNAVAILABLE)
    return "postgres"


def _analyze(using: str) -> None:
    # ANALYZE's statistics outlive the test's rollback; nothing else in the
    # suite comes near ESTIMATE_FROM, so they change no other outcome.
    with connections[using].cursor() as cursor:
        cursor.execute("ANALYZE dash_activity_log_activity")


def test_postgresql_estimates_an_unfiltered_large_table(
    postgres: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paginator, "ESTIMATE_FROM", 50)
    _fill(120, using=postgres)
    _analyze(postgres)

    with CaptureQueriesContext(connections[postgres]) as queries:
        pages = ActivityPaginator(Activity.objects.using(postgres).all(), 10)
        assert (pages.count, pages.count_kind) == (120, "estimate")

    assert len(queries) == 1
    assert "reltuples" in queries[0]["sql"]
    assert "COUNT" not in queries[0]["sql"]


def test_postgresql_counts_a_table_below_the_estimate_threshold(
    postgres: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paginator, "ESTIMATE_FROM", 500)
    _fill(120, using=postgres)
    _analyze(postgres)

    pages = ActivityPaginator(Activity.objects.using(postgres).all(), 10)

    assert (pages.count, pages.count_kind) == (120, "exact")
