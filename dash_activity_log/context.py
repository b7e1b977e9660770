"""Where activities are being recorded: a request, an explicit batch, a command.

The request and the batch live in one ContextVar, so they follow the code
into ``sync_to_async`` threads and out of them again, as dash's causer does.

The running management command is found on the call stack: both
``manage.py <command>`` and ``call_command()`` go through
``BaseCommand.execute``, so the outermost frame of that function in this
thread is the command the operator asked for, whatever it calls in turn.
Note: a command that overrides ``execute()`` without calling
``super().execute()``, or work it hands to other threads, is not seen.
"""

from __future__ import annotations

import contextlib
import inspect
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.management.base import BaseCommand
from django.http import HttpRequest

from dash_activity_log.conf import activity_log_settings

__all__ = [
    "Scope",
    "batch",
    "command_name",
    "current_scope",
    "request_scope",
    "running_command",
]

_EXECUTE_CODE = BaseCommand.execute.__code__


@dataclass(frozen=True)
class Scope:
    """The batch and request of the current context; either may be ``None``."""

    batch: uuid.UUID | None = None
    request: HttpRequest | None = None


_NO_SCOPE = Scope()
_scope: ContextVar[Scope] = ContextVar("dash_activity_log_scope")


def current_scope() -> Scope:
    """Return the batch and request that activities recorded now belong to."""
    return _scope.get(_NO_SCOPE)


@contextlib.contextmanager
def batch(batch_id: uuid.UUID | None = None) -> Iterator[uuid.UUID]:
    """Group every activity recorded inside the block under one batch id.

    Yield the id: ``batch_id`` to continue an earlier batch (a worker task
    carrying on a request's work, say), or a new one. It takes precedence
    over the batch of the request, command or transaction around it; the
    previous batch is restored on exit.
    """
    chosen = uuid.uuid4() if batch_id is None else batch_id
    token = _scope.set(Scope(batch=chosen, request=current_scope().request))
    try:
        yield chosen
    finally:
        _scope.reset(token)


@contextlib.contextmanager
def request_scope(request: HttpRequest) -> Iterator[None]:
    """Record the activities of the block as ``request``'s, under a new batch."""
    token = _scope.set(Scope(batch=uuid.uuid4(), request=request))
    try:
        yield
    finally:
        _scope.reset(token)


def running_command() -> BaseCommand | None:
    """Return the outermost management command running in this thread, if any.

    Commands listed in ``SERVER_COMMANDS`` (``runserver`` and the like)
    count as no command: the requests they serve are not the system's doing.
    """
    found = None
    frame = inspect.currentframe()
    while frame is not None:
        if frame.f_code is _EXECUTE_CODE:
            command = frame.f_locals.get("self")
            if isinstance(command, BaseCommand):
                found = command
        frame = frame.f_back
    if found is None or command_name(found) in activity_log_settings().server_commands:
        return None
    return found


def command_name(command: BaseCommand) -> str:
    """Return the name ``manage.py`` knows ``command`` by: its module's name."""
    return type(command).__module__.rpartition(".")[2]
