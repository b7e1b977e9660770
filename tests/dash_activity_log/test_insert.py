"""Activity rows written past the ORM are the rows the ORM would write, and seen.

The fast path must not hide the activity log's queries from whatever
watches a project's queries, nor change what a row reads back as.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import math
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, connections
from django.db.backends.utils import CursorWrapper
from django.test.utils import CaptureQueriesContext

from dash_activity_log import log_activity
from dash_activity_log.models import Activity
from example_project.library.models import Author

pytestmark = pytest.mark.django_db(databases="__all__")

_TABLE = Activity._meta.db_table


def _activity_inserts(queries: list[dict[str, str]]) -> list[str]:
    return [
        query["sql"]
        for query in queries
        if query["sql"].startswith(f'INSERT INTO "{_TABLE}"')
    ]


def test_a_query_log_sees_the_activity_being_written(db_alias: str) -> None:
    with CaptureQueriesContext(connections[db_alias]) as captured:
        Author.objects.using(db_alias).create(name="Ursula K. Le Guin")

    assert len(_activity_inserts(captured.captured_queries)) == 1


def test_an_execute_wrapper_sees_the_activity_being_written(db_alias: str) -> None:
    seen: list[str] = []

    def spy(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    with connections[db_alias].execute_wrapper(spy):
        Author.objects.using(db_alias).create(name="Octavia Butler")

    assert [sql for sql in seen if sql.startswith(f'INSERT INTO "{_TABLE}"')]


def test_a_patched_cursor_sees_the_activity_being_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What SQL hooks of error trackers do: replace CursorWrapper.execute.
    seen: list[str] = []
    stock_execute = CursorWrapper.execute

    def traced(self: CursorWrapper, sql: str, params: Any = None) -> Any:
        seen.append(sql)
        return stock_execute(self, sql, params)

    monkeypatch.setattr(CursorWrapper, "execute", traced)

    Author.objects.create(name="N. K. Jemisin")

    assert [sql for sql in seen if sql.startswith(f'INSERT INTO "{_TABLE}"')]


def test_a_cursor_replaced_on_the_connection_sees_the_activity_being_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What django-debug-toolbar does while it records a request.
    connection = connections["default"]
    opened: list[object] = []
    stock_cursor = connection.cursor

    def recording_cursor() -> Any:
        cursor = stock_cursor()
        opened.append(cursor)
        return cursor

    monkeypatch.setattr(connection, "cursor", recording_cursor)

    Author.objects.create(name="Ann Leckie")

    # One cursor for the author, one for its activity.
    assert len(opened) == 2


_REFUSE_ONE = {
    # The test's transaction takes either away again.
    "sqlite": f"CREATE TRIGGER refuse_one BEFORE INSERT ON {_TABLE} "
    "WHEN NEW.event = 'deploy.refused' BEGIN SELECT RAISE(ABORT, 'refused'); END",
    "postgresql": f"ALTER TABLE {_TABLE} ADD CONSTRAINT refuse_one "
    "CHECK (event <> 'deploy.refused') NOT VALID",
}


def test_a_database_error_is_djangos_own(db_alias: str) -> None:
    # Callers catch django.db.IntegrityError whichever way the row was sent.
    connection = connections[db_alias]
    with connection.cursor() as cursor:
        cursor.execute(_REFUSE_ONE[connection.vendor])

    with pytest.raises(IntegrityError):
        log_activity("deploy.refused", using=db_alias)


def test_the_returned_activity_is_the_stored_row(db_alias: str) -> None:
    activity = log_activity("deploy.notice", properties={"v": 3}, using=db_alias)

    stored = Activity.objects.using(db_alias).get(pk=activity.pk)
    assert (stored.event, stored.properties) == ("deploy.notice", {"v": 3})
    assert activity._state.db == db_alias
    assert not activity._state.adding


def test_properties_read_back_as_djangos_encoder_writes_them(db_alias: str) -> None:
    moment = datetime.datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=datetime.UTC)
    properties = {
        "at": moment,
        "on": moment.date(),
        "price": decimal.Decimal("12.50"),
        "huge": 2**70,
        "nested": {"list": [1, "two", None, True]},
        "text": "Dune — “spice”",
    }

    activity = log_activity("deploy.notice", properties=properties, using=db_alias)

    stored = Activity.objects.using(db_alias).get(pk=activity.pk)
    assert stored.properties == {
        "at": "2026-03-01T09:30:15.123Z",
        "on": "2026-03-01",
        "price": "12.50",
        "huge": 2**70,
        "nested": {"list": [1, "two", None, True]},
        "text": "Dune — “spice”",
    }


def test_non_text_keys_are_written_as_text(db_alias: str) -> None:
    activity = log_activity(
        "deploy.notice", properties={"counts": {1: "one"}}, using=db_alias
    )

    stored = Activity.objects.using(db_alias).get(pk=activity.pk)
    assert stored.properties == {"counts": {"1": "one"}}


class Shelf(enum.Enum):
    TOP = "top"


def test_odd_values_are_stored_alike_on_every_database(db_alias: str) -> None:
    # json.dumps would write NaN, which is not JSON (PostgreSQL refuses it),
    # and refuse a plain Enum; the same properties work on every database.
    properties = {"ratio": math.nan, "limit": math.inf, "shelf": Shelf.TOP}

    activity = log_activity("deploy.notice", properties=properties, using=db_alias)

    stored = Activity.objects.using(db_alias).get(pk=activity.pk)
    assert stored.properties == {"ratio": None, "limit": None, "shelf": "top"}
