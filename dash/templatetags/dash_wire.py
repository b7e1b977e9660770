"""The ``{% dash_wire %}`` tag that loads dash-wire.js on admin pages."""

from __future__ import annotations

import logging
from typing import Any

from django import template
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, json_script

from dash.serialization import to_json_safe

logger = logging.getLogger(__name__)

register = template.Library()


def _page(context: template.Context) -> dict[str, Any] | None:
    opts = context.get("opts")
    if opts is None:
        return None
    original = context.get("original")
    if original is not None and getattr(original, "pk", None) is not None:
        view, pk = "change", str(to_json_safe(original.pk))
    elif context.get("cl") is not None:
        view, pk = "changelist", None
    else:
        return None
    return {"model": opts.label_lower, "view": view, "pk": pk}


@register.simple_tag(takes_context=True)
def dash_wire(context: template.Context) -> str:
    """Render the client's stylesheet, configuration and script for staff users.

    Render nothing for anyone else, in admin popups, or when ``dash.urls``
    is not included.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not (user.is_active and user.is_staff):
        return ""
    if context.get("is_popup"):
        # A popup's opener already streams; another stream would spend one
        # of the browser's six HTTP/1.1 connections to the site.
        return ""
    try:
        stream_url = reverse("dash:event-stream")
    except NoReverseMatch:
        logger.warning("dash.urls is not included: the admin gets no live updates.")
        return ""
    config = {
        "streamUrl": stream_url,
        "user": {"id": to_json_safe(user.pk), "name": user.get_username()},
        "page": _page(context),
    }
    return format_html(
        '<link rel="stylesheet" href="{}">{}<script src="{}" defer></script>',
        static("dash/dash-wire.css"),
        json_script(config, "dash-wire-config"),
        static("dash/dash-wire.js"),
    )
