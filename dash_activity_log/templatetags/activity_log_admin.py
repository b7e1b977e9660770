"""Template tags for the activity log's admin pages.

``{% activity_timeline object as timeline %}`` gives an object's History
page its timeline, ``None`` for a user who may not see it;
``{% activity_date_hierarchy cl %}`` draws the activity list's date
drill-down without reading every row.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.admin.views.main import ChangeList
from django.db import models

from dash_activity_log import date_hierarchy, timeline

__all__ = ["activity_date_hierarchy", "activity_timeline"]

register = template.Library()


@register.simple_tag(takes_context=True)
def activity_timeline(
    context: template.Context, obj: models.Model
) -> timeline.Timeline | None:
    """Return ``obj``'s timeline for the current request's user and admin site."""
    request = context.get("request")
    if request is None:
        return None
    site = timeline.admin_site_named(getattr(request, "current_app", None) or "admin")
    if site is None:
        return None
    return timeline.timeline_for(obj, request, site)


@register.inclusion_tag("admin/date_hierarchy.html")
def activity_date_hierarchy(cl: ChangeList) -> dict[str, Any]:
    """Render the date drill-down of ``cl`` with a few index lookups."""
    return date_hierarchy.date_hierarchy(cl)
