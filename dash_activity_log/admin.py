"""A read-only admin for the activity log: history is browsed, never edited."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.admin.utils import quote
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dash_activity_log.models import Activity

__all__ = ["ActivityAdmin"]

# ModelAdmin is generic only in django-stubs; subscripting it at run time fails.
if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin[Activity]
else:
    _ModelAdmin = admin.ModelAdmin


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _changes_table(changes: dict[str, dict[str, Any]]) -> SafeString:
    rows = format_html_join(
        "",
        "<tr><th>{}</th><td>{}</td><td>→</td><td>{}</td></tr>",
        (
            (name, _as_text(change.get("old")), _as_text(change.get("new")))
            for name, change in changes.items()
        ),
    )
    return format_html(
        '<table class="dash-activity-changes"><thead><tr><th>{}</th><th>{}</th>'
        "<th></th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
        _("Field"),
        _("Old"),
        _("New"),
        rows,
    )


def _values_table(values: dict[str, Any]) -> SafeString:
    rows = format_html_join(
        "",
        "<tr><th>{}</th><td>{}</td></tr>",
        ((name, _as_text(value)) for name, value in values.items()),
    )
    return format_html(
        '<table class="dash-activity-values"><thead><tr><th>{}</th><th>{}</th>'
        "</tr></thead><tbody>{}</tbody></table>",
        _("Field"),
        _("Value"),
        rows,
    )


@admin.register(Activity)
class ActivityAdmin(_ModelAdmin):
    """List and show activities; nobody may add, change or delete one here.

    Viewing follows Django's usual view permission.
    """

    list_display = ("created_at", "event", "subject_link", "causer_name", "description")
    list_filter = ("event", ("subject_type", admin.RelatedOnlyFieldListFilter))
    search_fields = ("event", "subject_id", "causer_name")
    date_hierarchy = "created_at"
    list_select_related = ("subject_type",)
    fields = (
        "created_at",
        "event",
        "description",
        "subject_link",
        "causer",
        "causer_name",
        "batch",
        "properties_table",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: Activity | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Activity | None = None
    ) -> bool:
        return False

    @admin.display(description=_("subject"))
    def subject_link(self, obj: Activity) -> str:
        """Link to the subject's admin page when its model is registered here.

        The link is built without a query, so it may lead to a deleted object;
        the admin then says so.
        """
        subject_type = obj.subject_type
        if subject_type is None:
            return ""
        label = f"{capfirst(subject_type.name)} {obj.subject_id}"
        model = subject_type.model_class()
        if model is None or not self.admin_site.is_registered(model):
            return label
        try:
            url = reverse(
                f"{self.admin_site.name}:{subject_type.app_label}_"
                f"{subject_type.model}_change",
                args=[quote(obj.subject_id)],
            )
        except NoReverseMatch:
            return label
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.display(description=_("properties"))
    def properties_table(self, obj: Activity) -> str:
        """Show a change set as old → new per field, other values as a table."""
        properties = obj.properties
        if not isinstance(properties, dict):
            return _as_text(properties)
        changes = properties.get("changes")
        if isinstance(changes, dict) and all(
            isinstance(change, dict) for change in changes.values()
        ):
            return _changes_table(changes)
        values = properties.get("new", properties.get("old"))
        return _values_table(values if isinstance(values, dict) else properties)
