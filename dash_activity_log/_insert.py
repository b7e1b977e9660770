"""Insert ``Activity`` rows with SQL compiled once per connection.

One activity is written per logged change, so its insert sits on the hot
path of every save. ``Model.save()`` builds an instance, recompiles the same
INSERT and prepares every value through the field's full conversion chain,
which together cost more than the subject's own save. This module compiles
the statement once per connection (Django's connections are per thread),
takes values already in the types the fields hold, and only adapts them for
the backend. The row is written without the model's save signals: the
activity log's rows are history, not changes.

The primary key is asked for only when the caller needs it; where the
backend reports the last row id for free (SQLite, MySQL), no ``RETURNING``
clause is sent even then.

On Django's own SQLite backend the statement goes straight to the sqlite3
connection when nothing could be watching queries through Django's cursor:
Django's cursor wrapper and its placeholder rewriting cost as much as the
insert itself. Anything that observes queries keeps seeing these rows being
written, because then Django's cursor is used: a query log (``DEBUG``,
``assertNumQueries``, ``CaptureQueriesContext``), an ``execute_wrapper``, a
cursor replaced on the connection (django-debug-toolbar) or a patched
``CursorWrapper.execute`` (error trackers' SQL hooks). Database errors are
turned into Django's exceptions on both paths.
"""

from __future__ import annotations

import datetime
import functools
import json
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.backends.utils import CursorWrapper
from django.db.models.sql.subqueries import InsertQuery

from dash_activity_log.models import Activity

__all__ = ["insert"]

# Backends whose cursor knows the inserted row's id without asking.
_LASTROWID_VENDORS = frozenset({"sqlite", "mysql"})

# Text the store has already made a str; the database takes it as it is.
_PLAIN_TEXT_FIELDS = (models.CharField, models.TextField)

_Preparer = Callable[[Any], Any] | None

# Dates and times go to the field's encoder, so that they read as Django's
# DjangoJSONEncoder writes them; dataclasses too, which it refuses.
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


# The module of Django's stock SQLite backend, the one the direct path knows.
_STOCK_SQLITE = "django.db.backends.sqlite3.base"


@dataclass(frozen=True)
class _Statement:
    sql: str
    returning_sql: str | None
    # The statement in sqlite3's own placeholders, on the stock SQLite backend.
    direct_sql: str | None
    # Takes the values out of the mapping, in the statement's column order.
    read: Callable[[Mapping[str, Any]], tuple[Any, ...]]
    # The columns whose values need adapting for the backend, by position.
    preparers: tuple[tuple[int, Callable[[Any], Any]], ...]


# Kept on the connection, which is the thread's own and takes it along when
# it goes.
_ATTRIBUTE = "_dash_activity_log_insert"


def _compile(
    connection: BaseDatabaseWrapper,
    fields: tuple[models.Field[Any, Any], ...],
    returning: bool,
) -> str:
    query = InsertQuery(Activity)
    query.insert_values(fields, [Activity()])
    compiler = query.get_compiler(connection=connection)
    if returning:
        compiler.returning_fields = [Activity._meta.pk]
    [(sql, _)] = compiler.as_sql()
    return str(sql)


def _json_preparer(
    field: models.JSONField[Any], connection: BaseDatabaseWrapper
) -> _Preparer:
    # Django writes JSON with json.dumps and the field's encoder; orjson
    # writes the same JSON, compactly, in a tenth of the time, and hands
    # what it cannot (integers beyond 64 bits, non-text keys) back to
    # json.dumps. Not-a-number floats, which json.dumps writes as the
    # non-JSON ``NaN`` (refused by PostgreSQL), become ``null`` everywhere.
    # Backends other than PostgreSQL store the text itself; PostgreSQL's
    # adapter takes an encoder class, so it gets one that writes the same.
    base = field.encoder or json.JSONEncoder

    class Encoder(base):  # type: ignore[valid-type,misc]
        def encode(self, o: Any) -> str:
            try:
                return orjson.dumps(
                    o, default=self.default, option=_ORJSON_OPTIONS
                ).decode()
            except orjson.JSONEncodeError:
                return str(super().encode(o))

    if connection.vendor == "postgresql":
        return functools.partial(connection.ops.adapt_json_value, encoder=Encoder)
    return Encoder().encode


