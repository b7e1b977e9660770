"""The process-wide ``EventDispatcher`` that every dash event flows through."""

from __future__ import annotations

import functools
import inspect
import itertools
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, overload

from asgiref.sync import async_to_sync, sync_to_async
from django.db import transaction

from dash.conf import dash_settings
from dash.events.base import Event

__all__ = ["EventDispatcher", "Listener", "ListenerFunc", "dispatcher"]

logger = logging.getLogger("dash.events")

ListenerFunc = Callable[[Any], Any]
Target = type[Event] | str | None
F = TypeVar("F", bound=ListenerFunc)
_Calls = tuple[tuple[ListenerFunc, "Listener | None"], ...]

_PATTERN_SEGMENT = re.compile(r"^(?:[a-z0-9_*-]+)(?:\.[a-z0-9_*-]+)*$")


def _compile_pattern(pattern: str) -> re.Pattern[str]:
    if not _PATTERN_SEGMENT.match(pattern):
        raise ValueError(
            f"Invalid event name pattern {pattern!r}: use dotted lowercase words "
            "with '*' wildcards, such as 'library.*' or '*.deleted'."
        )
    return re.compile(
        "^" + ".*".join(re.escape(part) for part in pattern.split("*")) + "$"
    )


def _dotted_path(fn: ListenerFunc) -> str:
    module = getattr(fn, "__module__", None) or "?"
    qualname = getattr(fn, "__qualname__", None) or repr(fn)
    return f"{module}.{qualname}"


@dataclass(frozen=True)
class Listener:
    """A registered listener, as ``EventDispatcher.listeners_for`` lists it."""

    fn: ListenerFunc
    #: The ``Event`` subclass, the name pattern, or ``None`` for every event.
    target: type[Event] | str | None
    priority: int
    after_commit: bool
    sequence: int
    #: Decides, once per event class, whether the listener hears that class.
    where: Callable[[type[Event]], bool] | None = None

    @functools.cached_property
    def is_async(self) -> bool:
        return inspect.iscoroutinefunction(self.fn)

    @property
    def is_plain(self) -> bool:
        """Whether dispatch() may call it directly: sync, not after commit."""
        return not (self.is_async or self.after_commit)

    @property
    def path(self) -> str:
        """The listener function's dotted path, for logs and listings."""
        return _dotted_path(self.fn)

    @functools.cached_property
    def _regex(self) -> re.Pattern[str]:
        assert isinstance(self.target, str)
        return _compile_pattern(self.target)

    def hears(self, event_class: type[Event] | None, name: str) -> bool:
        """Return whether this listener hears an event of that class and name."""
        target = self.target
        if self.where is not None and (
            event_class is None or not self.where(event_class)
        ):
            return False
        if target is None:
            return True
        if isinstance(target, str):
            return self._regex.match(name) is not None
        return event_class is not None and issubclass(event_class, target)


