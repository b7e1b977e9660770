"""Template tags for the activity log's admin pages.

``{% activity_timeline object as timeline %}`` gives an object's History
page its timeline, ``None`` for a user who may not see it;
``{% activity_value value %}`` shows one recorded value, saying how long it
was when it is cut; ``{{ activity.description|activity_brief }}`` cuts a
description that stands for its activity (see ``diffs.brief``);
``{% activity_date_hierarchy cl %}`` draws the activity list's date
drill-down without reading every row.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.admin.views.main import ChangeList
from django.db import models
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext

from dash_activity_log import date_hierarchy, diffs, timeline
from dash_activity_log.diffs import Text

__all__ = [
    "activity_brief",
    "activity_date_hierarchy",
    "activity_timeline",
    "activity_value",
]

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


@register.simple_tag
def activity_value(value: Text | None) -> str:
    """Show ``value``'s text, escaped; "empty" for ``None``.

    A cut text ends in "…" and says how many characters the whole has.
    """
    if value is None:
        return format_html(
            '<span class="dash-activity-empty">{}</span>', gettext("empty")
        )
    if not value.cut:
        return value.shown
    note = gettext("(the first %(shown)s of %(length)s characters)") % {
        "shown": number_format(len(value.shown), force_grouping=True),
        "length": number_format(value.length, force_grouping=True),
    }
    return format_html(
        '{}…<span class="dash-activity-cut">{}</span>', value.shown, note
    )


@register.filter
def activity_brief(text: object) -> str:
    """Return ``text`` cut to ``diffs.BRIEF_CHARACTERS`` characters, then "…"."""
    return diffs.brief(str(text))


@register.inclusion_tag("admin/date_hierarchy.html")
def activity_date_hierarchy(cl: ChangeList) -> dict[str, Any]:
    """Render the date drill-down of ``cl`` with a few index lookups."""
    return date_hierarchy.date_hierarchy(cl)
