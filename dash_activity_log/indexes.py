"""An index that lets PostgreSQL answer ``istartswith`` without reading the table.

On PostgreSQL, Django compiles ``field__istartswith="ab"`` to
``UPPER("field"::text) LIKE UPPER('ab%')``. Only a B-tree of that very
expression can serve it, and only in the ``text_pattern_ops`` operator
class (an ordinary B-tree answers ``LIKE`` only when the database's
collation is "C"). Django cannot declare that index portably:
``Index.opclasses`` takes no expressions, and django.contrib.postgres's
``OpClass`` needs that app installed and fails on other databases.
``PrefixSearchIndex`` is declared like a field index and writes the
right statement for the database it is created on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.backends.ddl_references import Statement
from django.db.models.expressions import ExpressionList, Func
from django.db.models.functions import Upper
from django.db.models.sql import Query

__all__ = ["PrefixSearchIndex"]


class PrefixSearchIndex(models.Index):
    """Index text fields for a case-insensitive prefix search (``istartswith``).

    On PostgreSQL each field is indexed as ``UPPER("field"::text)
    text_pattern_ops``, which ``istartswith`` and ``iexact`` use whatever
    the collation. Elsewhere (SQLite, MySQL) ``istartswith`` is a ``LIKE``
    that no index of this kind serves, so the index only keeps the
    declaration portable: ``models.Index(Upper(field))``, kept empty by a
    condition no row meets where the database has partial indexes, so that
    saves do not pay for it.
    """

    def __init__(
        self, *, fields: Sequence[str], name: str, db_tablespace: str | None = None
    ) -> None:
        super().__init__(fields=fields, name=name, db_tablespace=db_tablespace)

    def create_sql(
        self,
        model: type[models.Model],
        schema_editor: BaseDatabaseSchemaEditor,
        using: str = "",
        **kwargs: Any,
    ) -> Statement:
        uppers = [Upper(field) for field, _ in self.fields_orders]
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            # No index of this kind serves the search here, and every index
            # is paid for on every save: where the database can, keep it
            # empty, covering the rows whose primary key is null (none).
            plain = models.Index(
                *uppers,
                name=self.name,
                db_tablespace=self.db_tablespace,
                condition=models.Q(pk__isnull=True)
                if connection.features.supports_partial_indexes
                else None,
            )
            return plain.create_sql(model, schema_editor, using=using, **kwargs)
        # Index.create_sql would wrap each expression in parentheses, with no
        # room for an operator class after it; the schema editor's private
        # builder, which Index.create_sql itself calls, takes them as they are.
        patterns = ExpressionList(
            *(
                Func(upper, template="%(expressions)s text_pattern_ops")
                for upper in uppers
            )
        ).resolve_expression(Query(model, alias_cols=False))
        statement: Statement = schema_editor._create_index_sql(  # type: ignore[attr-defined]
            model,
            name=self.name,
            using=using,
            db_tablespace=self.db_tablespace,
            expressions=patterns,
            **kwargs,
        )
        return statement
