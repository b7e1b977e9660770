"""Who is acting: the causer of the events dispatched in this context.

The middleware records the current request; ``acting_as`` records a user (or
``None``) for scripts, tasks and tests. The user is looked up from the
request only when an event asks for it, so a request that changes nothing
costs no query. The request object itself, never Django's lazy
``request.user``, is what goes into the ContextVar: asgiref copies context
values between threads and evaluating the lazy user there would query the
database from async code.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest

__all__ = ["acting_as", "get_causer"]

_UNSET: Any = object()
_current: ContextVar[tuple[HttpRequest | None, Any]] = ContextVar(
    "dash_causer", default=(None, None)
)


def get_causer() -> Any:
    """Return the acting user, or ``None`` outside any request or context.

    Anonymous requests give ``None``.
    """
    request, user = _current.get()
    if request is not None:
        user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


@contextlib.contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Attribute the events dispatched inside the block to ``user``.

    ``None`` means no one. The previous causer is restored on exit.
    """
    token = _current.set((None, user))
    try:
        yield
    finally:
        _current.reset(token)


@contextlib.contextmanager
def _request_context(request: HttpRequest) -> Iterator[None]:
    token = _current.set((request, None))
    try:
        yield
    finally:
        _current.reset(token)
