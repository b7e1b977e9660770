"""Cost of dispatching one event, next to Django's Signal.send and a plain loop.

The same receiver functions are used by all three, so the differences are
the dispatch machinery alone.
"""

from __future__ import annotations

import functools
import timeit
from collections.abc import Callable
from typing import Any

from django.dispatch import Signal

from dash.events import Event, EventDispatcher

LISTENER_COUNTS = (0, 1, 10)
NUMBER = 50_000
REPEAT = 7


class _BenchEvent(Event):
    name = "bench.thing.happened"


def _receiver() -> Callable[..., None]:
    def receive(*args: Any, **kwargs: Any) -> None:
        return None

    return receive


def _plain_loop(receivers: list[Callable[..., None]], event: Event) -> None:
    for fn in receivers:
        fn(event)


def _best(statement: Callable[[], Any]) -> float:
    """Return the best per-call time in seconds over REPEAT runs of NUMBER."""
    return min(timeit.repeat(statement, number=NUMBER, repeat=REPEAT)) / NUMBER


def run() -> list[dict[str, Any]]:
    """Return one row per listener count with the three per-call costs."""
    rows = []
    for count in LISTENER_COUNTS:
        receivers = [_receiver() for _ in range(count)]
        bus = EventDispatcher()
        signal = Signal()
        for fn in receivers:
            bus.listen(_BenchEvent, fn)
            signal.connect(fn, weak=False)
        event = _BenchEvent()

        rows.append(
            {
                "listeners": count,
                "dash": _best(functools.partial(bus.dispatch, event)),
                "signal": _best(functools.partial(signal.send, None, event=event)),
                "loop": _best(functools.partial(_plain_loop, receivers, event)),
            }
        )
    return rows
