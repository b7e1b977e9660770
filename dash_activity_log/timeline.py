"""An object's activities, newest first, for its admin History page.

The timeline reads the activities through the ``(subject_type,
subject_id, -created_at)`` index, at most ``TIMELINE_LIMIT`` of them, from
the database the object lives in, which is where the recorder writes
them. It is offered only where the admin site registers ``Activity`` and
only to users whom that ``ModelAdmin`` lets view activities; everyone
else gets Django's own history.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.admin import AdminSite
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.sites import all_sites
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest
from django.urls import reverse

from dash_activity_log.actions import Action, action_of
from dash_activity_log.diffs import Readable, readable
from dash_activity_log.models import Activity

__all__ = ["TIMELINE_LIMIT", "Entry", "Timeline", "admin_site_named", "timeline_for"]

#: The most activities a History page shows; the full list has the rest.
TIMELINE_LIMIT = 50


@dataclass(frozen=True)
class Entry:
    """One activity on the timeline, with its changes ready to show."""

    activity: Activity
    action: Action
    readable: Readable
    url: str


@dataclass(frozen=True)
class Timeline:
    """The newest activities of an object, and the way to all of them."""

    entries: list[Entry]
    #: Whether older activities exist beyond ``TIMELINE_LIMIT``.
    has_more: bool
    #: The activity list, filtered to this object.
    list_url: str
    #: The most entries shown.
    limit: int


def admin_site_named(name: str) -> AdminSite | None:
    """Return the admin site whose URL namespace is ``name``, if one exists."""
    return next((site for site in all_sites if site.name == name), None)


def timeline_for(
    obj: models.Model, request: HttpRequest, site: AdminSite
) -> Timeline | None:
    """Return ``obj``'s timeline, or ``None`` if the user may not see it in ``site``.

    Issue one query for the activities, plus one for the content type if
    Django has not cached it yet.
    """
    try:
        activity_admin = site.get_model_admin(Activity)
    except NotRegistered:
        return None
    if not activity_admin.has_view_permission(request):
        return None

    limit = TIMELINE_LIMIT
    using = obj._state.db or Activity.objects.db
    subject_type = ContentType.objects.db_manager(using).get_for_model(obj)
    subject_id = str(obj.pk)
    found = list(
        Activity.objects.using(using)
        .filter(subject_type=subject_type, subject_id=subject_id)
        .order_by("-created_at", "-id")[: limit + 1]
    )

    model = type(obj)
    prefix = f"{site.name}:dash_activity_log_activity"
    entries = [
        Entry(
            activity=activity,
            action=action_of(activity.event),
            readable=readable(activity.properties, model),
            url=reverse(f"{prefix}_change", args=[activity.pk], current_app=site.name),
        )
        for activity in found[:limit]
    ]
    query = urlencode(
        {"subject_type__id__exact": subject_type.pk, "subject_id": subject_id}
    )
    list_url = reverse(f"{prefix}_changelist", current_app=site.name)
    return Timeline(
        entries=entries,
        has_more=len(found) > limit,
        list_url=f"{list_url}?{query}",
        limit=limit,
    )
