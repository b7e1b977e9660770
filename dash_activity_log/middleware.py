"""Middleware that groups a request's activities and lets them see the request."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import cast

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponseBase

from dash_activity_log.context import request_scope

__all__ = ["ActivityLogMiddleware"]

GetResponse = Callable[[HttpRequest], HttpResponseBase]
AsyncGetResponse = Callable[[HttpRequest], Awaitable[HttpResponseBase]]


class ActivityLogMiddleware:
    """Give every activity recorded while serving a request the same batch.

    With ``REQUEST_METADATA`` on, the activities also keep the client's IP
    address and user agent. Works in sync and async stacks; its place in
    ``MIDDLEWARE`` only decides which other middleware's changes it covers.
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
        with request_scope(request):
            return cast(GetResponse, self.get_response)(request)

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        with request_scope(request):
            return await cast(AsyncGetResponse, self.get_response)(request)
