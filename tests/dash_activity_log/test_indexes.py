"""PrefixSearchIndex writes the index ``istartswith`` needs on each database."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connections

from dash_activity_log.indexes import PrefixSearchIndex
from dash_activity_log.models import Activity

pytestmark = pytest.mark.django_db(databases="__all__")


def _create_sql(alias: str) -> str:
    index = PrefixSearchIndex(fields=["event", "causer_name"], name="prefix_idx")
    # Not entered: SQLite's editor refuses to open inside the test's
    # transaction, and writing the statement needs no open editor.
    editor = connections[alias].schema_editor(collect_sql=True)
    return str(index.create_sql(Activity, editor))


def test_other_databases_get_an_empty_index_of_the_upper_case_values() -> None:
    # SQLite's istartswith cannot use it; empty, it costs saves nothing.
    assert _create_sql("default") == (
        'CREATE INDEX "prefix_idx" ON "dash_activity_log_activity" '
        '((UPPER("event")), (UPPER("causer_name"))) WHERE "id" IS NULL'
    )


def test_the_migrated_sqlite_index_is_the_empty_one() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'dash_activity_event_upper_idx'"
        )
        assert cursor.fetchone()[0].endswith('WHERE "id" IS NULL')


def test_postgresql_gets_upper_case_values_in_the_pattern_operator_class() -> None:
    if "postgres" not in connections:
        pytest.skip(settings.POSTGRES_UNAVAILABLE)

    assert _create_sql("postgres") == (
        'CREATE INDEX "prefix_idx" ON "dash_activity_log_activity" '
        '(UPPER("event") text_pattern_ops, UPPER("causer_name") text_pattern_ops)'
    )


def test_the_migrated_postgresql_index_is_the_expression_istartswith_uses() -> None:
    if "postgres" not in connections:
        pytest.skip(settings.POSTGRES_UNAVAILABLE)

    with connections["postgres"].cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            ["dash_activity_causer_upper_idx"],
        )
        (definition,) = cursor.fetchone()

    assert definition.endswith(
        "USING btree (upper((causer_name)::text) text_pattern_ops)"
    )


def test_it_deconstructs_like_a_field_index() -> None:
    index = PrefixSearchIndex(fields=["event"], name="prefix_idx")

    assert index.deconstruct() == (
        "dash_activity_log.indexes.PrefixSearchIndex",
        (),
        {"name": "prefix_idx", "fields": ["event"]},
    )
    assert index.clone() == index