def _datetime_preparer(connection: BaseDatabaseWrapper) -> _Preparer:
    # All a DateTimeField does with a prepared value is the backend's
    # adaptation. On the stock SQLite backend that is the value as naive
    # text in the connection's time zone; the rows' times (dash stamps
    # events in UTC, the connection's usual zone) are mostly there already.
    adapt = connection.ops.adapt_datetimefield_value
    if type(connection).__module__ != _STOCK_SQLITE:
        return adapt
    zone = connection.timezone

    def prepare(value: datetime.datetime) -> Any:
        if zone is not None and value.tzinfo is zone:
            return str(value.replace(tzinfo=None))
        return adapt(value)

    return prepare


def _is_plain_integer_key(
    field: models.Field[Any, Any], connection: BaseDatabaseWrapper
) -> bool:
    # A foreign key to an integer primary key is adapted by the backend's
    # adapt_integerfield_value, which most backends leave as it is.
    return (
        isinstance(field, models.ForeignKey)
        and isinstance(field.target_field, models.IntegerField)
        and type(connection.ops).adapt_integerfield_value
        is BaseDatabaseOperations.adapt_integerfield_value
    )


def _preparer(
    field: models.Field[Any, Any], connection: BaseDatabaseWrapper
) -> _Preparer:
    if type(field) in _PLAIN_TEXT_FIELDS:
        return None
    if isinstance(field, models.JSONField):
        return _json_preparer(field, connection)
    if type(field) is models.DateTimeField:
        return _datetime_preparer(connection)
    if _is_plain_integer_key(field, connection):
        return None
    # The values are already of the field's Python type, so only the
    # backend's adaptation is left: prepared=True skips the conversion.
    return functools.partial(
        field.get_db_prep_value, connection=connection, prepared=True
    )


def _prepare(connection: BaseDatabaseWrapper) -> _Statement:
    opts = Activity._meta
    fields = tuple(
        field for field in opts.local_concrete_fields if field is not opts.pk
    )
    uses_returning = bool(
        connection.features.can_return_columns_from_insert
        and connection.vendor not in _LASTROWID_VENDORS
    )
    sql = _compile(connection, fields, returning=False)
    is_stock_sqlite = type(connection).__module__ == _STOCK_SQLITE
    return _Statement(
        sql=sql,
        returning_sql=_compile(connection, fields, returning=True)
        if uses_returning
        else None,
        # The compiled INSERT holds no literal "%", only its placeholders.
        direct_sql=sql.replace("%s", "?") if is_stock_sqlite else None,
        read=operator.itemgetter(*(field.attname for field in fields)),
        preparers=tuple(
            (position, prepare)
            for position, prepare in enumerate(
                _preparer(field, connection) for field in fields
            )
            if prepare is not None
        ),
    )


def insert(
    values: Mapping[str, Any], connection: BaseDatabaseWrapper, *, returning_pk: bool
) -> Any:
    """Insert one row of ``values`` (by attname) through ``connection``.

    Return the new primary key when ``returning_pk``, else ``None``. Every
    concrete column but the primary key must be in ``values``.
    """
    statement: _Statement | None = getattr(connection, _ATTRIBUTE, None)
    if statement is None:
        statement = _prepare(connection)
        setattr(connection, _ATTRIBUTE, statement)
    params = list(statement.read(values))
    for position, prepare in statement.preparers:
        value = params[position]
        if value is not None:
            params[position] = prepare(value)
    if statement.direct_sql is not None and _unobserved(connection):
        connection.validate_no_broken_transaction()
        with connection.wrap_database_errors:
            row_id = connection.connection.execute(statement.direct_sql, params)
        return row_id.lastrowid if returning_pk else None
    returning_sql = statement.returning_sql if returning_pk else None
    with connection.cursor() as cursor:
        cursor.execute(returning_sql or statement.sql, params)
        if not returning_pk:
            return None
        if returning_sql is not None:
            return cursor.fetchone()[0]
        return connection.ops.last_insert_id(
            cursor, Activity._meta.db_table, Activity._meta.pk.attname
        )


def _unobserved(connection: BaseDatabaseWrapper) -> bool:
    """Return whether nothing would see a query sent past Django's cursor."""
    return (
        connection.connection is not None
        and not connection.queries_logged
        and not connection.execute_wrappers
        and "cursor" not in vars(connection)
        and CursorWrapper.execute.__module__ == CursorWrapper.__module__
    )
