"""Middleware that makes the request's user the causer of its events."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import cast

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponseBase

from dash.context import _request_context

__all__ = ["CauserMiddleware"]

GetResponse = Callable[[HttpRequest], HttpResponseBase]
AsyncGetResponse = Callable[[HttpRequest], Awaitable[HttpResponseBase]]


class CauserMiddleware:
    """Record the request so events dispatched while serving it know who acted.

    Place it after ``AuthenticationMiddleware``. It works in sync and async
    stacks and with any authentication that sets ``request.user``, even one
    that does so later, in the view (token authentication, for instance).
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: GetResponse | AsyncGetResponse) -> None:
        self.get_response = get_response
        self._is_async = iscoroutinefunction(get_response)
        if self._is_async:
            markcoroutinefunction(self)

    def __call__(
        self, request: HttpRequest
    ) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        if self._is_async:
            return self.__acall__(request)
        with _request_context(request):
            return cast(GetResponse, self.get_response)(request)

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        with _request_context(request):
            return await cast(AsyncGetResponse, self.get_response)(request)
