"""Paginate a large table without counting every row of it.

Django's paginator numbers the pages with ``COUNT(*)``, and PostgreSQL
keeps no row count: on millions of activities that reads the whole table
on every list page. ``ActivityPaginator`` counts in one of three ways, and
``count_kind`` says which one it used:

``"exact"``
    A list with at most ``COUNT_LIMIT`` matching rows is counted exactly.
``"estimate"``
    An unfiltered list on PostgreSQL, once the planner estimates at least
    ``ESTIMATE_FROM`` rows, takes that estimate: ``pg_class.reltuples``
    scaled to the table's current size, as the planner does. It is off by
    the rows written since the last ``ANALYZE`` or autovacuum, so the last
    page may come up short or empty, or the newest few rows be past the
    last page number; every row stays reachable through the filters and
    the date drill-down.
``"more_than"``
    Any other list stops counting after ``COUNT_LIMIT`` rows. The pages
    then cover the first ``COUNT_LIMIT`` rows only; narrower filters or a
    date reach the rest.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Literal

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

__all__ = ["COUNT_LIMIT", "ESTIMATE_FROM", "ActivityPaginator", "estimated_rows"]

logger = logging.getLogger(__name__)

#: Rows counted at most before a list says "more than".
COUNT_LIMIT = 10_000
#: The estimated table size from which an unfiltered list is not counted.
ESTIMATE_FROM = 100_000

CountKind = Literal["exact", "estimate", "more_than"]

# The planner's own arithmetic: the tuple density of the last ANALYZE
# times the pages the table has now. A table never analyzed has
# reltuples = -1 and gives no estimate.
_ESTIMATE_SQL = """
    SELECT CASE
        WHEN c.reltuples < 0 THEN NULL
        WHEN c.relpages = 0 THEN c.reltuples
        ELSE c.reltuples / c.relpages
            * (pg_relation_size(c.oid) / current_setting('block_size')::int)
    END
    FROM pg_class c
    WHERE c.oid = %s::regclass
"""


def estimated_rows(queryset: QuerySet[Any]) -> int | None:
    """Return PostgreSQL's estimate of the rows in ``queryset``'s table.

    Return ``None`` on other databases and for a table never analyzed.
    """
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(_ESTIMATE_SQL, [table])
        row = cursor.fetchone()
    if row is None or row[0] is None:
        return None
    return int(row[0])


# Paginator is generic only in django-stubs; subscripting it at run time fails.
if TYPE_CHECKING:
    _Paginator = Paginator[Any]
else:
    _Paginator = Paginator


class ActivityPaginator(_Paginator):
    """A paginator whose count is cheap on any table size; see the module."""

    @cached_property
    def _tally(self) -> tuple[int, CountKind]:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return len(queryset), "exact"
        if not queryset.query.where:
            estimate = estimated_rows(queryset)
            if estimate is not None and estimate >= ESTIMATE_FROM:
                logger.debug("Paginating %s by estimate", queryset.model._meta.label)
                return estimate, "estimate"
        found = queryset.order_by()[: COUNT_LIMIT + 1].count()
        if found > COUNT_LIMIT:
            return COUNT_LIMIT, "more_than"
        return found, "exact"

    @cached_property
    def count(self) -> int:
        """Return the number of rows the pages cover; see ``count_kind``."""
        return self._tally[0]

    @property
    def count_kind(self) -> CountKind:
        """Return how ``count`` was found: exact, estimated or cut short."""
        return self._tally[1]
