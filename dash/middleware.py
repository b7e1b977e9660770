"""Middleware that makes the request's user the causer of its events.

``ScopeMiddleware`` is the public base it is built on: plugins that need
their own per-request context (the activity log's batches, say) subclass
it instead of repeating the sync and async plumbing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from typing import cast

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponseBase

from dash.context import _request_context

__all__ = ["CauserMiddleware", "ScopeMiddleware"]

GetResponse = Callable[[HttpRequest], HttpResponseBase]
AsyncGetResponse = Callable[[HttpRequest], Awaitable[HttpResponseBase]]


class ScopeMiddleware:
    """Serve each request inside the context manager ``scope(request)`` returns.

    Subclasses implement ``scope``. The middleware works in sync and async
    stacks; in an async stack the scope is entered in the event loop, so a
    ContextVar it sets follows the request into ``sync_to_async`` views.
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: GetResponse | AsyncGetResponse) -> None:
        self.get_response = get_response
        self._is_async = iscoroutinefunction(get_response)
        if self._is_async:
            markcoroutinefunction(self)

    def scope(self, request: HttpRequest) -> AbstractContextManager[object]:
        """Return the context manager that ``request`` is served in."""
        raise NotImplementedError(f"{type(self).__name__} must define scope(request).")

    def __call__(
        self, request: HttpRequest
    ) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        if self._is_async:
            return self.__acall__(request)
        with self.scope(request):
            return cast(GetResponse, self.get_response)(request)

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        with self.scope(request):
            return await cast(AsyncGetResponse, self.get_response)(request)


class CauserMiddleware(ScopeMiddleware):
    """Record the request so events dispatched while serving it know who acted.

    Place it after ``AuthenticationMiddleware``. It works in sync and async
    stacks and with any authentication that sets ``request.user``, even one
    that does so later, in the view (token authentication, for instance).
    """

    def scope(self, request: HttpRequest) -> AbstractContextManager[object]:
        return _request_context(request)
