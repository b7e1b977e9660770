"""Link activities to their subjects' admin pages, where the subjects still exist.

A subject may have been deleted since, or be hidden from this user, so a
link is offered only after asking the subject's own ``ModelAdmin``
queryset, the one its change page will ask. That is one query per model
among the activities given, never one per activity; models the user may
not view in this admin site, or that it does not register, get no link
and no query.

The links are kept on the activities themselves, because the admin hands
its display functions nothing but the object.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst

from dash_activity_log.models import Activity

__all__ = ["link_subjects", "subject_label", "subject_url"]

logger = logging.getLogger(__name__)

_URL_ATTR = "_dash_subject_url"


def subject_label(activity: Activity) -> str:
    """Return ``"<Model> <id>"`` for the subject, or ``""`` when there is none."""
    subject_type = activity.subject_type
    if subject_type is None:
        return ""
    model = subject_type.model_class()
    name = model._meta.verbose_name if model is not None else subject_type.model
    return f"{capfirst(name)} {activity.subject_id}"


def subject_url(activity: Activity) -> str | None:
    """Return the subject's change page that ``link_subjects`` found, if any."""
    url: str | None = activity.__dict__.get(_URL_ATTR)
    return url


def _model_admin(site: AdminSite, model: type[models.Model]) -> ModelAdmin[Any] | None:
    try:
        return site.get_model_admin(model)
    except NotRegistered:
        return None


def _pks(model: type[models.Model], ids: Iterable[str]) -> list[Any]:
    # A pk stored before the model's key changed type cannot match a row,
    # and would make the whole query fail.
    pk_field = model._meta.pk
    assert pk_field is not None
    found = []
    for value in ids:
        try:
            found.append(pk_field.to_python(value))
        except ValidationError:
            logger.debug("Subject id %r is no %s key", value, model._meta.label)
    return found


def _existing(
    model_admin: ModelAdmin[Any], request: HttpRequest, ids: Iterable[str]
) -> set[str]:
    queryset = model_admin.get_queryset(request).order_by()
    pks = _pks(model_admin.model, ids)
    return {str(pk) for pk in queryset.filter(pk__in=pks).values_list("pk", flat=True)}


def _change_url(
    site: AdminSite, model: type[models.Model], subject_id: str
) -> str | None:
    opts = model._meta
    try:
        return reverse(
            f"{site.name}:{opts.app_label}_{opts.model_name}_change",
            args=[quote(subject_id)],
            current_app=site.name,
        )
    except NoReverseMatch:
        return None


def link_subjects(
    activities: Sequence[Activity], request: HttpRequest, site: AdminSite
) -> None:
    """Find each activity's subject link for ``request``'s user in ``site``.

    Afterwards ``subject_url(activity)`` returns the link, or ``None``.
    Issue one query per subject model that the user may view here, plus one
    per activity whose ``subject_type`` is not loaded yet: select it with
    the activities.
    """
    types: dict[int, ContentType] = {}
    ids: defaultdict[int, set[str]] = defaultdict(set)
    for activity in activities:
        activity.__dict__[_URL_ATTR] = None
        subject_type = activity.subject_type
        if subject_type is not None and activity.subject_id:
            types[subject_type.pk] = subject_type
            ids[subject_type.pk].add(activity.subject_id)

    found: dict[tuple[int, str], str] = {}
    for type_id, subject_ids in ids.items():
        model = types[type_id].model_class()
        model_admin = None if model is None else _model_admin(site, model)
        if model_admin is None or not model_admin.has_view_or_change_permission(
            request
        ):
            continue
        for subject_id in _existing(model_admin, request, subject_ids):
            url = _change_url(site, model_admin.model, subject_id)
            if url is not None:
                found[type_id, subject_id] = url

    for activity in activities:
        if activity.subject_type_id is not None:
            key = (activity.subject_type_id, activity.subject_id)
            activity.__dict__[_URL_ATTR] = found.get(key)
