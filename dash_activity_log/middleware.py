"""Middleware that groups a request's activities and lets them see the request."""

from __future__ import annotations

from contextlib import AbstractContextManager

from django.http import HttpRequest

from dash.middleware import ScopeMiddleware
from dash_activity_log.context import request_scope

__all__ = ["ActivityLogMiddleware"]


class ActivityLogMiddleware(ScopeMiddleware):
    """Give every activity recorded while serving a request the same batch.

    With ``REQUEST_METADATA`` on, the activities also keep the client's IP
    address and user agent. Works in sync and async stacks; its place in
    ``MIDDLEWARE`` only decides which other middleware's changes it covers.
    """

    def scope(self, request: HttpRequest) -> AbstractContextManager[object]:
        return request_scope(request)
