"""The activity list's sidebar filters: by action, subject type and causer.

None of them reads the activity table to find its choices, as Django's
``RelatedOnlyFieldListFilter`` would with a ``SELECT DISTINCT`` over every
row: the subject types come from the small content type table and the
causers from the staff users.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field, Model, QuerySet
from django.http import HttpRequest
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from dash_activity_log.actions import ACTIONS, matching

__all__ = ["CAUSER_CHOICES", "ActionFilter", "CauserFilter", "SubjectTypeFilter"]

if TYPE_CHECKING:
    from django.contrib.admin.options import ModelAdmin
    from django_stubs_ext import StrOrPromise

#: Staff users listed at most under "By causer".
CAUSER_CHOICES = 100

_ACTION_LABELS = {
    "created": _("Created"),
    "updated": _("Updated"),
    "deleted": _("Deleted"),
    "custom": _("Custom"),
}


class ActionFilter(admin.SimpleListFilter):
    """Filter by what happened: created, updated, deleted or a custom event."""

    title = _("action")
    parameter_name = "action"

    def lookups(
        self, request: HttpRequest, model_admin: ModelAdmin[Any]
    ) -> list[tuple[str, Any]]:
        return [(action, _ACTION_LABELS[action]) for action in ACTIONS]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Any]
    ) -> QuerySet[Any] | None:
        value = self.value()
        for action in ACTIONS:
            if value == action:
                return queryset.filter(matching(action))
        return None


def _lowered(pair: tuple[str, str]) -> str:
    return pair[0].lower()


class SubjectTypeFilter(admin.RelatedFieldListFilter):
    """Filter by the subject's model, listing every content type by name.

    Models that never had an activity are listed too: finding only those
    that had would read the whole activity table.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.empty_value_display = escape(_("None (not about a model)"))

    def field_choices(
        self, field: Field[Any, Any], request: HttpRequest, model_admin: ModelAdmin[Any]
    ) -> list[tuple[str, StrOrPromise]]:
        types = ContentType.objects.db_manager(
            model_admin.model._default_manager.db
        ).all()
        named = sorted(((str(ct), str(ct.pk)) for ct in types), key=_lowered)
        return [(pk, name) for name, pk in named]


def _staff(user_model: type[Model]) -> QuerySet[Any]:
    users = user_model._default_manager.all()
    try:
        user_model._meta.get_field("is_staff")
    except FieldDoesNotExist:
        return users
    return users.filter(is_staff=True)


class CauserFilter(admin.RelatedFieldListFilter):
    """Filter by who caused the activity: a staff user, or nobody.

    Only staff users are listed, at most ``CAUSER_CHOICES`` of them, since a
    site's user table may be huge; anyone else is found by searching for
    the name. A ``causer__id__exact`` query parameter filters by any user.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.empty_value_display = escape(_("Nobody (system)"))

    def field_choices(
        self, field: Field[Any, Any], request: HttpRequest, model_admin: ModelAdmin[Any]
    ) -> list[tuple[str, StrOrPromise]]:
        user_model = field.related_model
        if not isinstance(user_model, type):
            return []
        ordering = getattr(user_model, "USERNAME_FIELD", "pk")
        staff = _staff(user_model).order_by(ordering)[:CAUSER_CHOICES]
        return [(str(user.pk), str(user)) for user in staff]
