"""Cost of one model save with the activity log on, next to bare and django-auditlog.

Every set-up saves the same eight-field model, ``benchapp.Reading``, in the
in-memory SQLite database of the bench settings: ROWS creations in one
transaction, then ROWS updates changing two fields each in another, each
the best of REPEAT rounds, divided by ROWS. The set-ups, all in this run
and taking turns within each round:

``bare``
    Django's ``save()`` alone: dash's model-signal receivers are
    disconnected and django-auditlog does not register the model, so no
    receiver runs at all.
``dash, no listener``
    dash's receivers connected, with every listener taken away: the cost of
    turning saves into events that nobody hears.
``activity log``
    dash's receivers and the activity log's recorder, the only listener
    (the broadcast relay is taken away): one ``Activity`` row per save.
``django-auditlog``
    dash disconnected and the model registered with django-auditlog: one
    ``LogEntry`` row per save.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import time
from collections.abc import Callable, Iterator

from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import signals

from bench.benchapp.models import Reading
from dash import signals as dash_signals
from dash.events import (
    Listener,
    ModelCreated,
    ModelCreating,
    ModelDeleted,
    ModelDeleting,
    ModelUpdated,
    ModelUpdating,
    dispatcher,
)

__all__ = ["CREATE_TARGET", "REPEAT", "ROWS", "UPDATE_TARGET", "run"]

ROWS = 500
REPEAT = 7
#: The issue's targets, as multiples of a bare save.
CREATE_TARGET = 2.0
UPDATE_TARGET = 2.5

_DASH_RECEIVERS = (
    (signals.pre_save, "dash.pre_save"),
    (signals.post_save, "dash.post_save"),
    (signals.pre_delete, "dash.pre_delete"),
    (signals.post_delete, "dash.post_delete"),
    (signals.pre_delete, "dash.deletion.pre"),
    (signals.post_delete, "dash.deletion.post"),
    (signals.m2m_changed, "dash.m2m_changed"),
)
_EVENTS = (
    ModelCreating,
    ModelCreated,
    ModelUpdating,
    ModelUpdated,
    ModelDeleting,
    ModelDeleted,
)
_TABLES = ("benchapp_reading", "dash_activity_log_activity", "auditlog_logentry")

Row = tuple[str, float, float]


@contextlib.contextmanager
def _dash_disconnected() -> Iterator[None]:
    for signal, uid in _DASH_RECEIVERS:
        signal.disconnect(dispatch_uid=uid)
    try:
        yield
    finally:
        dash_signals.connect()


@contextlib.contextmanager
def _listeners_kept(keep: Callable[[Listener], bool]) -> Iterator[None]:
    """Take away every listener of Reading's events that ``keep`` refuses."""
    found: dict[tuple[object, object], Listener] = {}
    for event_class in _EVENTS:
        for listener in [
            *dispatcher.listeners_for(event_class),
            *dispatcher.listeners_for(f"benchapp.reading.{event_class.action}"),
        ]:
            if not keep(listener):
                found[(listener.fn, listener.target)] = listener
    for listener in found.values():
        dispatcher.remove_listener(listener.fn, listener.target)
    try:
        yield
    finally:
        for listener in sorted(found.values(), key=lambda x: x.sequence):
            options = {
                "priority": listener.priority,
                "after_commit": listener.after_commit,
            }
            if listener.target is None:
                dispatcher.listen_all(listener.fn, **options)
            else:
                dispatcher.listen(listener.target, listener.fn, **options)


@contextlib.contextmanager
def _audited() -> Iterator[None]:
    from auditlog.registry import auditlog

    auditlog.register(Reading)
    try:
        yield
    finally:
        auditlog.unregister(Reading)


def _is_recorder(listener: Listener) -> bool:
    return getattr(listener.fn, "__module__", "") == "dash_activity_log.recorder"


def _empty_tables() -> None:
    with connection.cursor() as cursor:
        for table in _TABLES:
            cursor.execute(f"DELETE FROM {table}")


def _new_reading(n: int) -> Reading:
    return Reading(
        name=f"Reading {n}",
        code=f"R-{n:05d}",
        count=n,
        amount=decimal.Decimal("12.50"),
        active=True,
        taken_on=datetime.date(2026, 3, 1),
        taken_at=datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC),
        notes="First reading",
    )


def _timed(work: Callable[[], None]) -> float:
    started = time.perf_counter()
    with transaction.atomic():
        work()
    return time.perf_counter() - started


def _measure_once() -> tuple[float, float]:
    """Return the per-save seconds of ROWS creations and of ROWS updates."""
    _empty_tables()
    fresh = [_new_reading(n) for n in range(ROWS)]

    def create() -> None:
        for reading in fresh:
            reading.save()

    created = _timed(create)
    loaded = list(Reading.objects.order_by("pk"))

    def update() -> None:
        for reading in loaded:
            reading.count += 1
            reading.notes = "Second reading"
            reading.save()

    updated = _timed(update)
    _empty_tables()
    return created / ROWS, updated / ROWS


_SetUp = Callable[[], contextlib.AbstractContextManager[None]]
_SETUPS: tuple[tuple[str, _SetUp], ...] = (
    ("bare", _dash_disconnected),
    ("dash, no listener", lambda: _listeners_kept(lambda listener: False)),
    ("activity log", lambda: _listeners_kept(_is_recorder)),
    ("django-auditlog", lambda: _stacked(_dash_disconnected(), _audited())),
)


@contextlib.contextmanager
def _stacked(*managers: contextlib.AbstractContextManager[None]) -> Iterator[None]:
    with contextlib.ExitStack() as stack:
        for manager in managers:
            stack.enter_context(manager)
        yield


def run() -> list[Row]:
    """Return ``(set-up, seconds per create, seconds per update)`` rows.

    The first row is the bare save the others are compared with. The set-ups
    take turns, one run each per round, so that a slow spell of the machine
    weighs on all of them alike; each keeps its best round. Print nothing;
    ``python -m bench`` formats the rows.
    """
    call_command("migrate", run_syncdb=True, verbosity=0)
    best = {name: (float("inf"), float("inf")) for name, _ in _SETUPS}
    for _ in range(REPEAT):
        for name, setup in _SETUPS:
            with setup():
                create, update = _measure_once()
            best[name] = (min(best[name][0], create), min(best[name][1], update))
    return [(name, *best[name]) for name, _ in _SETUPS]
