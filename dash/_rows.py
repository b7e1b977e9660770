"""Read one row's stored values, compiling the query once per connection.

Reading the row as it was before a save is the largest part of what an
update event costs, and building and compiling that query through the ORM
cost about twenty times running it. The compiled SQL and the backend's
value converters are kept per connection (Django's connections are per
thread) and per model and column set; only the pk changes between reads.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

from django.db import connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.sql.compiler import SQLCompiler

__all__ = ["stored_values"]


@dataclass(frozen=True)
class _Prepared:
    sql: str
    compiler: SQLCompiler
    converters: dict[int, Any]


_Key = tuple[type[models.Model], tuple[str, ...]]
_prepared: weakref.WeakKeyDictionary[
    BaseDatabaseWrapper, dict[_Key, _Prepared | None]
] = weakref.WeakKeyDictionary()


def _query(
    model: type[models.Model], columns: tuple[str, ...], pk: Any, using: str
) -> models.QuerySet[Any, dict[str, Any]]:
    return (
        model._base_manager.using(using).order_by().filter(pk=pk).values(*columns)[:1]
    )


def _prepare(
    model: type[models.Model], columns: tuple[str, ...], pk: Any, using: str
) -> _Prepared | None:
    compiler = _query(model, columns, pk, using).query.get_compiler(using)
    sql, params = compiler.as_sql()
    if len(params) != 1:
        # Not the plain "WHERE pk = %s" shape; read through the ORM instead.
        return None
    expressions = [expression for expression, _, _ in compiler.select]
    return _Prepared(sql, compiler, compiler.get_converters(expressions))


def stored_values(
    model: type[models.Model], attnames: tuple[str, ...], pk: Any, using: str
) -> dict[str, Any] | None:
    """Return ``{attname: stored value}`` of row ``pk``, or ``None`` if it is gone.

    The values are what the ORM would return for them (converted from the
    database's representation).
    """
    columns = attnames or (model._meta.pk.attname,)
    connection = connections[using]
    per_connection = _prepared.setdefault(connection, {})
    key = (model, columns)
    if key not in per_connection:
        per_connection[key] = _prepare(model, columns, pk, using)
    prepared = per_connection[key]
    if prepared is None:
        row = _query(model, columns, pk, using).first()
        return None if row is None else {name: row[name] for name in attnames}

    with connection.cursor() as cursor:
        cursor.execute(
            prepared.sql,
            [model._meta.pk.get_db_prep_value(pk, connection, prepared=False)],
        )
        found = cursor.fetchone()
    if found is None:
        return None
    if prepared.converters:
        found = next(prepared.compiler.apply_converters([found], prepared.converters))
    return dict(zip(attnames, found, strict=False))
