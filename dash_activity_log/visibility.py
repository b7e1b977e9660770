"""Which activities a user may read: those about models they may see.

An activity repeats its subject's values, so reading it is reading the
subject: a user sees the activities of the models they may view or change.
An activity about no model that records a custom event repeats that event,
so it is shown to the users who may read the event's broadcast channel
(``dash.broadcast.channels``); one logged with ``log_activity`` has no
channel and is shown to everyone who may view activities. Superusers see
everything.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from dash.broadcast.channels import readable_channels
from dash_activity_log.models import Activity

__all__ = ["visible_to"]


def _may_see(user: Any, model: type[Any]) -> bool:
    opts = model._meta
    return any(
        user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
        for action in ("view", "change")
    )


def visible_to(user: Any, activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """Narrow ``activities`` to those ``user`` may read."""
    if user.is_superuser:
        return activities
    models = [model for model in apps.get_models() if _may_see(user, model)]
    types = ContentType.objects.get_for_models(*models, for_concrete_models=False)
    channels = ["", *readable_channels(user)]
    return activities.filter(
        Q(subject_type__isnull=True, channel__in=channels)
        | Q(subject_type__in=[content_type.pk for content_type in types.values()])
    )
