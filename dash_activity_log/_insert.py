"""Insert ``Activity`` rows with SQL compiled once per connection.

One activity is written per logged change, so its insert sits on the hot
path of every save. ``Model.save()`` rebuilds and recompiles the same
INSERT each time, which cost more than the subject's own save; this module
compiles it once per connection (Django's connections are per thread) and
then only prepares the values. The row is written without the model's
save signals: the activity log's rows are history, not changes.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

from django.db import connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.sql.subqueries import InsertQuery

from dash_activity_log.models import Activity

__all__ = ["insert"]


@dataclass(frozen=True)
class _Prepared:
    sql: str
    fields: tuple[models.Field[Any, Any], ...]
    returns_pk: bool


_prepared: weakref.WeakKeyDictionary[BaseDatabaseWrapper, _Prepared] = (
    weakref.WeakKeyDictionary()
)


def _prepare(connection: BaseDatabaseWrapper, sample: Activity) -> _Prepared:
    opts = Activity._meta
    fields = tuple(
        field for field in opts.local_concrete_fields if field is not opts.pk
    )
    query = InsertQuery(Activity)
    query.insert_values(fields, [sample])
    compiler = query.get_compiler(connection=connection)
    returns_pk = bool(connection.features.can_return_columns_from_insert)
    if returns_pk:
        compiler.returning_fields = [opts.pk]
    [(sql, _)] = compiler.as_sql()
    return _Prepared(sql, fields, returns_pk)


def insert(activity: Activity, using: str) -> None:
    """Insert ``activity`` into database ``using`` and set its pk."""
    connection = connections[using]
    prepared = _prepared.get(connection)
    if prepared is None:
        prepared = _prepared[connection] = _prepare(connection, activity)
    params = [
        field.get_db_prep_save(field.pre_save(activity, True), connection)
        for field in prepared.fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(prepared.sql, params)
        if prepared.returns_pk:
            pk = cursor.fetchone()[0]
        else:
            pk = connection.ops.last_insert_id(
                cursor, Activity._meta.db_table, Activity._meta.pk.attname
            )
    activity.pk = pk
    activity._state.adding = False
    activity._state.db = using
