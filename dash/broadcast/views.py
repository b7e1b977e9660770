"""The Server-Sent Events stream of broadcast events, for staff users."""

from __future__ import annotations

import logging

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.views.decorators.http import require_GET

from dash.broadcast.channels import readable_channels
from dash.broadcast.replays import drop_replays
from dash.broadcast.revocation import register_stream
from dash.broadcast.watcher import follow

__all__ = ["event_stream"]

logger = logging.getLogger(__name__)


def _refuse(status: int, reason: str) -> HttpResponse:
    logger.info("Refused an event stream: %s", reason)
    return HttpResponse(
        f"{reason}\n", status=status, content_type="text/plain; charset=utf-8"
    )


@require_GET
def event_stream(request: HttpRequest) -> HttpResponseBase:
    """Stream the events the signed-in staff user may see, as SSE.

    Each message is JSON ``{"id", "name", "payload", "timestamp"}``. The
    channels are fixed when the stream opens; a browser that reconnects with
    ``Last-Event-ID`` receives what it missed when django-eventstream keeps
    events in storage. Events that other processes send (``dash_emit``, a
    worker) arrive too, through Redis or ``dash.broadcast.watcher``. No
    message is sent twice on one stream (``dash.broadcast.replays``); the
    stream ends when the user's access ends or changes
    (``dash.broadcast.revocation``).
    Anonymous and non-staff users get 403 with the reason in the body. The
    stream needs an ASGI server (daphne).
    """
    # django-eventstream reads settings at import time, so import it late.
    from django_eventstream.eventrequest import EventRequest
    from django_eventstream.utils import add_default_headers
    from django_eventstream.views import Listener, stream

    user = request.user
    if not user.is_authenticated:
        return _refuse(403, "The event stream needs a signed-in staff user.")
    if not (user.is_active and user.is_staff):
        return _refuse(403, "The event stream is for active staff users only.")

    channels = readable_channels(user)
    try:
        event_request = EventRequest(
            request, channel_limit=len(channels), view_kwargs={"channels": channels}
        )
    except EventRequest.Error as exc:
        return _refuse(400, f"Invalid event stream request: {exc}.")

    listener = Listener()
    register_stream(listener, user)
    listener.channels = event_request.channels
    response = StreamingHttpResponse(
        follow(drop_replays(stream(event_request, listener))),
        content_type="text/event-stream",
    )
    add_default_headers(response, request=request)
    logger.debug("Opened an event stream for %s on %d channels", user.pk, len(channels))
    return response
