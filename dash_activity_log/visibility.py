"""Which activities a user may read: those about models they may see.

An activity repeats its subject's values, so reading it is reading the
subject: a user sees the activities of the models they may view or change,
and the activities about no model. Superusers see everything.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

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
    return activities.filter(
        Q(subject_type__isnull=True)
        | Q(subject_type__in=[content_type.pk for content_type in types.values()])
    )
