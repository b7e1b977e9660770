"""The activity list's date drill-down, asking an index instead of reading rows.

Django's own drill-down finds the years, months or days that have rows
with ``SELECT DISTINCT`` over every row the list matches: the whole table
when nothing is selected yet. This one reads the first and the last date
(two index lookups) and then asks, for each period strictly between the
periods that hold them, whether any matching row lies in it: an
``EXISTS`` over a range of the indexed date, which stops at the first row
it finds. That is at most one small query per year, per month of the
chosen year or per day of the chosen month, whatever the number of rows;
when a filter matches few rows, each question may read its whole period.
A list whose every row is on the page it shows (a search that found a
handful of activities, or none) asks nothing: the page's own dates answer.
The context it returns is what ``admin/date_hierarchy.html`` shows.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.admin.views.main import ChangeList
from django.db import models
from django.db.models import Max, Min, QuerySet
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

__all__ = ["date_hierarchy"]


def _boundary(field: models.Field[Any, Any], day: datetime.date) -> Any:
    if not isinstance(field, models.DateTimeField):
        return day
    # The same boundaries as the ChangeList's own year/month/day filter.
    moment = datetime.datetime(day.year, day.month, day.day)
    return timezone.make_aware(moment) if settings.USE_TZ else moment


def _next_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _local_date(value: datetime.date) -> datetime.date:
    if not isinstance(value, datetime.datetime):
        return value
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.date()


_Period = tuple[datetime.date, datetime.date]


def _days(year: int, month: int) -> list[_Period]:
    start = datetime.date(year, month, 1)
    count = (_next_month(start) - start).days
    return [
        (start + datetime.timedelta(days=n), start + datetime.timedelta(days=n + 1))
        for n in range(count)
    ]


def _months(year: int) -> list[_Period]:
    starts = [datetime.date(year, number, 1) for number in range(1, 13)]
    return [(start, _next_month(start)) for start in starts]


def _years(first: int, last: int) -> list[_Period]:
    return [
        (datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1))
        for year in range(first, last + 1)
    ]


class _Probe:
    """Tell which periods hold rows of a queryset, querying as little as it can.

    ``span`` is the first and the last date of those rows, ``None`` when
    there are none. A period outside the span holds nothing and one that
    contains either end holds something; only the others are asked, or,
    when ``dates`` holds the date of every row, looked up in it.
    """

    def __init__(
        self,
        queryset: QuerySet[Any],
        field: models.Field[Any, Any],
        span: tuple[datetime.date, datetime.date] | None,
        dates: list[datetime.date] | None = None,
    ) -> None:
        self.queryset = queryset
        self.field = field
        self.span = span
        self.dates = dates

    def has_rows(self, period: _Period) -> bool:
        if self.span is None:
            return False
        start, end = period
        first, last = self.span
        if end <= first or start > last:
            return False
        if start <= first < end or start <= last < end:
            return True
        if self.dates is not None:
            return any(start <= each < end for each in self.dates)
        return self.queryset.filter(
            **{
                f"{self.field.name}__gte": _boundary(self.field, start),
                f"{self.field.name}__lt": _boundary(self.field, end),
            }
        ).exists()

    def kept(self, periods: list[_Period]) -> list[datetime.date]:
        return [period[0] for period in periods if self.has_rows(period)]


def _span(
    queryset: QuerySet[Any], name: str
) -> tuple[datetime.date, datetime.date] | None:
    found = queryset.aggregate(first=Min(name), last=Max(name))
    if found["first"] is None or found["last"] is None:
        return None
    return _local_date(found["first"]), _local_date(found["last"])


def _listed_dates(cl: ChangeList, name: str) -> list[datetime.date] | None:
    """Return the dates of every row ``cl`` matches, if its page holds them all.

    Return ``None`` when some rows are on other pages or the count that
    would tell is not exact.
    """
    # A search that finds few rows, or none, is where the index lookups go
    # wrong: PostgreSQL reads the date index from each end until it meets
    # a matching row, through the whole table when there is none.
    if getattr(cl.paginator, "count_kind", "exact") != "exact":
        return None
    rows = list(cl.result_list)
    if len(rows) != cl.result_count:
        return None
    values = (getattr(row, name) for row in rows)
    return [_local_date(value) for value in values if value is not None]


def _selected(cl: ChangeList, name: str) -> tuple[int | None, ...]:
    # ChangeList has already refused values that are not numbers.
    values = (cl.params.get(f"{name}__{part}") for part in ("year", "month", "day"))
    return tuple(int(value) if value else None for value in values)


def _title(day: datetime.date, format_name: str) -> str:
    return str(capfirst(formats.date_format(day, format_name)))


def date_hierarchy(cl: ChangeList) -> dict[str, Any]:
    """Return the drill-down links for ``cl``, a change list with a date_hierarchy."""
    name = cl.date_hierarchy
    field = cl.model._meta.get_field(name)
    assert isinstance(field, models.Field)
    queryset = cl.queryset.order_by()
    year, month, day = _selected(cl, name)
    dates = _listed_dates(cl, name)
    if dates is None:
        span = _span(queryset, name)
    else:
        span = (min(dates), max(dates)) if dates else None
    if year is None:
        if span is None:
            return {"show": True, "back": None, "choices": []}
        # Like Django's: start at the level where there is a choice to make.
        first, last = span
        if first.year == last.year:
            year = first.year
            month = first.month if first.month == last.month else None
    probe = _Probe(queryset, field, span, dates)

    def link(**parts: int) -> str:
        new = {f"{name}__{part}": value for part, value in parts.items()}
        return str(cl.get_query_string(new, [f"{name}__"]))

    if year is not None and month is not None and day is not None:
        chosen = datetime.date(year, month, day)
        back = {
            "link": link(year=year, month=month),
            "title": _title(chosen, "YEAR_MONTH_FORMAT"),
        }
        choices = [{"title": _title(chosen, "MONTH_DAY_FORMAT")}]
    elif year is not None and month is not None:
        back = {"link": link(year=year), "title": str(year)}
        choices = [
            {
                "link": link(year=year, month=month, day=each.day),
                "title": _title(each, "MONTH_DAY_FORMAT"),
            }
            for each in probe.kept(_days(year, month))
        ]
    elif year is not None:
        back = {"link": link(), "title": _("All dates")}
        choices = [
            {
                "link": link(year=year, month=each.month),
                "title": _title(each, "YEAR_MONTH_FORMAT"),
            }
            for each in probe.kept(_months(year))
        ]
    else:
        assert span is not None
        back = None
        choices = [
            {"link": link(year=each.year), "title": str(each.year)}
            for each in probe.kept(_years(span[0].year, span[1].year))
        ]
    return {"show": True, "back": back, "choices": choices}