class EventDispatcher:
    """Call the listeners of each dispatched event, in priority order.

    Listeners are registered by event class (they also hear subclasses), by
    name pattern with ``*`` wildcards, or for every event. Higher priority
    runs first; equal priorities run in registration order. A listener that
    raises is logged on the ``dash.events`` logger and the others still run,
    unless ``DASH["RAISE_LISTENER_ERRORS"]`` is true.
    """

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._resolved: dict[tuple[type[Event] | None, str], _Calls] = {}
        self._lock = threading.Lock()
        self._sequence = itertools.count()

    @overload
    def listen(
        self,
        target: type[Event] | str,
        fn: None = None,
        *,
        priority: int = ...,
        after_commit: bool = ...,
    ) -> Callable[[F], F]: ...

    @overload
    def listen(
        self,
        target: type[Event] | str,
        fn: F,
        *,
        priority: int = ...,
        after_commit: bool = ...,
    ) -> F: ...

    def listen(
        self,
        target: type[Event] | str,
        fn: F | None = None,
        *,
        priority: int = 0,
        after_commit: bool = False,
    ) -> F | Callable[[F], F]:
        """Register ``fn`` for an event class or a name pattern.

        Without ``fn``, return a decorator. With ``after_commit=True`` the
        listener runs once the transaction of the event's database commits,
        and never if it rolls back. Registering the same function for the
        same target again changes nothing. Raise ``TypeError`` or
        ``ValueError`` for a target that is neither an ``Event`` subclass nor
        a valid pattern.
        """
        if isinstance(target, str):
            _compile_pattern(target)
        elif not (isinstance(target, type) and issubclass(target, Event)):
            raise TypeError(
                f"dispatcher.listen() takes an Event subclass or a name pattern, "
                f"not {target!r}."
            )
        return self._register(target, fn, priority, after_commit)

    @overload
    def listen_all(
        self,
        fn: None = None,
        *,
        priority: int = ...,
        after_commit: bool = ...,
        where: Callable[[type[Event]], bool] | None = ...,
    ) -> Callable[[F], F]: ...

    @overload
    def listen_all(
        self,
        fn: F,
        *,
        priority: int = ...,
        after_commit: bool = ...,
        where: Callable[[type[Event]], bool] | None = ...,
    ) -> F: ...

    def listen_all(
        self,
        fn: F | None = None,
        *,
        priority: int = 0,
        after_commit: bool = False,
        where: Callable[[type[Event]], bool] | None = None,
    ) -> F | Callable[[F], F]:
        """Register ``fn`` for every event; without ``fn``, return a decorator.

        ``where(event_class)``, when given, narrows that to the event classes
        it accepts (``lambda cls: cls.broadcast``, say). It is asked once per
        event class and name, so it must depend on the class alone; events
        the listener does not hear cost nothing, and count as unheard for
        ``has_listeners``.
        """
        return self._register(None, fn, priority, after_commit, where)

    def _register(
        self,
        target: Target,
        fn: F | None,
        priority: int,
        after_commit: bool,
        where: Callable[[type[Event]], bool] | None = None,
    ) -> F | Callable[[F], F]:
        if fn is None:
            return lambda decorated: self._add(
                target, decorated, priority, after_commit, where
            )
        return self._add(target, fn, priority, after_commit, where)

    def _add(
        self,
        target: Target,
        fn: F,
        priority: int,
        after_commit: bool,
        where: Callable[[type[Event]], bool] | None,
    ) -> F:
        if not callable(fn):
            raise TypeError(f"A listener must be callable, not {fn!r}.")
        with self._lock:
            if any(x.fn == fn and x.target == target for x in self._listeners):
                return fn
            self._listeners.append(
                Listener(
                    fn, target, priority, after_commit, next(self._sequence), where
                )
            )
            self._listeners.sort(key=lambda x: (-x.priority, x.sequence))
            self._resolved.clear()
        return fn

    def remove_listener(self, fn: ListenerFunc, target: Target = None) -> bool:
        """Unregister ``fn`` from ``target``, or from everything when omitted.

        A listener registered through a wrapper that names ``fn`` as its
        ``__wrapped__`` (``functools.wraps``, ``dash.panel``) goes too.
        Return whether anything was removed.
        """
        with self._lock:
            kept = [
                x
                for x in self._listeners
                if not (
                    (x.fn == fn or getattr(x.fn, "__wrapped__", None) == fn)
                    and (target is None or x.target == target)
                )
            ]
            removed = len(kept) != len(self._listeners)
            self._listeners = kept
            self._resolved.clear()
        return removed

    def listeners(self) -> list[Listener]:
        """Return every registered listener, whatever it hears, in calling order.

        Calling order is highest priority first, then registration order;
        for listings such as ``manage.py dash_listeners``.
        """
        with self._lock:
            return list(self._listeners)

    def listeners_for(self, event: Event | type[Event] | str) -> list[Listener]:
        """Return the listeners that would hear ``event``, in calling order.

        ``event`` is an instance, an ``Event`` subclass or an event name; a
        bare name cannot match class listeners.
        """
        if isinstance(event, str):
            return self._matching(None, event)
        if isinstance(event, Event):
            return self._matching(type(event), event.name)
        return self._matching(event, event.name)

    def has_listeners(self, event_class: type[Event], name: str) -> bool:
        """Return whether any listener would hear such an event."""
        calls = self._resolved.get((event_class, name))
        if calls is None:
            calls = self._calls(event_class, name)
        return bool(calls)

    def _matching(self, event_class: type[Event] | None, name: str) -> list[Listener]:
        return [x for x in self._listeners if x.hears(event_class, name)]

    def _calls(self, event_class: type[Event] | None, name: str) -> _Calls:
        key = (event_class, name)
        calls = self._resolved.get(key)
        if calls is None:
            # A plain sync listener is called directly in dispatch()'s loop;
            # the others (async, after commit) go through _call_special.
            calls = tuple(
                (x.fn, None if x.is_plain else x)
                for x in self._matching(event_class, name)
            )
            self._resolved[key] = calls
        return calls

    def dispatch(self, event: Event) -> Event:
        """Call every listener of ``event`` from synchronous code.

        Async listeners run to completion through ``async_to_sync``; from a
        running event loop use ``adispatch``. Return the event.
        """
        calls = self._resolved.get((type(event), event.name))
        if calls is None:
            calls = self._calls(type(event), event.name)
        # Hot path: keep it to a lookup and a loop, Signal.send's own shape.
        for fn, special in calls:
            try:
                if special is None:
                    fn(event)
                else:
                    self._call_special(special, event)
            except Exception as exc:
                self._handle_error(fn, event, exc)
            if event._propagation_stopped:
                break
        return event

    def _call_special(self, listener: Listener, event: Event) -> None:
        if listener.after_commit:
            transaction.on_commit(
                functools.partial(self._call, listener, event), using=event.using
            )
        else:
            async_to_sync(listener.fn)(event)

    async def adispatch(self, event: Event) -> Event:
        """Call every listener of ``event`` from async code.

        Sync listeners run in a worker thread, so they never block the event
        loop. Return the event.
        """
        for listener in self._matching(type(event), event.name):
            if listener.after_commit:
                await sync_to_async(transaction.on_commit)(
                    functools.partial(self._call, listener, event), using=event.using
                )
            elif listener.is_async:
                try:
                    await listener.fn(event)
                except Exception as exc:
                    self._handle_error(listener.fn, event, exc)
            else:
                await sync_to_async(self._call)(listener, event)
            if event._propagation_stopped:
                break
        return event

    def _call(self, listener: Listener, event: Event) -> None:
        try:
            if listener.is_async:
                async_to_sync(listener.fn)(event)
            else:
                listener.fn(event)
        except Exception as exc:
            self._handle_error(listener.fn, event, exc)

    def _handle_error(self, fn: ListenerFunc, event: Event, exc: Exception) -> None:
        if dash_settings().raise_listener_errors:
            raise exc
        logger.error(
            "Listener %s failed on event %s (%s)",
            _dotted_path(fn),
            event.name,
            event.id,
            exc_info=exc,
        )


#: The one dispatcher of the process; register listeners in AppConfig.ready().
dispatcher = EventDispatcher()
