"""Cost of dash's opt-in bulk events, next to Django's own bulk writes.

Each write touches 1,000 rows of the test app's ``Item`` in the in-memory
SQLite database of ``tests.settings``. The baseline is a plain QuerySet over
the same model, which emits nothing; the measured side is its
``EventManager``, with one no-op listener hearing every model event. Every
other listener (the broadcast relay, the activity log) is taken away for the
run and put back afterwards, so the numbers are dash's alone.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

from dash.events import (
    Listener,
    ModelCreated,
    ModelCreating,
    ModelDeleted,
    ModelDeleting,
    ModelEvent,
    ModelUpdated,
    ModelUpdating,
    dispatcher,
)
from tests.testapp.models import Category, Item

__all__ = ["ROWS", "run"]

ROWS = 1_000
REPEAT = 5

_EVENTS = (
    ModelCreating,
    ModelCreated,
    ModelUpdating,
    ModelUpdated,
    ModelDeleting,
    ModelDeleted,
)


def _noop(event: ModelEvent) -> None:
    return None


def _prepare_database() -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    if not isinstance(connection, SQLiteWrapper) or not connection.is_in_memory_db():
        raise RuntimeError(
            "bench_bulk writes tables and rows: run it with "
            "DJANGO_SETTINGS_MODULE=tests.settings (in-memory SQLite)."
        )
    existing = set(connection.introspection.table_names())
    with connection.schema_editor() as editor:
        for model in (Category, Item):
            if model._meta.db_table not in existing:
                editor.create_model(model)


@contextlib.contextmanager
def _only_listener(fn: Callable[[ModelEvent], None]) -> Iterator[None]:
    """Let ``fn`` be the only listener of Item's events inside the block."""
    found: dict[tuple[object, object], Listener] = {}
    for event_class in _EVENTS:
        name = f"testapp.item.{event_class.action}"
        for listener in [
            *dispatcher.listeners_for(event_class),
            *dispatcher.listeners_for(name),
        ]:
            found[(listener.fn, listener.target)] = listener
    for listener in found.values():
        dispatcher.remove_listener(listener.fn, listener.target)
    dispatcher.listen(ModelEvent, fn)
    try:
        yield
    finally:
        dispatcher.remove_listener(fn)
        for listener in sorted(found.values(), key=lambda x: x.sequence):
            if listener.target is None:
                dispatcher.listen_all(
                    listener.fn,
                    priority=listener.priority,
                    after_commit=listener.after_commit,
                )
            else:
                dispatcher.listen(
                    listener.target,
                    listener.fn,
                    priority=listener.priority,
                    after_commit=listener.after_commit,
                )


def _best(statement: Callable[[], object], setup: Callable[[], object]) -> float:
    """Return the best of REPEAT timed runs of ``statement``, each after ``setup``."""
    timings = []
    for _ in range(REPEAT):
        setup()
        started = time.perf_counter()
        statement()
        timings.append(time.perf_counter() - started)
    return min(timings)


def _pair(
    write: Callable[[models.QuerySet[Item]], object], setup: Callable[[], object]
) -> tuple[float, float]:
    plain: models.QuerySet[Item] = models.QuerySet(Item, using=DEFAULT_DB_ALIAS)
    events = Item.objects.using(DEFAULT_DB_ALIAS)
    return _best(lambda: write(plain), setup), _best(lambda: write(events), setup)


def run() -> list[tuple[str, float, float]]:
    """Return ``(write, baseline seconds, EventQuerySet seconds)`` rows.

    Each time is the best of REPEAT runs of one write of ROWS rows. Print
    nothing; ``python -m bench`` formats the rows.
    """
    _prepare_database()
    table: models.QuerySet[Item] = models.QuerySet(Item, using=DEFAULT_DB_ALIAS)
    fresh: list[Item] = []

    def new_rows() -> None:
        table.filter(name="new").delete()
        fresh[:] = [Item(name="new") for _ in range(ROWS)]

    with _only_listener(_noop):
        table.delete()
        table.bulk_create(Item(name=f"item {n}") for n in range(ROWS))
        loaded = list(table.order_by("pk"))

        def bump() -> None:
            for item in loaded:
                item.quantity += 1

        rows = [
            (
                f"QuerySet.update(), {ROWS:,} rows",
                *_pair(
                    lambda qs: qs.exclude(name="new").update(
                        quantity=models.F("quantity") + 1
                    ),
                    lambda: None,
                ),
            ),
            (
                f"bulk_create(), {ROWS:,} rows",
                *_pair(lambda qs: qs.bulk_create(fresh), new_rows),
            ),
            (
                f"bulk_update(), {ROWS:,} rows",
                *_pair(lambda qs: qs.bulk_update(loaded, ["quantity"]), bump),
            ),
        ]
    return rows
