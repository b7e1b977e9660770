"""Opt-in events for the bulk writes that send no signals.

Django's ``QuerySet.update()``, ``bulk_create()`` and ``bulk_update()``
write with one statement per batch and send no model signals, so dash
cannot see them. A model opts in with one line::

    class Book(models.Model):
        objects = EventManager()

Its querysets, and the related managers built from them
(``author.book_set.update(...)``), then emit the same per-row events as
``save()`` would, with the before state read from the database. Each
write and its events run in one transaction of the queryset's database,
so after-commit listeners and broadcasts see all of a bulk write or none
of it. ``QuerySet.delete()`` needs no opt-in: Django's collector sends
``pre_delete``/``post_delete`` for every row while dash is connected.

What a bulk write costs is measured by ``make bench`` (``bench/bench_bulk.py``).
When nothing listens to a model's events of that kind, the write runs
exactly as Django's own, with no extra query.

What stays invisible: raw SQL (``cursor.execute``, ``QuerySet.raw``,
``RunSQL``), writes through a manager that is not an ``EventManager``
(including ``Model._base_manager`` unless ``Meta.base_manager_name`` names
one), and ``bulk_create(ignore_conflicts=True)`` or
``bulk_create(update_conflicts=True)``, which emit nothing because the
database does not say which rows it inserted, skipped or updated.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Sequence
from typing import Any, TypeVar

from django.db import models, transaction

from dash import serialization
from dash._tracking import ChangeSet, change_set, emit, is_heard, is_tracked
from dash.context import get_causer
from dash.events.model import (
    ModelCreated,
    ModelCreating,
    ModelEvent,
    ModelUpdated,
    ModelUpdating,
)

__all__ = ["EventManager", "EventQuerySet"]

logger = logging.getLogger(__name__)

_M = TypeVar("_M", bound=models.Model)


class EventQuerySet(models.QuerySet[_M]):
    """A QuerySet whose ``update()``, ``bulk_create()`` and ``bulk_update()`` emit.

    A model with a QuerySet of its own derives it from this class. Every
    event carries the queryset's database alias as ``using`` and the
    current causer.
    """

    # Set by QuerySet.__init__; django-stubs does not declare it.
    _for_write: bool

    def update(self, **kwargs: Any) -> int:
        """Update the matched rows, then emit ``updating`` and ``updated`` per row.

        Return the number of rows matched, as Django does. The rows' before
        state (primary key and updated fields) is read in one query, and
        the rows are loaded after the UPDATE in one more, since only then
        are the values of expressions such as ``F("stock") - 1`` known.
        For the same reason every row's ``ModelUpdating`` is dispatched
        after the statement too, then every row's ``ModelUpdated``; both
        carry ``changes`` limited to the fields passed. A row that another
        transaction inserts or changes between the read and the UPDATE is
        updated without events or with a stale before state, as with
        ``save()``.
        """
        using = self._write_alias()
        if not self._is_heard(ModelUpdating, ModelUpdated):
            return super().update(**kwargs)
        shown = serialization.logged_fields(self.model)
        compared = _written(shown, kwargs)
        secret = _written(serialization.hidden_fields(self.model), kwargs)

        with transaction.atomic(using=using, savepoint=False):
            read = self.values("pk", *(field.attname for field in compared + secret))
            before = {row.pop("pk"): row for row in read}
            count = super().update(**kwargs)
            after = self.model._base_manager.using(using).in_bulk(before)
            rows = [
                (row, change_set(row, compared, secret, before[pk], using=using))
                for pk, row in sorted(after.items())
            ]
            causer = get_causer()
            _dispatch_changes(ModelUpdating, rows, shown, using, causer)
            _dispatch_changes(ModelUpdated, rows, shown, using, causer)
        return count

    def bulk_create(
        self,
        objs: Iterable[_M],
        batch_size: int | None = None,
        ignore_conflicts: bool = False,
        update_conflicts: bool = False,
        update_fields: Collection[str] | None = None,
        unique_fields: Collection[str] | None = None,
    ) -> list[_M]:
        """Insert ``objs``, emitting ``creating`` for each before and ``created`` after.

        Return the objects, as Django does. On PostgreSQL and on SQLite
        3.35 or newer the ``created`` events carry the new primary keys;
        on databases that cannot return them (MySQL) an auto-incremented
        ``pk`` is ``None``. With ``ignore_conflicts`` or ``update_conflicts``
        nothing is emitted: the database does not say which rows it
        inserted.
        """
        objs = list(objs)
        using = self._write_alias()
        conflicts = ignore_conflicts or update_conflicts
        if conflicts:
            logger.debug(
                "bulk_create() of %s handles conflicts and emits no events",
                self.model._meta.label,
            )
        if conflicts or not self._is_heard(ModelCreating, ModelCreated):
            return super().bulk_create(
                objs,
                batch_size=batch_size,
                ignore_conflicts=ignore_conflicts,
                update_conflicts=update_conflicts,
                update_fields=update_fields,
                unique_fields=unique_fields,
            )
        shown = serialization.logged_fields(self.model)

        with transaction.atomic(using=using, savepoint=False):
            causer = get_causer()
            _dispatch_each(ModelCreating, objs, shown, using, causer)
            created = super().bulk_create(objs, batch_size=batch_size)
            _dispatch_each(ModelCreated, created, shown, using, causer)
        return created

    def bulk_update(
        self, objs: Iterable[_M], fields: Iterable[str], batch_size: int | None = None
    ) -> int:
        """Update ``fields`` of ``objs``; emit ``updating`` before, ``updated`` after.

        Return the number of rows matched, as Django does. The before state
        of those fields is read by primary key, in one query per batch that
        the database accepts, and ``changes`` is limited to them. An object
        whose row does not exist emits nothing, as Django updates nothing
        for it; the queryset's own filters, which Django applies to the
        write, are not applied to that read.
        """
        objs = tuple(objs)
        fields = list(fields)
        using = self._write_alias()
        # Django's bulk_update() runs update() on a clone of this queryset;
        # a plain one keeps that from emitting a second set of events.
        plain: models.QuerySet[_M] = models.QuerySet(
            self.model, query=self.query.chain(), using=using
        )
        if not self._is_heard(ModelUpdating, ModelUpdated):
            return plain.bulk_update(objs, fields, batch_size=batch_size)
        shown = serialization.logged_fields(self.model)
        compared = _written(shown, fields)
        secret = _written(serialization.hidden_fields(self.model), fields)

        with transaction.atomic(using=using, savepoint=False):
            before = self._read(using, [obj.pk for obj in objs], compared + secret)
            rows = [
                (obj, change_set(obj, compared, secret, before[obj.pk], using=using))
                for obj in objs
                if obj.pk in before
            ]
            causer = get_causer()
            _dispatch_changes(ModelUpdating, rows, shown, using, causer)
            count = plain.bulk_update(objs, fields, batch_size=batch_size)
            _dispatch_changes(ModelUpdated, rows, shown, using, causer)
        return count

    def _write_alias(self) -> str:
        # Route as Django's own write methods do, before they read self.db.
        self._for_write = True
        return self.db

    def _is_heard(self, *event_classes: type[ModelEvent]) -> bool:
        return is_tracked(self.model) and is_heard(self.model, *event_classes)

    def _read(
        self, using: str, pks: Sequence[Any], fields: Sequence[models.Field[Any, Any]]
    ) -> dict[Any, dict[str, Any]]:
        # in_bulk() splits the primary keys into batches the database accepts.
        names = [field.name for field in fields] or ["pk"]
        rows = self.model._base_manager.using(using).only(*names).in_bulk(pks)
        return {
            pk: {field.attname: field.value_from_object(row) for field in fields}
            for pk, row in rows.items()
        }


def _dispatch_each(
    event_class: type[ModelCreating | ModelCreated],
    instances: Iterable[models.Model],
    shown: Sequence[models.Field[Any, Any]],
    using: str,
    causer: Any,
) -> None:
    for instance in instances:
        emit(event_class, instance, using=using, causer=causer, shown=shown)


def _written(
    fields: Sequence[models.Field[Any, Any]], names: Iterable[str]
) -> list[models.Field[Any, Any]]:
    written = set(names)
    return [f for f in fields if f.name in written or f.attname in written]


def _dispatch_changes(
    event_class: type[ModelUpdating | ModelUpdated],
    rows: Iterable[tuple[models.Model, ChangeSet]],
    shown: Sequence[models.Field[Any, Any]],
    using: str,
    causer: Any,
) -> None:
    for instance, found in rows:
        emit(event_class, instance, using=using, causer=causer, shown=shown, **found)


#: The manager of a model whose bulk writes emit events: ``objects = EventManager()``
#: is the whole opt-in. Built with ``from_queryset`` so that django-stubs types
#: ``Book.objects.filter(...)`` as ``EventQuerySet[Book]``.
EventManager = models.Manager.from_queryset(EventQuerySet, "EventManager")
